#pragma once
// Checks on a manifest line's bytes that come before any JSON parsing.

#include <string_view>

namespace clipset {

// Throws clipset::Error (data, empty subject) for a line longer than kMaxManifestLineBytes, one
// holding a NUL byte, or one that is not UTF-8, naming the first offending byte (1-based).
void check_line_bytes(std::string_view line);

}  // namespace clipset
