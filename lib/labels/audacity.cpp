// Audacity label tracks (TEXT export), read as Audacity's own importer reads them; the rules
// are in ../shared/reference/audacity_labels/SPEC.md.

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clipset/error.hpp"
#include "clipset/labels.hpp"
#include "clipset/text.hpp"

namespace clipset {

namespace {

// LF, CRLF and lone CR all end a line; a final line end does not start another line.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t end = std::min(text.find_first_of("\r\n", begin), text.size());
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
    if (end + 1 < text.size() && text[end] == '\r' && text[end + 1] == '\n') ++begin;
  }
  return lines;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t end = std::min(line.find('\t', begin), line.size());
    fields.push_back(line.substr(begin, end - begin));
    if (end == line.size()) return fields;
    begin = end + 1;
  }
}

// The whole field must be a number; leading white space and '+' are allowed, and a comma is a
// decimal point (Audacity writes the C locale but reads files written under other locales).
std::optional<double> to_number(std::string_view field) {
  const std::size_t begin = field.find_first_not_of(" \v\f");
  if (begin == std::string_view::npos) return std::nullopt;
  std::string text(field.substr(begin));
  if (text.front() == '+') {
    text.erase(0, 1);
    if (text.empty() || text.front() == '-' || text.front() == '+') return std::nullopt;
  }
  std::replace(text.begin(), text.end(), ',', '.');
  double value = 0;
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(text.data(), last, value);
  if (error != std::errc() || end != last) return std::nullopt;
  return value;
}

// Audacity takes any time; a clip cannot start before the recording or at infinity.
std::optional<std::string> check_time(const char* what, std::string_view field, double value) {
  const std::string quoted = std::string(what) + " '" + std::string(field) + "'";
  if (!std::isfinite(value)) return quoted + " is not a finite number";
  if (value < 0) return quoted + " is negative";
  return std::nullopt;
}

// Parses the main line into label; the reason when it is rejected.
std::optional<std::string> parse_main_line(std::string_view line, TrackLabel& label) {
  if (line.empty()) return "empty line";
  const auto fields = split_tabs(line);
  const auto start = to_number(fields[0]);
  if (!start) return "start time '" + std::string(fields[0]) + "' is not a number";
  if (auto problem = check_time("start time", fields[0], *start)) return problem;

  std::size_t title_at = 1;
  double end = *start;
  if (fields.size() > 1) {
    if (const auto second = to_number(fields[1])) {
      if (auto problem = check_time("end time", fields[1], *second)) return problem;
      end = *second;
      title_at = 2;
    }
  }
  label.start = std::min(*start, end) + 0.0;  // -0 reads as 0
  label.end = std::max(*start, end) + 0.0;
  label.title = title_at < fields.size() ? std::string(fields[title_at]) : std::string();
  return std::nullopt;
}

// Parses the first continuation line: "\" TAB low TAB high.
std::optional<std::string> parse_spectral_line(std::string_view line, TrackLabel& label) {
  const auto fields = split_tabs(line);
  if (fields[0] != "\\" || fields.size() < 3) return "bad spectral selection line";
  const auto low = to_number(fields[1]);
  const auto high = to_number(fields[2]);
  if (!low) return "bad spectral selection line (low frequency '" + std::string(fields[1]) + "' is not a number)";
  if (!high) return "bad spectral selection line (high frequency '" + std::string(fields[2]) + "' is not a number)";
  if (std::isnan(*low) || std::isnan(*high) || std::isinf(*low) || std::isinf(*high)) {
    return "bad spectral selection line (frequency is not a finite number)";
  }
  label.low_hz = *low < 0 ? -1 : *low;
  label.high_hz = *high < 0 ? -1 : *high;
  if (label.low_hz >= 0 && label.high_hz >= 0 && label.high_hz < label.low_hz) std::swap(label.low_hz, label.high_hz);
  return std::nullopt;
}

bool is_continuation(std::string_view line) { return line.starts_with('\\'); }

}  // namespace

