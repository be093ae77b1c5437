#include "clipset/text.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "utf8.hpp"

namespace clipset {

namespace utf8 {

Char next(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0x80) return {lead, 1, true};
  std::size_t extra = 0;
  char32_t min_code = 0;
  char32_t code = 0;
  if ((lead & 0xe0) == 0xc0) { extra = 1; min_code = 0x80; code = lead & 0x1f; }
  else if ((lead & 0xf0) == 0xe0) { extra = 2; min_code = 0x800; code = lead & 0x0f; }
  else if ((lead & 0xf8) == 0xf0) { extra = 3; min_code = 0x10000; code = lead & 0x07; }
  const Char invalid{lead, 1, false};
  if (extra == 0 || at + extra >= text.size()) return invalid;  // a stray continuation byte, or cut short
  for (std::size_t k = 1; k <= extra; ++k) {
    const auto next_byte = static_cast<unsigned char>(text[at + k]);
    if ((next_byte & 0xc0) != 0x80) return invalid;
    code = (code << 6) | (next_byte & 0x3f);
  }
  if (code < min_code || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return invalid;
  return {code, extra + 1, true};
}

}  // namespace utf8

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic programme: the one before the previous is needed for swaps.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view space = " \t\r\n\v\f";
  const auto first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(space);
  return text.substr(first, last - first + 1);
}

std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
  const utf8::Char c = utf8::next(text, at);
  return c.valid ? c.size : 0;
}

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string iso8601_utc(const struct timespec& time) {
  struct tm parts {};
  gmtime_r(&time.tv_sec, &parts);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", parts.tm_year + 1900, parts.tm_mon + 1,
                parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, static_cast<long>(time.tv_nsec));
  return text;
}

bool glob_match(const std::string& pattern, const std::string& text) {
  return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // XML 1.0 forbids most control characters, even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += ' ';
        else out += c;
    }
  }
  return out;
}

std::string html_document_start(const std::string& title, std::string_view style) {
  return "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>" +
         xml_escape(title) + "</title>\n<style>" + std::string(style) + "</style>\n</head>\n<body>\n";
}

std::string csv_field(std::string_view text) {
  const bool edge_space = !text.empty() && (text.front() == ' ' || text.front() == '\t' || text.back() == ' ' || text.back() == '\t');
  if (!edge_space && text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace clipset
