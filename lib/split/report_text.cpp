// The split report as readable lines for stderr: tables per split, class and fold, then the
// warnings a person should act on.

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>

#include "clipset/text.hpp"
#include "clipset/units.hpp"
#include "internal.hpp"

namespace clipset {

namespace {

using split_detail::fold_names;
using split_detail::method_name;

std::string printf_string(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string printf_string(const char* format, ...) {
  char buffer[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  return buffer;
}

std::string percent(double fraction) { return printf_string("%.2f%%", fraction * 100); }
std::string points(double fraction) { return printf_string("%+.2f pp", fraction * 100); }
std::string plural(std::size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

// Rows of cells to aligned lines, indented: first column left, the rest right.
std::vector<std::string> table(const std::vector<std::vector<std::string>>& rows) {
  std::size_t columns = 0;
  for (const auto& row : rows) columns = std::max(columns, row.size());
  std::vector<bool> right(columns, true);
  if (columns > 0) right[0] = false;
  std::vector<std::string> lines = aligned_columns(rows, right);
  for (auto& line : lines) line = line.empty() ? line : "  " + line;
  return lines;
}

void parts_table(std::vector<ReportLine>& out, const char* title, const std::vector<std::string>& names,
                 const std::vector<PartTally>& parts) {
  std::vector<std::vector<std::string>> rows{{title, "target", "items", "share", "deviation", "groups", "seconds"}};
  for (std::size_t j = 0; j < parts.size(); ++j) {
    const auto& t = parts[j];
    rows.push_back({names[j], percent(t.target), std::to_string(t.items), percent(t.share), points(t.deviation),
                    std::to_string(t.groups), format_duration(t.seconds)});
  }
  for (auto& line : table(rows)) out.push_back({false, std::move(line)});
}

// Class shares per part; the `max_classes` worst when there are more.
void classes_table(std::vector<ReportLine>& out, const std::vector<std::string>& names,
                   const std::vector<ClassTally>& classes, std::size_t max_classes) {
  if (classes.empty()) return;
  std::vector<const ClassTally*> shown;
  for (const auto& c : classes) shown.push_back(&c);
  if (shown.size() > max_classes) {
    std::stable_sort(shown.begin(), shown.end(), [](const ClassTally* a, const ClassTally* b) { return a->max_abs_deviation > b->max_abs_deviation; });
    shown.resize(max_classes);
    std::sort(shown.begin(), shown.end(), [](const ClassTally* a, const ClassTally* b) { return a->name < b->name; });
  }
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header{"class", "items", "groups", "seconds"};
  for (const auto& name : names) header.push_back(name);
  header.push_back("max |dev|");
  rows.push_back(header);
  for (const auto* c : shown) {
    std::vector<std::string> row{c->name, std::to_string(c->items), std::to_string(c->groups), format_duration(c->seconds)};
    for (const auto& p : c->parts) row.push_back(std::to_string(p.items) + " (" + percent(p.share) + ")");
    row.push_back(printf_string("%.2f pp", c->max_abs_deviation * 100));
    rows.push_back(std::move(row));
  }
  for (auto& line : table(rows)) out.push_back({false, std::move(line)});
  if (shown.size() < classes.size()) {
    out.push_back({false, "  ... and " + plural(classes.size() - shown.size(), "more class", "more classes") +
                              " closer to the ratios (all of them are in {{report}})"});
  }
}

// "0.35 pp (siren in test)"
std::string worst_class(const std::vector<ClassTally>& classes, const std::vector<std::string>& names) {
  const ClassTally* worst = nullptr;
  for (const auto& c : classes) {
    if (worst == nullptr || c.max_abs_deviation > worst->max_abs_deviation) worst = &c;
  }
  if (worst == nullptr) return "";
  std::size_t at = 0;
  for (std::size_t j = 0; j < worst->parts.size(); ++j) {
    if (std::fabs(worst->parts[j].deviation) == worst->max_abs_deviation) {
      at = j;
      break;
    }
  }
  return printf_string("%.2f pp", worst->max_abs_deviation * 100) + " (" + worst->name + " in " + names[at] + ")";
}

std::string worst_part(const std::vector<PartTally>& parts, const std::vector<std::string>& names) {
  std::size_t at = 0;
  for (std::size_t j = 0; j < parts.size(); ++j) {
    if (std::fabs(parts[j].deviation) > std::fabs(parts[at].deviation)) at = j;
  }
  return parts.empty() ? "" : printf_string("%.2f pp", std::fabs(parts[at].deviation) * 100) + " (" + names[at] + ")";
}

void info_line(std::vector<ReportLine>& out, std::string text) { out.push_back({false, std::move(text)}); }
void warn_line(std::vector<ReportLine>& out, std::string text) { out.push_back({true, std::move(text)}); }

// The sizes: totals, the split and class tables, the folds.
void add_tables(std::vector<ReportLine>& out, const SplitReport& r, std::size_t max_classes) {
  auto info = [&](std::string text) { info_line(out, std::move(text)); };
  const std::string unit = r.weight == SplitWeight::seconds ? "seconds" : "items";

  info(plural(r.items, "item", "items") + " in " + plural(r.groups, "group", "groups") + " (" + format_duration(r.seconds) +
       "), " + plural(r.classes.size(), "class", "classes") + "; method " + method_name(r.method) +
       (r.method == SplitMethod::balanced ? ", seed " + std::to_string(r.seed) : std::string()) + ", ratios of " + unit);
  parts_table(out, "split", r.names, r.splits);
  classes_table(out, r.names, r.classes, max_classes);
  std::string worst = "largest deviation from the ratios: split sizes " + worst_part(r.splits, r.names);
  if (!r.classes.empty()) worst += ", classes " + worst_class(r.classes, r.names);
  info(worst);
  if (r.folds.count > 0) {
    const auto names = fold_names(r.folds.count);
    info(std::to_string(r.folds.count) + " folds over " +
         (r.folds.within.empty() ? std::string("every item") : "the items of " + join(r.folds.within)) + ":");
    parts_table(out, "fold", names, r.folds.folds);
    std::string line = "largest fold deviation: sizes " + worst_part(r.folds.folds, names);
    if (!r.folds.classes.empty()) line += ", classes " + worst_class(r.folds.classes, names);
    info(line);
  }

}

// What the options did: hold-outs, kept splits, folds removed, items missing a field.
void add_notes(std::vector<ReportLine>& out, const SplitReport& r) {
  auto info = [&](std::string text) { info_line(out, std::move(text)); };
  auto warn = [&](std::string text) { warn_line(out, std::move(text)); };
  for (const auto& h : r.holdouts) {
    info("{{holdouts}} '" + h.rule + "': " + plural(h.matched_items, "item matches", "items match") + "; " +
         plural(h.groups, "group", "groups") + " (" + plural(h.items, "item", "items") + ") held out");
  }
  if (r.kept_items > 0) {
    info("kept the split of " + plural(r.kept_items, "item", "items") +
         (r.joined_kept_group > 0 ? "; " + plural(r.joined_kept_group, "new item joined its group's split", "new items joined their groups' splits")
                                  : std::string()));
  }
  if (r.reassigned_items > 0) {
    info(plural(r.reassigned_items, "item", "items") + " had another split before ({{keep_existing}} keeps earlier splits)");
  }
  if (r.folds_removed > 0) {
    info("removed 'fold' from " + plural(r.folds_removed, "item", "items") +
         (r.folds.count > 0 ? " outside {{folds_within}}" : " (it belonged to an earlier split; {{folds}} K assigns folds)"));
  }
  if (r.unlabelled_items > 0 && !r.stratify.empty()) {
    info(plural(r.unlabelled_items, "item has", "items have") + " no '" + r.stratify + "': dealt by size only");
  }
  if (r.items_without_duration > 0 && r.items > 0) {
    if (r.weight == SplitWeight::seconds) warn(plural(r.items_without_duration, "item has", "items have") + " no duration: counted as 0 seconds");
    else info(plural(r.items_without_duration, "item has", "items have") + " no duration (seconds count the others)");
  }
  for (const auto& [field, n] : r.missing_field) {
    info(plural(n, "item has", "items have") + " no '" + field + "': grouped through the other {{group_by}} fields");
  }
}

// What may make the split leak or a score unmeasurable.
void add_warnings(std::vector<ReportLine>& out, const SplitReport& r) {
  auto warn = [&](std::string text) { warn_line(out, std::move(text)); };
  if (r.ungrouped_items > 0) {
    std::string fields;
    for (const auto& f : r.group_by) fields += (fields.empty() ? "'" : " or '") + f + "'";
    warn(plural(r.ungrouped_items, "item has", "items have") + " no " + fields + " (" + join(r.ungrouped_examples) +
         (r.ungrouped_items > r.ungrouped_examples.size() ? ", ..." : "") +
         "): grouped by their 'group', else 'source.id', else alone; check that nothing leaks ({{strict}} fails)");
  }
  for (std::size_t i = 0; i < r.kept_conflicts.size() && i < 5; ++i) {
    const auto& c = r.kept_conflicts[i];
    std::string parts;
    for (const auto& [name, n] : c.splits) parts += (parts.empty() ? "" : ", ") + name + " (" + std::to_string(n) + ")";
    warn("group '" + c.group + "' is already in " + parts + ": {{keep_existing}} keeps those items where they are, a leak ({{strict}} fails)");
  }
  if (r.kept_conflicts.size() > 5) warn("... and " + plural(r.kept_conflicts.size() - 5, "more such group", "more such groups") + " (see {{report}})");
  for (std::size_t i = 0; i < r.large_groups.size() && i < 5; ++i) {
    const auto& g = r.large_groups[i];
    warn("group '" + g.key + "' (" + plural(g.items, "item", "items") + ", " + percent(g.share) + ") is larger than the share of " +
         join(g.larger_than) + ": it went to " + g.split + ", and the ratios are met only as far as the groups allow");
  }
  if (r.large_groups.size() > 5) warn("... and " + plural(r.large_groups.size() - 5, "more such group", "more such groups") + " (see {{report}})");
  std::size_t open = 0;
  for (const auto& s : r.splits) open += s.target > 0 ? 1 : 0;
  for (std::size_t i = 0; i < r.sparse_classes.size() && i < 10; ++i) {
    const auto& c = r.sparse_classes[i];
    const std::string missing = join(c.missing_from);
    if (c.groups < open) {
      warn("class '" + c.name + "' is in " + plural(c.groups, "group", "groups") + ", fewer than the " + std::to_string(open) +
           " splits: " + missing + (c.missing_from.size() == 1 ? " has" : " have") + " none of it, so its score there cannot be measured");
    } else {
      warn("class '" + c.name + "' is in " + plural(c.groups, "group", "groups") + " but " + missing +
           (c.missing_from.size() == 1 ? " has" : " have") + " none of it (its groups went to other splits), so its score there cannot be measured");
    }
  }
  if (r.sparse_classes.size() > 10) warn("... and " + plural(r.sparse_classes.size() - 10, "more such class", "more such classes") + " (see {{report}})");
}

}  // namespace

std::vector<ReportLine> split_report_lines(const SplitReport& r, std::size_t max_classes) {
  std::vector<ReportLine> out;
  add_tables(out, r, max_classes);
  add_notes(out, r);
  add_warnings(out, r);
  return out;
}


}  // namespace clipset
