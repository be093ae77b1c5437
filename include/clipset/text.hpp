#pragma once
// Small text helpers shared by several modules.

#include <ctime>
#include <string>
#include <string_view>

namespace clipset {

std::string to_lower(std::string_view text);
std::string_view trim(std::string_view text);
bool is_valid_utf8(std::string_view text);
// The length in bytes of the valid UTF-8 sequence starting at text[at] (at < size), 0 where none starts.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);
// "2026-11-26T00:16:09.123456789Z" for a POSIX timespec (UTC, always nine decimals).
std::string iso8601_utc(const struct timespec& time);
// Text for XML and HTML content or attributes: & < > " ' escaped, control characters blanked.
std::string xml_escape(const std::string& text);

// fnmatch(3) with FNM_PATHNAME semantics off: '*' also crosses '/'.
bool glob_match(const std::string& pattern, const std::string& text);

}  // namespace clipset
