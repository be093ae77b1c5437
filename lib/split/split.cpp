// `split`: read everything, decide, then write. Nothing is written before every check passed, so
// a fatal problem leaves no partial output.

#include <algorithm>
#include <set>

#include "clipset/error.hpp"
#include "clipset/item_keys.hpp"
#include "internal.hpp"

namespace clipset {

namespace {

constexpr std::size_t kMaxClasses = 20000;

bool valid_field_path(const std::string& field) {
  if (field.empty() || field.front() == '.' || field.back() == '.') return false;
  return field.find("..") == std::string::npos;
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ",") + item;
  return text;
}

}  // namespace

void check_split_options(const SplitOptions& o) {
  if (o.names.empty()) throw_option("names", "no split names given");
  if (o.names.size() != o.ratios.size()) {
    throw_option("names", join(o.names), std::to_string(o.names.size()) + " name" + (o.names.size() == 1 ? "" : "s") + " for " +
                                                std::to_string(o.ratios.size()) + " ratio" + (o.ratios.size() == 1 ? "" : "s") +
                                                "; give one name per ratio");
  }
  if (o.names.size() > 1000) throw_option("names", "at most 1000 splits");
  std::set<std::string> seen;
  for (const auto& name : o.names) {
    if (name.empty()) throw_option("names", join(o.names), "a split name is empty");
    if (!seen.insert(name).second) throw_option("names", join(o.names), "'" + name + "' is given twice");
  }
  if (std::none_of(o.ratios.begin(), o.ratios.end(), [](double r) { return r > 0; })) throw_option("ratios", "ratios sum to zero");
  if (o.group_by.empty()) throw_option("group_by", "no field given");
  for (const auto& field : o.group_by) {
    if (!valid_field_path(field)) throw_option("group_by", field, "not a field name such as group or meta.recorder");
  }
  if (o.group_by.size() > 1000) throw_option("group_by", "at most 1000 fields");
  if (!o.stratify.empty() && !valid_field_path(o.stratify)) {
    throw_option("stratify", o.stratify, "expected labels, none or a field name such as meta.device");
  }
  if (o.holdouts.size() > 30000) throw_option("holdouts", "at most 30000 rules");
  for (const auto& rule : o.holdouts) {
    if (std::find(o.names.begin(), o.names.end(), rule.split) == o.names.end()) {
      throw_option("holdouts", rule.text, "no split named '" + rule.split + "' ({{names}} " + join(o.names) + ")");
    }
  }
  if (o.folds < 0 || o.folds == 1 || o.folds > 1000) throw_option("folds", std::to_string(o.folds), "expected a number of folds from 2 to 1000");
  if (!o.folds_within.empty() && o.folds == 0) throw_option("folds_within", "needs {{folds}} K");
  for (const auto& name : o.folds_within) {
    if (std::find(o.names.begin(), o.names.end(), name) == o.names.end()) {
      throw_option("folds_within", name, "no split named '" + name + "' ({{names}} " + join(o.names) + ")");
    }
  }
}

namespace split_detail {

void require_near_dup_field(const SplitOptions& options, const ItemTable& table, const std::string& input_name) {
  if (table.count == 0 || std::find(options.group_by.begin(), options.group_by.end(), kNearDupField) == options.group_by.end()) return;
  // Items with no --group-by value at all lack it too, and are counted apart.
  const auto it = table.missing_field.find(kNearDupField);
  const std::size_t lacking = table.ungrouped + (it == table.missing_field.end() ? 0 : it->second);
  if (lacking < table.count) return;
  throw_usage(input_name, std::string("no item has a '") + kNearDupField +
                              "' field (its near-duplicate cluster) to group by: run 'clipset dups MANIFEST --annotate FILE' first, then split FILE");
}

void write_items(const LineStore& lines, const Assignment& assignment, const std::vector<std::string>& names,
                 std::ostream& out, const std::string& name) {
  std::vector<std::string> split_text;
  for (const auto& n : names) split_text.push_back(",\"split\":" + Json(n).dump(-1, ' ', false, Json::error_handler_t::replace));
  constexpr std::size_t kFlushBytes = std::size_t{1} << 20;
  std::string buffer;
  buffer.reserve(kFlushBytes + 4096);
  auto flush = [&] {
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (!out) throw_io(name, "write failed");
    buffer.clear();
  };
  lines.for_each([&](std::size_t i, std::string_view before, std::string_view after) {
    buffer += before;
    buffer += split_text[static_cast<std::size_t>(assignment.split[i])];
    if (assignment.fold[i] >= 0) {
      buffer += ",\"fold\":";
      buffer += std::to_string(assignment.fold[i]);
    }
    buffer += after;
    buffer += '\n';
    if (buffer.size() >= kFlushBytes) flush();
  });
  flush();
}

}  // namespace split_detail

