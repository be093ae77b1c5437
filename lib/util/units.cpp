#include "clipset/units.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <iterator>
#include <optional>
#include <utility>

#include "clipset/error.hpp"
#include "clipset/text.hpp"

namespace clipset {

namespace {

constexpr const char* kDurationExpected = "expected a duration such as 1s, 250ms or 0.5";
constexpr const char* kClockExpected = "expected m:ss or h:mm:ss, such as 1:30 or 1:02:03.5";
constexpr const char* kRateExpected = "expected a sample rate such as 16k, 44.1k or 16000";
constexpr const char* kRatiosExpected = "expected ratios such as 80,10,10 or 0.8,0.1,0.1";
constexpr long kMaxSampleRate = 10'000'000;

// A finite number at the start of `s` (from_chars: no locale, no sign other than '-'),
// and the rest of `s` with leading whitespace removed.
struct Leading {
  double value;
  std::string_view rest;
};
std::optional<Leading> leading_number(std::string_view s) {
  double value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || !std::isfinite(value)) return std::nullopt;
  return Leading{value, trim(s.substr(static_cast<std::size_t>(ptr - s.data())))};
}

// The whole of `s` as a finite number, or nothing.
std::optional<double> whole_number(std::string_view s) {
  auto n = leading_number(s);
  if (!n || !n->rest.empty()) return std::nullopt;
  return n->value;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "1:30" (m:ss) or "1:02:03.5" (h:mm:ss); fields after the first have two digits and stay below 60.
double parse_clock(std::string_view original, std::string_view s) {
  std::array<std::string_view, 3> fields;
  std::size_t n = 0;
  for (std::size_t pos = 0;;) {
    const std::size_t colon = s.find(':', pos);
    if (n == fields.size()) throw_usage(std::string(original), kClockExpected);
    fields[n++] = s.substr(pos, colon == std::string_view::npos ? colon : colon - pos);
    if (colon == std::string_view::npos) break;
    pos = colon + 1;
  }
  const auto first = whole_number(fields[0]);
  if (n < 2 || !all_digits(fields[0]) || !first) throw_usage(std::string(original), kClockExpected);
  double total = *first;
  for (std::size_t i = 1; i < n; ++i) {
    const std::string_view field = fields[i];
    const bool last = i + 1 == n;
    const std::size_t dot = last ? field.find('.') : std::string_view::npos;
    const std::string_view whole = field.substr(0, dot);
    const bool fraction_ok = dot == std::string_view::npos || all_digits(field.substr(dot + 1));
    if (whole.size() != 2 || !all_digits(whole) || !fraction_ok) {
      throw_usage(std::string(original), kClockExpected);
    }
    const double value = *whole_number(field);
    if (value >= 60) throw_usage(std::string(original), "minutes and seconds must be below 60");
    total = total * 60 + value;
  }
  if (!std::isfinite(total)) throw_usage(std::string(original), kDurationExpected);
  return total;
}

std::optional<double> duration_unit(const std::string& unit) {
  static const std::array<std::pair<const char*, double>, 19> units{{
      {"", 1},          {"ms", 1e-3},   {"msec", 1e-3},  {"s", 1},         {"sec", 1},
      {"secs", 1},      {"second", 1},  {"seconds", 1},  {"m", 60},        {"min", 60},
      {"mins", 60},     {"minute", 60}, {"minutes", 60}, {"h", 3600},      {"hr", 3600},
      {"hrs", 3600},    {"hour", 3600}, {"hours", 3600}, {"millis", 1e-3},
  }};
  for (const auto& [name, scale] : units) {
    if (unit == name) return scale;
  }
  return std::nullopt;
}

std::string to_fixed(double value, int decimals) {
  std::array<char, 512> buf{};  // fits any double in fixed notation
  const auto result = std::to_chars(buf.data(), buf.data() + buf.size(), value,
                                    std::chars_format::fixed, decimals);
  return std::string(buf.data(), result.ptr);
}

std::string two_digits(long long n) { return (n < 10 ? "0" : "") + std::to_string(n); }

}  // namespace

double parse_duration(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) throw_usage(std::string(text), kDurationExpected);
  if (s.front() == '-') throw_usage(std::string(text), "duration must not be negative");
  if (s.find(':') != std::string_view::npos) return parse_clock(text, s);
  // One number with an optional unit, or parts with units from large to small: "1m 30s", "1h30m".
  double total = 0;
  double previous_scale = 1e300;
  bool first = true;
  do {
    if (s.front() == '-') throw_usage(std::string(text), "duration must not be negative");
    const auto number = leading_number(s);
    if (!number) throw_usage(std::string(text), kDurationExpected);
    std::size_t letters = 0;
    while (letters < number->rest.size() && std::isalpha(static_cast<unsigned char>(number->rest[letters]))) {
      ++letters;
    }
    const std::string unit = to_lower(number->rest.substr(0, letters));
    s = trim(number->rest.substr(letters));
    const auto scale = duration_unit(unit);
    const bool unit_ok = !unit.empty() || (first && s.empty());  // a bare number stands alone
    if (!scale || !unit_ok || *scale >= previous_scale) throw_usage(std::string(text), kDurationExpected);
    total += number->value * *scale;
    previous_scale = *scale;
    first = false;
  } while (!s.empty());
  if (!std::isfinite(total)) throw_usage(std::string(text), kDurationExpected);
  return total;
}

