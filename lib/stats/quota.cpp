// Quotas while collecting: items and seconds per class (and per value of the --by fields) against
// a target, what is still to go, and when it will be there at the pace of the last four weeks of
// `meta.recorded_at` dates.

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "clipset/error.hpp"
#include "clipset/text.hpp"
#include "internal.hpp"

namespace clipset {

namespace {

// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// The civil date of a day count (Howard Hinnant's civil_from_days).
std::string civil_text(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char text[32];
  std::snprintf(text, sizeof text, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return text;
}

}  // namespace

std::optional<std::int64_t> quota_day(std::string_view text) {
  // "2026-11-26", "2026-11-26T10:00:00Z", "2026-11-26 10:00": the date is all a pace needs.
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  const std::string date(text.substr(0, 10));
  if (std::sscanf(date.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') return std::nullopt;
  return days_from_civil(y, m, d);
}

std::size_t QuotaRow::to_go() const { return items >= target ? 0 : target - items; }

std::optional<double> QuotaRow::per_week() const {
  if (!dated) return std::nullopt;
  return static_cast<double>(recent) / (static_cast<double>(kQuotaWindowDays) / 7.0);
}

std::optional<double> QuotaRow::weeks() const {
  const auto pace = per_week();
  if (to_go() == 0) return 0.0;
  if (!pace || *pace <= 0) return std::nullopt;
  return static_cast<double>(to_go()) / *pace;
}

std::string quota_sentence(const QuotaRow& row) {
  std::string text = (row.field == "labels" ? row.value : row.field + "=" + row.value) + " " + std::to_string(row.items) + "/" +
                     std::to_string(row.target) + " clips (";
  if (row.to_go() == 0) return text + "target reached)";
  text += std::to_string(row.to_go()) + " to go";
  const auto pace = row.per_week();
  if (!pace) return text + "; no recorded_at dates to project from)";
  if (*pace <= 0) return text + "; none recorded in the last 4 weeks)";
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.0f", *pace);
  const auto weeks = static_cast<long>(std::ceil(*row.weeks()));
  return text + "; at the last 4 weeks' " + rate + " a week: about " + std::to_string(weeks) + (weeks == 1 ? " week)" : " weeks)");
}

std::map<std::string, std::size_t> parse_quota_targets(std::string_view text, const std::string& name) {
  std::map<std::string, std::size_t> targets;
  std::size_t line_no = 0;
  for (std::size_t begin = 0; begin < text.size();) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = trim(text.substr(begin, end - begin));
    begin = end + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    const std::size_t comma = line.rfind(',');
    const std::string where = name + ":" + std::to_string(line_no);
    if (comma == std::string_view::npos) throw_data(where, "expected KEY,TARGET (a class, or FIELD=VALUE, then a number of items)");
    const std::string key(trim(line.substr(0, comma)));
    const std::string number(trim(line.substr(comma + 1)));
    if (key.empty()) throw_data(where, "the key before the comma is empty");
    if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos || number.size() > 12) {
      throw_data(where, "the target '" + number + "' is not a whole number of items");
    }
    if (!targets.emplace(key, std::stoull(number)).second) throw_data(where, "'" + key + "' has a target already");
  }
  return targets;
}

std::map<std::string, std::size_t> quota_targets_from_curve(const Json& curve, const std::string& name) {
  const Json* per_class = find_field(curve, "target.per_class");
  if (per_class == nullptr || !per_class->is_object() || per_class->empty()) {
    throw_data(name, "holds no per-class target (run learning-curve with --target and --format json)");
  }
  std::map<std::string, std::size_t> targets;
  for (const auto& [label, clips] : per_class->items()) {
    if (!clips.is_number() || !std::isfinite(clips.get<double>()) || clips.get<double>() < 0) {
      throw_data(name, "target.per_class." + label + " is not a number of clips");
    }
    targets[label] = static_cast<std::size_t>(std::ceil(clips.get<double>()));
  }
  return targets;
}

namespace stats_detail {

std::string quota_date_text(std::int64_t day) { return civil_text(day); }

std::optional<TextTable> quota_table(const StatsReport& r) {
  if (r.quotas.empty()) return std::nullopt;
  TextTable t;
  t.title = "quotas";
  t.header = {"field", "value", "items", "target", "to_go", "seconds", "last_4_weeks", "per_week", "weeks_to_go"};
  t.numeric = {false, false, true, true, true, true, true, true, true};
  for (const QuotaRow& q : r.quotas) {
    t.rows.push_back({q.field, q.value, std::to_string(q.items), std::to_string(q.target), std::to_string(q.to_go()), fixed(q.seconds, 1),
                      q.dated ? std::to_string(q.recent) : "-", fixed(q.per_week(), 1), fixed(q.weeks(), 1)});
  }
  if (!r.quota_now.empty()) t.notes.push_back("pace: items recorded in the 4 weeks up to " + r.quota_now + " (meta.recorded_at)");
  for (const QuotaRow& q : r.quotas) t.notes.push_back(quota_sentence(q));
  return t;
}

void QuotaTally::add(const std::string& field, const std::string& value, std::optional<double> seconds, std::optional<std::int64_t> day) {
  Tally& t = tallies_[{field, value}];
  ++t.items;
  if (seconds) t.seconds += *seconds;
  if (day) {
    ++t.days[*day];
    newest_ = newest_ ? std::max(*newest_, *day) : *day;
  }
}

std::optional<std::size_t> QuotaTally::target_of(const std::string& field, const std::string& value) const {
  const auto it = options_.targets.find(field == "labels" ? value : field + "=" + value);
  if (it != options_.targets.end()) return it->second;
  if (options_.each > 0) return options_.each;
  return std::nullopt;
}

std::vector<QuotaRow> QuotaTally::finish(const std::vector<std::string>& fields, std::optional<std::int64_t>& now) {
  now = newest_;
  if (!options_.now.empty()) now = quota_day(options_.now);
  // A target for a class or value nothing has reached yet: a row at 0.
  for (const auto& [key, target] : options_.targets) {
    const std::size_t eq = key.find('=');
    const bool field_value = eq != std::string::npos && std::find(fields.begin(), fields.end(), key.substr(0, eq)) != fields.end();
    tallies_.try_emplace(field_value ? std::make_pair(key.substr(0, eq), key.substr(eq + 1)) : std::make_pair(std::string("labels"), key));
  }
  std::vector<QuotaRow> rows;
  for (const auto& [key, t] : tallies_) {
    const auto target = target_of(key.first, key.second);
    if (!target) continue;
    QuotaRow row{key.first, key.second, t.items, t.seconds, *target, 0, !t.days.empty()};
    if (now) {
      for (auto it = t.days.upper_bound(*now - kQuotaWindowDays); it != t.days.end() && it->first <= *now; ++it) row.recent += it->second;
    }
    rows.push_back(std::move(row));
  }
  const auto rank = [&](const std::string& field) { return std::find(fields.begin(), fields.end(), field) - fields.begin(); };
  std::stable_sort(rows.begin(), rows.end(), [&](const QuotaRow& a, const QuotaRow& b) {
    return std::make_pair(a.field == "labels" ? -1 : rank(a.field), a.value) < std::make_pair(b.field == "labels" ? -1 : rank(b.field), b.value);
  });
  return rows;
}

}  // namespace stats_detail

}  // namespace clipset
