// The schedule of a learning curve: which training sizes, and which items make each subset.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>

#include "clipset/error.hpp"
#include "clipset/prng.hpp"
#include "clipset/text.hpp"
#include "curve_internal.hpp"

namespace clipset {

std::vector<SizeSpec> parse_sizes(const std::string& text) {
  std::vector<SizeSpec> sizes;
  std::size_t from = 0;
  while (from <= text.size()) {
    const std::size_t comma = std::min(text.find(',', from), text.size());
    std::string entry(trim(std::string_view(text).substr(from, comma - from)));
    from = comma + 1;
    SizeSpec spec;
    spec.percent = !entry.empty() && entry.back() == '%';
    if (spec.percent) entry.pop_back();
    std::size_t used = 0;
    try {
      spec.value = std::stod(entry, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    const bool whole = spec.percent || spec.value == std::floor(spec.value);
    if (entry.empty() || used != entry.size() || !std::isfinite(spec.value) || spec.value <= 0 || !whole ||
        (spec.percent && spec.value > 100)) {
      throw_option("sizes", text, "'" + std::string(trim(entry)) + (spec.percent ? "%" : "") +
                                         "' is not a count of items (100) or a share of the training split (10%)");
    }
    sizes.push_back(spec);
  }
  return sizes;
}

namespace detail {

namespace {
std::string number_text(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}
}  // namespace

std::vector<std::size_t> curve_sizes(const LearningCurveOptions& options, std::size_t train_items, std::size_t classes) {
  std::set<std::size_t> sizes;
  if (!options.sizes.empty()) {
    for (const SizeSpec& spec : options.sizes) {
      const double n = spec.percent ? std::round(spec.value / 100.0 * double(train_items)) : spec.value;
      const std::string shown = spec.percent ? number_text(spec.value) + "%" : number_text(spec.value);
      if (n < 1) throw_option("sizes", shown + " of " + std::to_string(train_items) + " training items is no item at all");
      if (n > double(train_items)) {
        throw_option("sizes", shown + ": the training split has only " + std::to_string(train_items) + " usable items");
      }
      sizes.insert(static_cast<std::size_t>(n));
    }
    return {sizes.begin(), sizes.end()};
  }
  if (train_items == 0) return {};
  // A few examples per class up to all of train, evenly spaced on a log axis.
  const double low = double(std::min(train_items, std::max<std::size_t>(5 * classes, 2)));
  const double high = double(train_items);
  const std::size_t steps = std::max<std::size_t>(options.steps, 1);
  for (std::size_t i = 0; i < steps; ++i) {
    const double t = steps == 1 ? 1.0 : double(i) / double(steps - 1);
    sizes.insert(static_cast<std::size_t>(std::llround(low * std::pow(high / low, t))));
  }
  return {sizes.begin(), sizes.end()};
}

std::vector<std::size_t> apportion(std::size_t total, const std::vector<std::size_t>& weights, std::size_t floor_each) {
  const std::size_t sum = std::accumulate(weights.begin(), weights.end(), std::size_t{0});
  std::vector<std::size_t> share(weights.size(), 0);
  if (sum == 0) return share;
  total = std::min(total, sum);
  const auto present = static_cast<std::size_t>(std::count_if(weights.begin(), weights.end(), [](std::size_t w) { return w > 0; }));
  std::size_t given = 0;
  if (total >= floor_each * present) {
    for (std::size_t c = 0; c < weights.size(); ++c) given += share[c] = std::min(weights[c], floor_each);
  }
  // Then by the largest remainder of each class's ideal share beyond what it has.
  std::vector<std::pair<double, std::size_t>> remainders;
  for (std::size_t c = 0; c < weights.size(); ++c) {
    const double ideal = double(total) * double(weights[c]) / double(sum);
    const double extra = std::max(0.0, ideal - double(share[c]));
    const auto whole = std::min(static_cast<std::size_t>(std::floor(extra)), weights[c] - share[c]);
    const std::size_t room = total - given;
    const std::size_t take = std::min(whole, room);
    share[c] += take;
    given += take;
    remainders.push_back({extra - std::floor(extra), c});
  }
  std::stable_sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  // Whatever is left goes by remainder, then round-robin to classes with items to spare.
  while (given < total) {
    bool moved = false;
    for (const auto& [fraction, c] : remainders) {
      if (given == total) break;
      if (share[c] < weights[c]) {
        ++share[c];
        ++given;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return share;
}

TrainPool make_train_pool(const LearnDataset& data, const std::vector<bool>& usable) {
  TrainPool pool;
  pool.by_class.resize(data.classes.size());
  pool.class_items.assign(data.classes.size(), 0);
  std::vector<std::map<std::string, std::size_t>> group_index(data.classes.size());
  for (std::size_t i = 0; i < data.train_count; ++i) {
    if (!usable[i]) continue;
    const LearnItem& item = data.items[i];
    const auto c = static_cast<std::size_t>(item.label);
    const auto [it, added] = group_index[c].try_emplace(item.group, pool.by_class[c].size());
    if (added) pool.by_class[c].emplace_back();
    pool.by_class[c][it->second].push_back(i);
    ++pool.class_items[c];
    ++pool.total;
  }
  return pool;
}

std::vector<std::size_t> draw_subset(const TrainPool& pool, std::size_t size, std::uint64_t seed, std::uint64_t stream) {
  const std::vector<std::size_t> quota = apportion(size, pool.class_items, 1);
  std::vector<std::size_t> subset;
  subset.reserve(size);
  for (std::size_t c = 0; c < pool.by_class.size(); ++c) {
    if (quota[c] == 0) continue;
    std::uint64_t mix = stream * 0x9E3779B97F4A7C15ULL + c;
    Prng prng(seed, splitmix64(mix));
    std::vector<std::vector<std::size_t>> groups = pool.by_class[c];
    shuffle(groups, prng);
    for (auto& g : groups) shuffle(g, prng);
    // Round r takes the r-th item of every group that still has one.
    std::size_t taken = 0;
    for (std::size_t r = 0; taken < quota[c]; ++r) {
      for (const auto& g : groups) {
        if (taken == quota[c]) break;
        if (r < g.size()) {
          subset.push_back(g[r]);
          ++taken;
        }
      }
    }
  }
  std::sort(subset.begin(), subset.end());
  return subset;
}

}  // namespace detail

}  // namespace clipset