SplitReport split_manifest(const SplitOptions& options, std::istream& in, const std::string& input_name,
                           std::ostream& out, const std::string& output_name, const SplitCallbacks& callbacks) {
  ManifestBlocks input(in, input_name);
  return split_manifest(options, input, out, output_name, callbacks);
}

SplitReport split_manifest(const SplitOptions& options, ManifestBlocks& input, std::ostream& out,
                           const std::string& output_name, const SplitCallbacks& callbacks) {
  using namespace split_detail;
  const std::string& input_name = input.display_name();
  check_split_options(options);
  SplitReport report;
  report.method = options.method;
  report.weight = options.weight;
  report.seed = options.seed;
  report.group_by = options.group_by;
  report.stratify = options.stratify;
  report.names = options.names;

  ReadResult read = read_items(options, input, callbacks);
  const ItemTable& table = read.table;
  report.lines = read.lines_read;
  report.bad_lines = read.bad_lines;
  report.ungrouped_items = table.ungrouped;
  report.ungrouped_examples = table.ungrouped_examples;
  report.missing_field = table.missing_field;

  if (options.keep_existing && !table.unknown_splits.empty()) {
    std::string listed;
    for (const auto& [name, n] : table.unknown_splits) listed += (listed.empty() ? "'" : ", '") + name + "' (" + std::to_string(n) + ")";
    const auto& first = table.unknown_splits.begin()->first;
    throw_data(input_name, "{{keep_existing}}: items have splits that are not in {{names}} " + join(options.names) + ": " + listed +
                               "; add them to {{names}} with a ratio (e.g. {{names}} " + join(options.names) + "," + first +
                               " with a 0 ratio keeps them and adds nothing)");
  }
  require_near_dup_field(options, table, input_name);
  if (options.strict && table.ungrouped > 0) {
    throw_data(input_name, std::to_string(table.ungrouped) + (table.ungrouped == 1 ? " item has" : " items have") +
                               " none of the {{group_by}} fields (" + join(options.group_by) + "), first " + table.ungrouped_examples.front() +
                               "; under {{strict}} every item needs one");
  }
  if (options.weight == SplitWeight::seconds && table.count > 0) {
    const auto missing = static_cast<std::size_t>(std::count(table.micros.begin(), table.micros.end(), -1));
    if (missing == table.count) throw_data(input_name, "no item has a duration; {{weight}} seconds needs them (or use {{weight}} items)");
    if (options.strict && missing > 0) {
      throw_data(input_name, std::to_string(missing) + (missing == 1 ? " item has" : " items have") +
                                 " no duration; under {{strict}} {{weight}} seconds needs every one");
    }
  }

  // Stratification looks at every class per step; a field with a distinct value per item (an
  // id, a path) is no class field, and would make that quadratic.
  if (table.class_names.size() > kMaxClasses) {
    throw_option("stratify", options.stratify, std::to_string(table.class_names.size()) +
                                                      " distinct values; at most " + std::to_string(kMaxClasses) +
                                                      " classes can be balanced (give {{stratify}} none or a field with fewer values)");
  }
  if (table.count > 0) {
    const Groups groups = build_groups(table, options);
    const Facts facts = item_facts(table, options);
    const Assignment assignment = assign(options, table, groups, facts, report);
    tally(options, table, groups, facts, assignment, report);
    write_items(read.lines, assignment, options.names, out, output_name);
  } else {
    report.splits.assign(options.names.size(), PartTally{});
    for (std::size_t j = 0; j < options.names.size(); ++j) report.splits[j].target = options.ratios[j];
  }
  return report;
}

}  // namespace clipset
