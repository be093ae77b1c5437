#pragma once
// The split module's algorithms, private to lib/split (tests reach them through
// clipset_split_internal as "split/partition.hpp"): iterative stratification over groups, the
// local search after it, and Speech Commands' hash rule.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clipset {

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
