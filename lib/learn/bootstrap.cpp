// How uncertain is "n examples reach the target"? Resample the repeats at each size, refit, and
// read the spread of the answers. Resamples whose floor lies above the target count as "never":
// when more than the tail share of them do, the interval is open-ended, and says so.

#include <algorithm>
#include <cmath>

#include "clipset/learn.hpp"
#include "clipset/prng.hpp"

namespace clipset {

namespace {

constexpr std::uint64_t kStreamBootstrap = 0x626f6f74;  // "boot"

// The q-quantile of sorted values (linear interpolation); infinite values stay infinite.
double quantile(const std::vector<double>& sorted, double q) {
  const double at = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(at));
  const auto above = std::min(below + 1, sorted.size() - 1);
  if (std::isinf(sorted[above])) return std::isinf(sorted[below]) || at > static_cast<double>(below) ? INFINITY : sorted[below];
  return sorted[below] + (sorted[above] - sorted[below]) * (at - static_cast<double>(below));
}

}  // namespace

SizeInterval bootstrap_size_interval(const std::vector<double>& sizes, const std::vector<std::vector<double>>& errors_per_size,
                                     double target_error, std::size_t resamples, std::uint64_t seed, double level) {
  SizeInterval interval;
  interval.level = level;
  if (sizes.size() != errors_per_size.size() || resamples == 0) return interval;
  for (const auto& repeats : errors_per_size) {
    if (repeats.empty()) return interval;
  }
  Prng prng(seed, kStreamBootstrap);
  std::vector<double> answers;
  std::vector<double> means(sizes.size());
  for (std::size_t r = 0; r < resamples; ++r) {
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      const auto& repeats = errors_per_size[i];
      double sum = 0;
      for (std::size_t k = 0; k < repeats.size(); ++k) sum += repeats[static_cast<std::size_t>(prng.below(repeats.size()))];
      means[i] = sum / static_cast<double>(repeats.size());
    }
    const auto fit = fit_power_law(sizes, means);
    if (!fit.ok) continue;  // too few sizes fail every resample alike; a flat resample is skipped
    ++interval.resamples;
    const auto n = fit.law.size_for(target_error);
    if (n) ++interval.reachable;
    answers.push_back(n ? *n : INFINITY);
  }
  if (answers.empty()) return interval;
  std::sort(answers.begin(), answers.end());
  const double tail = (1.0 - level) / 2.0;
  const double low = quantile(answers, tail), high = quantile(answers, 1.0 - tail);
  if (std::isfinite(low)) interval.low = low;
  if (std::isfinite(high)) interval.high = high;
  return interval;
}

}  // namespace clipset