long parse_sample_rate(std::string_view text) {
  const std::string_view s = trim(text);
  if (!s.empty() && s.front() == '-') throw_usage(std::string(text), "sample rate must be positive");
  const auto number = leading_number(s);
  if (!number) throw_usage(std::string(text), kRateExpected);
  const std::string unit = to_lower(number->rest);
  double scale = 0;
  if (unit.empty() || unit == "hz") {
    scale = 1;
  } else if (unit == "k" || unit == "khz") {
    scale = 1000;
  } else {
    throw_usage(std::string(text), kRateExpected);
  }
  const double hz = number->value * scale;
  if (hz <= 0) throw_usage(std::string(text), "sample rate must be positive");
  if (hz > kMaxSampleRate) throw_usage(std::string(text), "sample rate must be at most 10 MHz");
  const double rounded = std::round(hz);
  // 22.05 * 1000 is not exactly 22050 in binary: allow rounding noise, not real fractions.
  if (std::fabs(hz - rounded) > 1e-9 * rounded) {
    throw_usage(std::string(text), "sample rate must be a whole number of hertz");
  }
  // A bare "16" or "44" is almost surely kHz; 16 Hz audio would be silently useless.
  if (unit.empty() && rounded < 1000) {
    throw_usage(std::string(text), std::string(kRateExpected) + " (for " + to_fixed(rounded, 0) +
                                       " hertz write " + to_fixed(rounded, 0) + "Hz)");
  }
  return static_cast<long>(rounded);
}

