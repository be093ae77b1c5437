// Streaming JSON Lines reader: one line in memory at a time, bad lines reported with file:line.

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "clipset/error.hpp"
#include "clipset/manifest.hpp"
#include "line_checks.hpp"

#include <simdjson.h>

namespace clipset {

namespace {

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at line 1, ";
// keep only the part a person needs.
std::string parse_error_reason(const std::string& what) {
  std::string text = what;
  if (const auto bracket = text.find("] "); text.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) {
    text.erase(0, bracket + 2);
  }
  if (const auto at = text.find("at line 1, "); at != std::string::npos) text.erase(0, at + 11);
  return "not valid JSON (" + text + ")";
}

// nlohmann's messages for a number it cannot hold: "number overflow parsing '1e400'".
std::string out_of_range_reason(const std::string& what) {
  std::string text = what;
  if (const auto bracket = text.find("] "); bracket != std::string::npos) text.erase(0, bracket + 2);
  return "a number out of range (" + text + ")";
}

// The deepest nesting of [ and { outside strings, stopping early once past `limit`.
std::size_t nesting_depth(const std::string& line, std::size_t limit) {
  std::size_t deepest = 0;
  scan_json_structure(line, [&](std::size_t, char c, std::size_t depth) {
    if (c == '{' || c == '[') deepest = std::max(deepest, depth + 1);
    return deepest <= limit;
  });
  return deepest;
}

// The first byte at which text stops being UTF-8 (simdjson's check first: it is fast, and the
// walk below runs only on a line already known to be bad).
std::size_t invalid_utf8_at(std::string_view text) {
  if (simdjson::validate_utf8(text.data(), text.size())) return std::string_view::npos;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > text.size() || !simdjson::validate_utf8(text.data() + i, n)) return i;
    i += n;
  }
  return i;
}

bool is_blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

}  // namespace

void check_line_bytes(std::string_view line) {
  if (line.size() > kMaxManifestLineBytes) {
    throw_data("", "a line longer than " + std::to_string(kMaxManifestLineBytes >> 20) + " MiB");
  }
  if (const auto nul = line.find('\0'); nul != std::string_view::npos) {
    throw_data("", "not valid JSON (a NUL byte at byte " + std::to_string(nul + 1) + ")");
  }
  if (const auto bad = invalid_utf8_at(line); bad != std::string_view::npos) {
    throw_data("", "not valid JSON (invalid UTF-8 at byte " + std::to_string(bad + 1) + ")");
  }
}

ParsedLine parse_manifest_line(const std::string& line) {
  check_line_bytes(line);
  if (nesting_depth(line, kMaxManifestNesting) > kMaxManifestNesting) {
    throw_data("", "nested deeper than " + std::to_string(kMaxManifestNesting) + " levels");
  }
  ParsedLine parsed;
  try {
    parsed.record = Json::parse(line);
    parsed.item = item_from_json(parsed.record);
  } catch (const Json::parse_error& e) {
    throw_data("", parse_error_reason(e.what()));
  } catch (const Json::out_of_range& e) {
    throw_data("", out_of_range_reason(e.what()));
  } catch (const Json::exception& e) {
    throw_data("", "not a readable record (" + std::string(e.what()) + ")");
  }
  return parsed;
}

ManifestReader::ManifestReader(std::istream& in, std::string source_name)
    : in_(in), source_(std::move(source_name)), decoder_(std::make_unique<LineDecoder>()) {}

void ManifestReader::set_fields(FieldSet fields) { decoder_ = std::make_unique<LineDecoder>(fields); }

std::optional<Item> ManifestReader::next() {
  while (std::getline(in_, buffer_)) {
    ++line_;
    if (!buffer_.empty() && buffer_.back() == '\r') buffer_.pop_back();
    if (is_blank(buffer_)) continue;
    std::string reason;
    try {
      Item item = decoder_->decode(buffer_);
      if (!unique_ids_) return item;
      const auto [at, inserted] = first_line_of_id_.emplace(item.id, line_);
      if (inserted) return item;
      reason = "duplicate id " + Json(item.id).dump(-1, ' ', false, Json::error_handler_t::replace) +
               " (first on line " + std::to_string(at->second) + ")";
    } catch (const Error& e) {
      reason = e.reason();
    }
    ++problems_;
    if (strict_) throw_data(source_ + ":" + std::to_string(line_), reason);
    if (on_problem_) on_problem_(ManifestProblem{source_, line_, reason});
  }
  if (in_.bad()) throw_io(source_, "read error");
  return std::nullopt;
}

InputFile::InputFile(const std::string& name) : path_(name) {
  if (name == "-") {
    stream_ = &std::cin;
    display_name_ = "(stdin)";
    return;
  }
  display_name_ = name;
  std::error_code ec;
  if (std::filesystem::is_directory(name, ec)) throw_io(name, "is a directory");
  auto file = std::make_unique<std::ifstream>(name, std::ios::binary);
  if (!*file) throw_io(name, errno_reason(errno));
  stream_ = file.get();
  owned_ = std::move(file);
}

InputFile::~InputFile() = default;
InputFile::InputFile(InputFile&&) noexcept = default;

std::vector<Item> read_manifest(const std::string& name, bool strict, const ManifestReader::ProblemHandler& on_problem) {
  InputFile input(name);
  ManifestReader reader(input.stream(), input.display_name());
  reader.set_strict(strict);
  reader.on_problem(on_problem);
  std::vector<Item> items;
  while (auto item = reader.next()) items.push_back(std::move(*item));
  return items;
}

}  // namespace clipset
