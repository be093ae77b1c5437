#pragma once
// A small PRNG with a fixed, documented algorithm (xoshiro256** seeded through splitmix64), so a
// seed gives the same split (or subset, or bootstrap) on every platform and standard library. <random>'s distributions are
// implementation-defined, so they are not used.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace clipset {

// splitmix64 (Steele, Lea, Flood 2014): also spreads a user's small seeds (0, 1, 2) apart.
std::uint64_t splitmix64(std::uint64_t& state);

class Prng {
 public:
  // `stream` separates independent uses of one seed (split assignment, folds, resampling).
  Prng(std::uint64_t seed, std::uint64_t stream);
  std::uint64_t next();
  // Uniform in [0, n), n > 0: rejection sampling, no modulo bias.
  std::uint64_t below(std::uint64_t n);

 private:
  std::uint64_t s_[4];
};

// Fisher-Yates over `items` with `prng`.
template <class T>
void shuffle(std::vector<T>& items, Prng& prng) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(prng.below(i));
    std::swap(items[i - 1], items[j]);
  }
}

}  // namespace clipset
