#pragma once
// `split`: leakage-free, stratified, reproducible train/val/test splits and cross-validation
// folds. Every item of a group lands in one split; class proportions follow the target ratios as
// closely as the groups allow; the same input and seed give the same bytes. See docs/split.md.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clipset/manifest.hpp"
#include "clipset/manifest_blocks.hpp"

namespace clipset {

// ------------------------------------------------------------------------------- options

enum class SplitMethod {
  balanced,  // group-level iterative stratification, then local search on the deviation
  hash,      // each group by a hash of its key (Speech Commands' rule): stable as data grows
};

enum class SplitWeight { items, seconds };  // what the ratios count

// How a --group-by value becomes a group key.
enum class GroupKeyForm {
  value,   // as it is
  nohash,  // Speech Commands: the file name of the value, cut at the first "_nohash_"
};

// --holdout EXPR: "FIELD OP VALUE:SPLIT", e.g. "meta.device=iphone-12:test".
struct HoldoutRule {
  enum class Op { eq, ne, lt, le, gt, ge };
  std::string text;   // as the user wrote it, for messages
  std::string field;  // dotted path
  Op op = Op::eq;
  std::string value;
  std::string split;
};

// Throws clipset::Error (usage) naming the expression and what was expected.
HoldoutRule parse_holdout(std::string_view text);

// Whether one record matches. A missing or null field matches no rule (not even !=). Numbers
// compare numerically when both sides are numbers (or numeric strings, as sheet columns are);
// anything else compares as text, byte by byte (ISO dates sort correctly). For a list, = < <= >
// >= hold when any element satisfies them and != when no element equals the value.
bool holdout_matches(const HoldoutRule& rule, const Json& record);
// The same for the rule's field already looked up (nullptr: absent).
bool holdout_value_matches(const HoldoutRule& rule, const Json* value);

struct SplitOptions {
  std::vector<std::string> names{"train", "val", "test"};
  std::vector<double> ratios{0.8, 0.1, 0.1};  // normalised (units.hpp parse_ratios)
  std::vector<std::string> group_by{"group"};  // dotted fields; several join groups sharing any value
  GroupKeyForm group_key = GroupKeyForm::value;
  std::string stratify = "labels";  // dotted field whose values are the classes; empty: none
  SplitMethod method = SplitMethod::balanced;
  SplitWeight weight = SplitWeight::items;
  std::uint64_t seed = 0;
  bool keep_existing = false;             // items with a split (and fold) in range keep it
  std::vector<HoldoutRule> holdouts;      // first matching rule wins
  int folds = 0;                          // 0: no folds (an earlier `fold` is removed)
  std::vector<std::string> folds_within;  // split names whose items get folds; empty: all
  bool strict = false;  // bad lines, ungrouped items, leaks among kept items: fatal (data)
  unsigned jobs = 1;    // threads for reading; results never depend on it
};

// Checks names against ratios, holdout and --folds-within split names. Throws (usage).
void check_split_options(const SplitOptions& options);

// --------------------------------------------------------------------------- the report

// One split (or fold), or one class within it.
struct PartTally {
  std::size_t items = 0;
  std::size_t groups = 0;
  double seconds = 0;
  double share = 0;      // of the weight (items or seconds) of the whole, or of the class
  double target = 0;     // the ratio asked for
  double deviation = 0;  // share - target
};

struct ClassTally {
  std::string name;
  std::size_t items = 0;
  std::size_t groups = 0;
  double seconds = 0;
  std::vector<PartTally> parts;  // per split (or fold)
  double max_abs_deviation = 0;
};

// A group heavier than some split's whole share: it cannot go there without overshooting it.
struct LargeGroup {
  std::string key;
  std::size_t items = 0;
  double seconds = 0;
  double share = 0;  // of the whole
  std::string split;
  std::vector<std::string> larger_than;  // splits whose target share it exceeds
};

// A class some split (with a positive ratio) has no example of.
struct SparseClass {
  std::string name;
  std::size_t groups = 0;
  std::vector<std::string> missing_from;
};

// --keep-existing: a group whose kept items are in several splits already (a leak in the input).
struct KeptConflict {
  std::string group;
  std::vector<std::pair<std::string, std::size_t>> splits;  // split, kept items there
};

struct HoldoutTally {
  std::string rule;
  std::size_t matched_items = 0;  // items matching the rule itself
  std::size_t groups = 0;         // groups sent to its split because of it
  std::size_t items = 0;          // items of those groups
};

struct FoldReport {
  int count = 0;
  std::vector<std::string> within;  // empty: every item
  std::vector<PartTally> folds;
  std::vector<ClassTally> classes;
  double max_abs_deviation = 0;        // of fold sizes
  double max_abs_class_deviation = 0;
  std::size_t kept_items = 0;
};

struct SplitReport {
  SplitMethod method = SplitMethod::balanced;
  SplitWeight weight = SplitWeight::items;
  std::uint64_t seed = 0;
  std::vector<std::string> group_by;
  std::string stratify;
  std::size_t lines = 0;      // lines read
  std::size_t bad_lines = 0;  // skipped (reported through the problem callback)
  std::size_t items = 0;
  std::size_t groups = 0;
  double seconds = 0;
  std::size_t items_without_duration = 0;
  std::vector<std::string> names;
  std::vector<PartTally> splits;
  std::vector<ClassTally> classes;  // by name
  std::size_t unlabelled_items = 0;
  double max_abs_deviation = 0;        // of split sizes
  double max_abs_class_deviation = 0;  // over classes and splits
  // Items that have none of the --group-by fields: each is a group of its own.
  std::size_t ungrouped_items = 0;
  std::vector<std::string> ungrouped_examples;  // the first few ids
  std::map<std::string, std::size_t> missing_field;  // field -> items without it (several fields)
  std::size_t reassigned_items = 0;  // items whose earlier split changed (no --keep-existing)
  std::size_t kept_items = 0;
  std::size_t joined_kept_group = 0;  // new items that followed their group's kept split
  std::vector<KeptConflict> kept_conflicts;
  std::vector<HoldoutTally> holdouts;
  std::vector<LargeGroup> large_groups;  // heaviest first
  std::vector<SparseClass> sparse_classes;
  std::size_t folds_removed = 0;  // earlier `fold` values dropped (no --folds, or out of scope)
  FoldReport folds;
};

// The report as JSON (--report FILE): stable key order, shares rounded to 1e-6.
Json split_report_to_json(const SplitReport& report);
// The same as readable lines for stderr: per split, per class (the worst `max_classes` when
// there are more), then warnings (large groups, sparse classes, ungrouped items, kept leaks).
struct ReportLine {
  bool warning = false;
  std::string text;
};
std::vector<ReportLine> split_report_lines(const SplitReport& report, std::size_t max_classes = 30);

// ----------------------------------------------------------------------- the whole command

struct SplitCallbacks {
  std::function<void(const ManifestProblem&)> problem;          // a bad line, skipped
  std::function<void(std::size_t bytes_read)> progress;         // while reading
};

// Reads the whole manifest, assigns every item a split (and fold), and writes every good item
// in input order to `out`. Memory: the output lines plus a few dozen bytes per
// item (no full items are kept). Throws clipset::Error: usage (options), data (--strict
// findings), io (reading or writing). Writes nothing before everything is decided.
// Each line is written back as it was read with its split and fold spliced in (every other byte
// kept); a line without manifest_version, or with a top-level key written with an escape, is
// written in canonical form instead.
SplitReport split_manifest(const SplitOptions& options, ManifestBlocks& input, std::ostream& out,
                           const std::string& output_name, const SplitCallbacks& callbacks = {});
SplitReport split_manifest(const SplitOptions& options, std::istream& in, const std::string& input_name,
                           std::ostream& out, const std::string& output_name, const SplitCallbacks& callbacks = {});

}  // namespace clipset
