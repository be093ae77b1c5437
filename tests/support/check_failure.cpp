#include "support/check_failure.hpp"

#include <catch2/catch.hpp>

namespace clipset::test {

void check_failure(const CommandResult& r, int code, const std::string& message, const std::string& prefix) {
  INFO(r.command << "\nstderr: " << r.err);
  CHECK(r.exit_code == code);
  CHECK(r.out.empty());
  if (!prefix.empty()) CHECK(r.err.rfind(prefix, 0) == 0);
  CHECK(r.err.find(message) != std::string::npos);
}

}  // namespace clipset::test
