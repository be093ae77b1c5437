// Time periods from `meta.recorded_at`: days, ISO weeks and months of the date the text starts with.

#include <cstdio>
#include <cstdlib>

#include "clipset/error.hpp"
#include "internal.hpp"

namespace clipset {

namespace {

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : kDays[month - 1];
}

// Days since 0000-01-01 (proleptic Gregorian) of a date with a year of four digits.
long day_number(int year, int month, int day) {
  // Leap years in [0, year): every 4th, not every 100th, every 400th (year 0 is one).
  long days = 365L * year + (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400;
  for (int m = 1; m < month; ++m) days += days_in_month(year, m);
  return days + day - 1;
}

// Monday = 1 ... Sunday = 7, counted from a known Monday (2000-01-03).
int iso_weekday(long days) {
  const long since_monday = days - day_number(2000, 1, 3);
  return static_cast<int>(((since_monday % 7) + 7) % 7) + 1;
}

// The ISO 8601 week-numbering year and week of a date: the week belongs to the year of its Thursday.
std::pair<int, int> iso_week(int year, int month, int day) {
  const long days = day_number(year, month, day);
  const long thursday = days - iso_weekday(days) + 4;
  int week_year = year;
  if (thursday < day_number(year, 1, 1)) week_year = year - 1;
  else if (thursday >= day_number(year + 1, 1, 1)) week_year = year + 1;
  const long first_day = day_number(week_year, 1, 1);
  return {week_year, static_cast<int>((thursday - first_day) / 7) + 1};
}

bool digits(const std::string& text, std::size_t from, std::size_t count) {
  if (text.size() < from + count) return false;
  for (std::size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

}  // namespace

ComparePeriod parse_compare_period(const std::string& text) {
  if (text == "day") return ComparePeriod::day;
  if (text == "week") return ComparePeriod::week;
  if (text == "month") return ComparePeriod::month;
  throw_option("period", text, "expected day, week or month");
}

std::optional<std::string> period_of(const std::string& timestamp, ComparePeriod period) {
  // YYYY-MM-DD, then the end of the text or a time part ('T' or ' ').
  if (!digits(timestamp, 0, 4) || timestamp.size() < 10 || timestamp[4] != '-' || !digits(timestamp, 5, 2) ||
      timestamp[7] != '-' || !digits(timestamp, 8, 2)) {
    return std::nullopt;
  }
  if (timestamp.size() > 10 && timestamp[10] != 'T' && timestamp[10] != ' ' && timestamp[10] != 't') return std::nullopt;
  const int year = std::atoi(timestamp.substr(0, 4).c_str());
  const int month = std::atoi(timestamp.substr(5, 2).c_str());
  const int day = std::atoi(timestamp.substr(8, 2).c_str());
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  if (period == ComparePeriod::day) return timestamp.substr(0, 10);
  if (period == ComparePeriod::month) return timestamp.substr(0, 7);
  const auto [week_year, week] = iso_week(year, month, day);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-W%02d", week_year, week);
  return std::string(text);
}

}  // namespace clipset
