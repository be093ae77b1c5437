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
// in input order to `out` in canonical form. Memory: the output lines plus a few dozen bytes per
// item (no full items are kept). Throws clipset::Error: usage (options), data (--strict
// findings), io (reading or writing). Writes nothing before everything is decided.
SplitReport split_manifest(const SplitOptions& options, std::istream& in, const std::string& input_name,
                           std::ostream& out, const std::string& output_name, const SplitCallbacks& callbacks = {});

// ------------------------------------------------------------- the algorithms, for reuse

// Groups to deal into parts with target ratios (a split, or folds). Weights are whole numbers
// (items, or microseconds), so sums do not depend on the order items were read in.
struct PartitionGroup {
  std::int64_t weight = 0;
  std::vector<std::pair<std::uint32_t, std::int64_t>> classes;  // (class, weight with that class)
  int fixed = -1;  // the part it must go to (held out, kept); -1: free
};

struct PartitionProblem {
  std::vector<double> ratios;  // per part, summing to 1; parts with 0 only take fixed groups
  std::size_t class_count = 0;
  std::vector<PartitionGroup> groups;
};

// Where iterative stratification meets a tie it cannot break by the numbers.
enum class TieSite {
  label,           // several classes with the fewest remaining groups
  part,            // several parts want the class and the total equally
  part_unlabelled, // a group without classes: several parts want the total equally
};

class TieBreaker {
 public:
  virtual ~TieBreaker() = default;
  // A position in [0, candidates); candidates are in ascending index order.
  virtual std::size_t pick(std::size_t candidates, TieSite site) = 0;
};

// Iterative stratification (Sechidis, Tsoumakas, Vlahavas 2011) over groups: repeatedly take the
// class with the fewest unplaced groups and deal its groups, in `order`, each to the part that
// most wants that class (then the total; then the tie-breaker). Groups without classes go last,
// to the part that most wants the total. Fixed groups are placed first. Returns each group's part.
std::vector<int> iterative_stratification(const PartitionProblem& problem, const std::vector<std::size_t>& order,
                                          TieBreaker& ties);

// Local search after the greedy pass: moves free groups between parts with a positive ratio while
// that lowers the sum of squared deviations (per class and of the totals), then swaps pairs of
// groups (up to 2000 free groups). No change pushes a class's deviation in a part that is within
// (parts - 1) x the class's heaviest group beyond that, so the greedy pass's guarantee survives.
// Returns the number of changes.
std::size_t refine_partition(const PartitionProblem& problem, std::vector<int>& parts,
                             const std::vector<std::size_t>& order, int max_passes = 50);

// The balanced method: groups shuffled by a PRNG seeded with `seed` (xoshiro256**, identical on
// every platform), iterative stratification with seeded tie-breaks, then refine_partition.
// For single-class groups and no fixed groups, every class c in every part p ends within
// (parts with a positive ratio - 1) x (heaviest group of c) of ratio[p] x total(c).
std::vector<int> balanced_partition(const PartitionProblem& problem, std::uint64_t seed);

// Speech Commands' which_set(): the SHA-1 of the name read as a big-endian number, modulo 2^27.
std::uint32_t name_hash(std::string_view name);
// hash x (100 / (2^27 - 1)) in double, as which_set() computes it: in [0, 100].
double hash_percentage(std::uint32_t hash);
// The part a percentage falls in: parts take consecutive bands of [0, 100] in order.
std::size_t hash_part(double percentage, const std::vector<double>& ratios);
// The file name of `value` (after the last '/') with everything from the first "_nohash_" cut.
std::string nohash_name(std::string_view value);

}  // namespace clipset