std::vector<double> parse_ratios(std::string_view text) {
  if (trim(text).empty()) throw_usage(std::string(text), kRatiosExpected);
  std::vector<double> parts;
  double sum = 0;
  for (std::size_t pos = 0;;) {
    const std::size_t comma = text.find(',', pos);
    const std::string_view part =
        trim(text.substr(pos, comma == std::string_view::npos ? comma : comma - pos));
    const std::string index = std::to_string(parts.size() + 1);
    if (part.empty()) throw_usage(std::string(text), "part " + index + " is empty; " + kRatiosExpected);
    if (part.front() == '-') throw_usage(std::string(text), "ratios must not be negative");
    const auto value = whole_number(part);
    if (!value) {
      throw_usage(std::string(text),
                  "part " + index + " (" + std::string(part) + ") is not a number; " + kRatiosExpected);
    }
    parts.push_back(*value);
    sum += *value;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  if (!std::isfinite(sum)) throw_usage(std::string(text), kRatiosExpected);
  if (sum <= 0) throw_usage(std::string(text), "ratios sum to zero");
  for (double& part : parts) part /= sum;
  return parts;
}

double parse_decibels(std::string_view text) {
  const std::string_view s = trim(text);
  const auto n = leading_number(s);
  if (n && (n->rest.empty() || to_lower(n->rest) == "db" || to_lower(n->rest) == "dbfs")) return n->value;
  throw_usage(std::string(text), "expected a level in dB such as -60 or -60dB");
}

NumberRange parse_range(std::string_view text, std::string_view unit) {
  std::string_view s = trim(text);
  if (!unit.empty() && s.size() >= unit.size() && to_lower(s.substr(s.size() - unit.size())) == to_lower(unit)) {
    s = trim(s.substr(0, s.size() - unit.size()));
  }
  const std::string example = unit.empty() ? "0.9..1.1" : "-6..6" + std::string(unit);
  const std::size_t dots = s.find("..");
  const auto low = whole_number(trim(s.substr(0, dots)));
  const auto high = dots == std::string_view::npos ? low : whole_number(trim(s.substr(dots + 2)));
  if (!low || !high) throw_usage(std::string(text), "expected a range LOW..HIGH such as " + example);
  if (*low > *high) throw_usage(std::string(text), "the range is reversed (its low end is above its high end)");
  return {*low, *high};
}

double parse_fraction(std::string_view text) {
  const std::string_view s = trim(text);
  const auto n = leading_number(s);
  if (n && n->rest == "%" && n->value >= 0 && n->value <= 100) return n->value / 100;
  if (n && n->rest.empty() && n->value >= 0 && n->value <= 1) return n->value;
  throw_usage(std::string(text), "expected a fraction from 0 to 1, such as 0.5 or 50%");
}

long parse_integer(std::string_view text, long min, long max) {
  if (min > max) throw Error(ErrorKind::internal, "parse_integer", "min is greater than max");
  std::string expected = "expected a whole number";
  if (min != LONG_MIN && max != LONG_MAX) {
    expected += " from " + std::to_string(min) + " to " + std::to_string(max);
  } else if (min != LONG_MIN) {
    expected += " of at least " + std::to_string(min);
  } else if (max != LONG_MAX) {
    expected += " of at most " + std::to_string(max);
  }
  const std::string_view s = trim(text);
  long value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  const bool whole = ec == std::errc() && ptr == s.data() + s.size();
  if (!whole || value < min || value > max) throw_usage(std::string(text), expected);
  return value;
}

std::uint64_t parse_byte_size(std::string_view text) {
  static const std::pair<const char*, double> kUnits[] = {
      {"", 1},     {"b", 1},     {"k", 1e3},          {"kb", 1e3},          {"m", 1e6},          {"mb", 1e6},
      {"g", 1e9},  {"gb", 1e9},  {"t", 1e12},         {"tb", 1e12},         {"kib", 1024.0},     {"mib", 1048576.0},
      {"gib", 1073741824.0}, {"tib", 1099511627776.0}};
  const std::string_view s = trim(text);
  double number = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), number);
  const std::string unit = to_lower(trim(std::string_view(ptr, static_cast<std::size_t>(s.data() + s.size() - ptr))));
  for (const auto& [name, scale] : kUnits) {
    if (ec != std::errc() || unit != name) continue;
    const double bytes = std::round(number * scale);
    if (std::isfinite(bytes) && bytes >= 1 && bytes < 1.8e19) return static_cast<std::uint64_t>(bytes);
  }
  throw_usage(std::string(text), "expected a size in bytes, e.g. 500M, 1G or 2GiB");
}

std::string format_bytes(std::uint64_t bytes) {
  if (bytes < 1000) return std::to_string(bytes) + " B";
  static const char* const kNames[] = {"kB", "MB", "GB", "TB", "PB", "EB"};
  double value = static_cast<double>(bytes) / 1000;
  std::size_t unit = 0;
  while (value >= 999.95 && unit + 1 < std::size(kNames)) {
    value /= 1000;
    ++unit;
  }
  return to_fixed(value, value < 10 ? 2 : 1) + " " + kNames[unit];
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds)) return "?";
  if (seconds < 0) return "-" + format_duration(-seconds);
  if (seconds > 0 && seconds < 0.005) return to_fixed(seconds * 1000, 1) + "ms";
  if (std::round(seconds * 100) < 1000) return to_fixed(seconds, 2) + "s";
  if (std::round(seconds * 10) < 600) return to_fixed(seconds, 1) + "s";
  const double whole = std::round(seconds);
  if (whole < 3600) {
    const auto s = static_cast<long long>(whole);
    return std::to_string(s / 60) + "m " + two_digits(s % 60) + "s";
  }
  const double minutes = std::round(seconds / 60);
  if (minutes > 1e15) return to_fixed(seconds / 3600, 0) + "h";  // beyond long long
  const auto m = static_cast<long long>(minutes);
  return std::to_string(m / 60) + "h " + two_digits(m % 60) + "m";
}

}  // namespace clipset
