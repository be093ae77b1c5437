// Groups as connected components: items sharing a value of any --group-by field are one group,
// so nothing leaks through either field (union-find over the interned values).

#include <algorithm>
#include <numeric>

#include "internal.hpp"

namespace clipset::split_detail {

namespace {

class DisjointSets {
 public:
  explicit DisjointSets(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }
  std::uint32_t find(std::uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];  // path halving
      x = parent_[x];
    }
    return x;
  }
  void unite(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::uint32_t> parent_;
};

}  // namespace

Groups build_groups(const ItemTable& table, const SplitOptions& options) {
  const auto& values = table.node_values;
  DisjointSets sets(values.size());
  for (std::size_t i = 0; i < table.count; ++i) {
    for (auto n = table.node_begin[i] + 1; n < table.node_begin[i + 1]; ++n) sets.unite(table.nodes[table.node_begin[i]], table.nodes[n]);
  }
  // Each component is named by its smallest value: fields in --group-by order, then bytes.
  auto less = [&](std::uint32_t a, std::uint32_t b) { return values[a] < values[b]; };
  std::vector<std::uint32_t> smallest(values.size(), UINT32_MAX);
  for (std::uint32_t n = 0; n < values.size(); ++n) {
    const auto root = sets.find(n);
    if (smallest[root] == UINT32_MAX || less(n, smallest[root])) smallest[root] = n;
  }
  std::vector<std::uint32_t> roots;
  for (std::uint32_t n = 0; n < values.size(); ++n) {
    if (sets.find(n) == n) roots.push_back(n);
  }
  std::sort(roots.begin(), roots.end(), [&](std::uint32_t a, std::uint32_t b) { return less(smallest[a], smallest[b]); });
  std::vector<std::uint32_t> index_of_root(values.size(), 0);
  Groups groups;
  groups.count = roots.size();
  for (std::uint32_t g = 0; g < roots.size(); ++g) {
    index_of_root[roots[g]] = g;
    const auto& [field, key] = values[smallest[roots[g]]];
    // A fallback key is "field=value" (field names hold no '='); its value alone is hashed.
    groups.hash_name.push_back(field == kIdField ? key.substr(key.find('=') + 1) : key);
    if (field == kIdField) groups.key.push_back(key);
    else if (options.group_by.size() > 1) groups.key.push_back(options.group_by[field] + "=" + key);
    else groups.key.push_back(key);
  }
  groups.of_item.resize(table.count);
  for (std::size_t i = 0; i < table.count; ++i) groups.of_item[i] = index_of_root[sets.find(table.nodes[table.node_begin[i]])];
  return groups;
}

Facts item_facts(const ItemTable& table, const SplitOptions& options) {
  Facts facts;
  facts.weight.resize(table.count);
  for (std::size_t i = 0; i < table.count; ++i) {
    facts.weight[i] = options.weight == SplitWeight::items ? 1 : std::max<std::int64_t>(table.micros[i], 0);
  }
  // Classes renumbered in byte order of their names: the numbering (and so the tie structure of
  // the algorithm) then does not depend on which line mentioned a class first.
  std::vector<std::uint32_t> order(table.class_names.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return table.class_names[a] < table.class_names[b]; });
  std::vector<std::uint32_t> renumber(order.size());
  for (std::uint32_t r = 0; r < order.size(); ++r) {
    renumber[order[r]] = r;
    facts.class_names.push_back(table.class_names[order[r]]);
  }
  facts.class_begin = table.class_begin;
  facts.classes.resize(table.classes.size());
  for (std::size_t c = 0; c < table.classes.size(); ++c) facts.classes[c] = renumber[table.classes[c]];
  for (std::size_t i = 0; i < table.count; ++i) {
    std::sort(facts.classes.begin() + facts.class_begin[i], facts.classes.begin() + facts.class_begin[i + 1]);
  }
  return facts;
}

}  // namespace clipset::split_detail
