// The balanced method: a seeded order and seeded tie-breaks for iterative stratification, then
// local search. Everything random comes from one documented PRNG, so a seed means the same split
// on every platform.

#include "clipset/split.hpp"
#include "partition.hpp"
#include "clipset/prng.hpp"

namespace clipset {

namespace {

constexpr std::uint64_t kStreamBalanced = 1;

class RandomTies final : public TieBreaker {
 public:
  explicit RandomTies(Prng& prng) : prng_(prng) {}
  std::size_t pick(std::size_t candidates, TieSite) override {
    return static_cast<std::size_t>(prng_.below(candidates));
  }

 private:
  Prng& prng_;
};

}  // namespace

std::vector<int> balanced_partition(const PartitionProblem& problem, std::uint64_t seed) {
  Prng prng(seed, kStreamBalanced);
  // The caller numbers groups in an order that does not depend on the input's line order (by
  // key), so shuffling that numbering makes the result depend on the seed alone.
  std::vector<std::size_t> order;
  order.reserve(problem.groups.size());
  for (std::size_t g = 0; g < problem.groups.size(); ++g) {
    if (problem.groups[g].fixed < 0) order.push_back(g);
  }
  shuffle(order, prng);
  RandomTies ties(prng);
  std::vector<int> parts = iterative_stratification(problem, order, ties);
  refine_partition(problem, parts, order);
  return parts;
}

}  // namespace clipset