LabelTrack parse_audacity_labels(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const auto lines = split_lines(text);
  LabelTrack track;
  std::size_t at = 0;
  while (at < lines.size()) {
    const std::size_t main_line = at++;
    const std::size_t first_continuation = at;
    // A rejected label takes its continuation lines with it.
    while (at < lines.size() && is_continuation(lines[at])) ++at;

    TrackLabel label;
    label.line = main_line + 1;
    auto problem = parse_main_line(lines[main_line], label);
    if (!problem && first_continuation < at) problem = parse_spectral_line(lines[first_continuation], label);
    if (problem) {
      track.problems.push_back({main_line + 1, std::move(*problem)});
    } else {
      track.labels.push_back(std::move(label));
    }
  }
  std::stable_sort(track.labels.begin(), track.labels.end(),
                   [](const TrackLabel& a, const TrackLabel& b) { return a.start < b.start; });
  return track;
}

namespace {

std::string shortest(double value) {
  std::array<char, 32> buf{};
  const auto result = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  return std::string(buf.data(), result.ptr);
}

}  // namespace

std::string format_audacity_labels(const std::vector<TrackLabel>& labels) {
  std::string text;
  for (const auto& label : labels) {
    std::string title = label.title;
    for (char& c : title)
      if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    text += shortest(label.start) + "\t" + shortest(label.end) + "\t" + title + "\n";
    if (label.low_hz >= 0 || label.high_hz >= 0) text += "\\\t" + shortest(label.low_hz) + "\t" + shortest(label.high_hz) + "\n";
  }
  return text;
}

std::string label_track_file_name(std::string_view audio_stem, std::string_view annotator, int pass) {
  std::string name(audio_stem);
  if (!annotator.empty()) name += "." + std::string(annotator);
  if (!annotator.empty() && pass > 1) name += "." + std::to_string(pass);
  return name + ".txt";
}

LabelTrack read_audacity_labels(const std::filesystem::path& file) {
  // A folder opens fine and then reads as empty; say what it is.
  std::error_code ignored;
  if (std::filesystem::is_directory(file, ignored)) throw_io(file.string(), errno_reason(EISDIR));
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw_io(file.string(), errno_reason(errno != 0 ? errno : EIO));
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw_io(file.string(), errno_reason(errno != 0 ? errno : EIO));
  return parse_audacity_labels(text);
}

// ---------------------------------------------------------------- file names

namespace {

// "dog1.wav.txt" is the track of "dog1.wav" exported under its full name, not annotator "wav".
constexpr std::array<std::string_view, 23> audio_extensions = {
    "wav", "wave", "flac", "mp3", "ogg", "oga", "opus", "m4a", "mp4", "aac", "aif", "aiff", "aifc", "3gp",
    "3ga", "amr", "awb", "webm", "weba", "mka", "caf", "w64", "wma"};

bool is_audio_extension(std::string_view name) {
  const std::string lowered = to_lower(name);
  return std::find(audio_extensions.begin(), audio_extensions.end(), lowered) != audio_extensions.end();
}

std::optional<int> to_pass(std::string_view text) {
  int pass = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), pass);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || pass < 1) return std::nullopt;
  return pass;
}

}  // namespace

std::optional<LabelTrackName> match_label_track(std::string_view audio_stem, std::string_view file_name) {
  if (audio_stem.empty() || !file_name.starts_with(audio_stem) || !file_name.ends_with(".txt")) return std::nullopt;
  if (file_name.size() < audio_stem.size() + 4) return std::nullopt;
  std::string_view rest = file_name.substr(audio_stem.size(), file_name.size() - audio_stem.size() - 4);
  if (rest.empty()) return LabelTrackName{};
  if (!rest.starts_with('.')) return std::nullopt;
  rest.remove_prefix(1);

  const std::size_t dot = rest.find('.');
  LabelTrackName name;
  name.annotator = std::string(rest.substr(0, dot));
  if (name.annotator.empty() || is_audio_extension(name.annotator)) return std::nullopt;
  if (dot != std::string_view::npos) {
    const auto pass = to_pass(rest.substr(dot + 1));
    if (!pass) return std::nullopt;
    name.pass = *pass;
  }
  return name;
}

}  // namespace clipset
