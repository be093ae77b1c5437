#pragma once
// validate's findings as text for stdout: human lines, JSON Lines, JUnit XML, GitHub annotations.

#include <cstddef>
#include <ostream>
#include <string>

#include "clipset/validate.hpp"

namespace clipset::app {

// The formats --format accepts.
inline constexpr const char* kValidateFormats[] = {"human", "json", "junit", "github"};

// Writes the first `max_findings` findings of `result` (all when 0) in `format`.
void write_findings(std::ostream& out, const ValidateResult& result, const std::string& format, std::size_t max_findings);

// One finding as a JSON Lines record (--format json), no newline.
std::string json_line(const ValidateResult& result, const Finding& finding);

// "dataset.jsonl:42: error[hash-mismatch] clips/x.wav: sha256 differs from the manifest"
std::string human_line(const ValidateResult& result, const Finding& finding);

}  // namespace clipset::app
