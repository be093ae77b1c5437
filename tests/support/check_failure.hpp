#pragma once
// The shape of every failed run in the e2e tests: the exit code, nothing on stdout, the reason on
// stderr (after `prefix`, when given: "clipset split: ").

#include <string>

#include "support/run_command.hpp"

namespace clipset::test {

void check_failure(const CommandResult& r, int code, const std::string& message, const std::string& prefix = "");

}  // namespace clipset::test
