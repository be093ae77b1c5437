// Distinct keys and items per key in bounded, batch-compacted memory (see KeyCounter).

#include <algorithm>

#include "internal.hpp"

namespace clipset::stats_detail {

namespace {
constexpr std::size_t kMinBatch = 4096;
}

void KeyCounter::add(std::uint64_t key) {
  if (!pending_.empty() && pending_.back().first == key) {
    ++pending_.back().second;
    return;
  }
  pending_.emplace_back(key, 1);
  // Merge when the batch is as large as what it merges into: amortised O(log n) per key.
  if (pending_.size() >= std::max(kMinBatch, counts_.size())) compact();
}

void KeyCounter::compact() {
  if (pending_.empty()) return;
  std::sort(pending_.begin(), pending_.end());
  std::vector<std::pair<std::uint64_t, std::uint32_t>> merged;
  merged.reserve(counts_.size() + pending_.size());
  std::merge(counts_.begin(), counts_.end(), pending_.begin(), pending_.end(), std::back_inserter(merged));
  std::size_t out = 0;
  for (const auto& entry : merged) {
    if (out > 0 && merged[out - 1].first == entry.first) merged[out - 1].second += entry.second;
    else merged[out++] = entry;
  }
  merged.resize(out);
  counts_.swap(merged);
  pending_.clear();
}

std::size_t KeyCounter::distinct() {
  compact();
  return counts_.size();
}

const std::vector<std::pair<std::uint64_t, std::uint32_t>>& KeyCounter::counts() {
  compact();
  return counts_;
}

}  // namespace clipset::stats_detail
