// The report as JSON, stable keys for scripts (docs/compare.md, "JSON report").

#include "internal.hpp"

namespace clipset {

using namespace compare_detail;

namespace {

Json optional_number(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

const char* mode_name(CompareMode mode) {
  switch (mode) {
    case CompareMode::files: return "files";
    case CompareMode::split: return "split";
    case CompareMode::period: return "period";
  }
  return "files";
}

Json field_json(const FieldComparison& f) {
  Json out = Json::object();
  out["field"] = f.field;
  out["kind"] = f.numeric ? "numeric" : "categorical";
  out["js"] = optional_number(f.js);
  out["over_threshold"] = f.over_threshold;
  if (f.chi_square) {
    out["chi_square"] = {{"statistic", f.chi_square->statistic}, {"dof", f.chi_square->dof}, {"p_value", f.chi_square->p_value}};
  } else {
    out["chi_square"] = nullptr;
  }
  if (f.ks) {
    out["ks"] = {{"statistic", f.ks->statistic}, {"p_value", f.ks->p_value}, {"method", f.ks->exact ? "exact" : "asymptotic"}};
  } else {
    out["ks"] = nullptr;
  }
  if (f.numeric) {
    out["median_reference"] = optional_number(f.median_reference);
    out["median_other"] = optional_number(f.median_other);
  }
  out["missing_reference"] = f.missing_reference;
  out["missing_other"] = f.missing_other;
  out["only_reference"] = f.only_reference;
  out["only_other"] = f.only_other;
  Json values = Json::array();
  for (const auto& v : f.values) values.push_back({{"value", v.value}, {"reference", v.reference}, {"other", v.other}});
  out["values"] = std::move(values);
  return out;
}

}  // namespace

Json compare_to_json(const CompareReport& report) {
  Json out = Json::object();
  out["mode"] = mode_name(report.mode);
  out["inputs"] = report.inputs;
  out["by"] = report.by;
  out["threshold"] = optional_number(report.threshold);
  out["over_threshold"] = report.over_threshold();
  out["lines_read"] = report.lines_read;
  out["bad_lines"] = report.bad_lines;
  out["left_out"] = report.left_out;
  Json comparisons = Json::array();
  for (const auto& c : report.comparisons) {
    Json item = {{"reference", c.reference}, {"other", c.other}, {"reference_items", c.reference_items}, {"other_items", c.other_items}};
    Json fields = Json::array();
    for (const auto& f : c.fields) fields.push_back(field_json(f));
    item["fields"] = std::move(fields);
    item["findings"] = c.findings;
    if (!c.selected_by_reference.empty() || !c.selected_by_other.empty()) {
      item["selected_by"] = Json{{"reference", c.selected_by_reference}, {"other", c.selected_by_other}};
    }
    comparisons.push_back(std::move(item));
  }
  out["comparisons"] = std::move(comparisons);
  return out;
}

}  // namespace clipset
