// The split report as JSON (--report FILE): stable key order, fractions rounded to 1e-6.

#include <cmath>

#include "internal.hpp"

namespace clipset {

namespace {

using split_detail::fold_names;
using split_detail::method_name;
using split_detail::weight_name;

// Rounded to `decimals` places; dividing by a power of ten (not multiplying by 1e-6) gives the
// double nearest the decimal, so 0.2 prints as 0.2, not 0.199999999.
double round_to(double x, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(x * scale) / scale + 0.0;  // + 0.0 turns -0.0 into 0.0
}

Json part_json(const std::string& name, const PartTally& t) {
  Json j = Json::object();
  j["name"] = name;
  j["target"] = round_to(t.target, 6);
  j["items"] = t.items;
  j["groups"] = t.groups;
  j["seconds"] = round_to(t.seconds, 3);
  j["share"] = round_to(t.share, 6);
  j["deviation"] = round_to(t.deviation, 6);
  return j;
}

Json classes_json(const std::vector<ClassTally>& classes, const std::vector<std::string>& part_names) {
  Json list = Json::array();
  for (const auto& c : classes) {
    Json j = Json::object();
    j["name"] = c.name;
    j["items"] = c.items;
    j["groups"] = c.groups;
    j["seconds"] = round_to(c.seconds, 3);
    j["max_abs_deviation"] = round_to(c.max_abs_deviation, 6);
    Json parts = Json::array();
    for (std::size_t p = 0; p < c.parts.size(); ++p) parts.push_back(part_json(part_names[p], c.parts[p]));
    j["parts"] = std::move(parts);
    list.push_back(std::move(j));
  }
  return list;
}

}  // namespace

Json split_report_to_json(const SplitReport& r) {
  Json j = Json::object();
  j["method"] = method_name(r.method);
  j["seed"] = r.seed;
  j["weight"] = weight_name(r.weight);
  j["group_by"] = r.group_by;
  j["stratify"] = r.stratify.empty() ? Json(nullptr) : Json(r.stratify);
  j["lines"] = r.lines;
  j["bad_lines"] = r.bad_lines;
  j["items"] = r.items;
  j["groups"] = r.groups;
  j["seconds"] = round_to(r.seconds, 3);
  j["items_without_duration"] = r.items_without_duration;
  j["max_abs_deviation"] = round_to(r.max_abs_deviation, 6);
  j["max_abs_class_deviation"] = round_to(r.max_abs_class_deviation, 6);
  Json splits = Json::array();
  for (std::size_t s = 0; s < r.splits.size(); ++s) splits.push_back(part_json(r.names[s], r.splits[s]));
  j["splits"] = std::move(splits);
  j["classes"] = classes_json(r.classes, r.names);
  j["unlabelled_items"] = r.unlabelled_items;
  if (r.folds.count > 0) {
    Json f = Json::object();
    const auto names = fold_names(r.folds.count);
    f["count"] = r.folds.count;
    f["within"] = r.folds.within;
    f["max_abs_deviation"] = round_to(r.folds.max_abs_deviation, 6);
    f["max_abs_class_deviation"] = round_to(r.folds.max_abs_class_deviation, 6);
    Json folds = Json::array();
    for (std::size_t k = 0; k < r.folds.folds.size(); ++k) folds.push_back(part_json(names[k], r.folds.folds[k]));
    f["folds"] = std::move(folds);
    f["classes"] = classes_json(r.folds.classes, names);
    f["kept_items"] = r.folds.kept_items;
    j["folds"] = std::move(f);
  }
  Json holdouts = Json::array();
  for (const auto& h : r.holdouts) {
    holdouts.push_back(Json{{"rule", h.rule}, {"matched_items", h.matched_items}, {"groups", h.groups}, {"items", h.items}});
  }
  j["holdouts"] = std::move(holdouts);
  j["kept_items"] = r.kept_items;
  j["joined_kept_group"] = r.joined_kept_group;
  j["reassigned_items"] = r.reassigned_items;
  j["folds_removed"] = r.folds_removed;
  Json conflicts = Json::array();
  for (const auto& c : r.kept_conflicts) {
    Json parts = Json::object();
    for (const auto& [name, n] : c.splits) parts[name] = n;
    conflicts.push_back(Json{{"group", c.group}, {"parts", std::move(parts)}});
  }
  j["kept_conflicts"] = std::move(conflicts);
  j["ungrouped_items"] = r.ungrouped_items;
  j["ungrouped_examples"] = r.ungrouped_examples;
  Json missing = Json::object();
  for (const auto& [field, n] : r.missing_field) missing[field] = n;
  j["missing_field"] = std::move(missing);
  Json large = Json::array();
  for (const auto& g : r.large_groups) {
    large.push_back(Json{{"group", g.key}, {"items", g.items}, {"seconds", round_to(g.seconds, 3)},
                         {"share", round_to(g.share, 6)}, {"split", g.split}, {"larger_than", g.larger_than}});
  }
  j["large_groups"] = std::move(large);
  Json sparse = Json::array();
  for (const auto& c : r.sparse_classes) {
    sparse.push_back(Json{{"class", c.name}, {"groups", c.groups}, {"missing_from", c.missing_from}});
  }
  j["sparse_classes"] = std::move(sparse);
  return j;
}

}  // namespace clipset
