// ISO 6709 point strings, as phones write them into MP4 and 3GP files: "+48.8584+002.2945/",
// "+48.8584+002.2945+035.000/", "+404046-0735906/" (degrees, minutes, seconds), with an optional
// "CRS..." before the closing '/'.

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

#include "clipset/audio.hpp"

namespace clipset {

namespace {

struct Field {
  double value = 0;
  std::size_t integer_digits = 0;
};

// A sign, digits, optionally '.' and more digits. Advances `pos`.
std::optional<Field> signed_number(std::string_view text, std::size_t& pos) {
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return std::nullopt;
  const std::size_t start = pos++;
  std::size_t digits = 0;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos, ++digits;
  if (digits == 0) return std::nullopt;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
  }
  // from_chars takes no '+'; the sign is put back after.
  const std::string number(text.substr(start + 1, pos - start - 1));
  Field field;
  field.integer_digits = digits;
  if (std::from_chars(number.data(), number.data() + number.size(), field.value).ec != std::errc()) return std::nullopt;
  if (text[start] == '-') field.value = -field.value;
  return field;
}

// Degrees from D[D]D.D, D[D]DMM.M or D[D]DMMSS.S, where `degree_digits` is 2 for latitude and
// 3 for longitude.
std::optional<double> degrees(const Field& field, std::size_t degree_digits) {
  const double magnitude = std::fabs(field.value);
  const double sign = field.value < 0 ? -1 : 1;
  if (field.integer_digits == degree_digits) return field.value;
  if (field.integer_digits == degree_digits + 2) {
    const double d = std::floor(magnitude / 100);
    const double m = magnitude - d * 100;
    if (m >= 60) return std::nullopt;
    return sign * (d + m / 60);
  }
  if (field.integer_digits == degree_digits + 4) {
    const double d = std::floor(magnitude / 10000);
    const double m = std::floor((magnitude - d * 10000) / 100);
    const double s = magnitude - d * 10000 - m * 100;
    if (m >= 60 || s >= 60) return std::nullopt;
    return sign * (d + m / 60 + s / 3600);
  }
  return std::nullopt;
}

}  // namespace

std::optional<GeoLocation> parse_iso6709(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  std::size_t pos = 0;
  const auto lat_field = signed_number(text, pos);
  if (!lat_field) return std::nullopt;
  const auto lon_field = signed_number(text, pos);
  if (!lon_field) return std::nullopt;
  const auto lat = degrees(*lat_field, 2);
  const auto lon = degrees(*lon_field, 3);
  if (!lat || !lon || std::fabs(*lat) > 90 || std::fabs(*lon) > 180) return std::nullopt;
  GeoLocation location{*lat, *lon, std::nullopt};
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const auto alt = signed_number(text, pos);
    if (!alt) return std::nullopt;
    location.alt = alt->value;
  }
  if (text.substr(pos, 3) == "CRS") pos = text.find('/', pos);  // a named reference system
  if (pos == std::string_view::npos) return std::nullopt;
  // The closing '/' is required by the standard but left out by some writers.
  if (pos < text.size() && text[pos] == '/') ++pos;
  if (pos != text.size()) return std::nullopt;
  return location;
}

}  // namespace clipset
