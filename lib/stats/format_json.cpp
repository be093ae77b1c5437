// The report as JSON: stable keys for scripts (docs/stats.md, "JSON").

#include <cmath>

#include "internal.hpp"

namespace clipset {

using namespace stats_detail;

namespace {

Json number(std::optional<double> value) {
  if (!value || !std::isfinite(*value)) return nullptr;
  return *value;
}

Json figures(const CellFigures& f) {
  return Json{{"items", f.items},
              {"groups", f.groups},
              {"seconds", f.seconds},
              {"mean_seconds", number(f.mean_seconds())},
              {"min_seconds", f.timed ? Json(f.min_seconds) : Json(nullptr)},
              {"max_seconds", f.timed ? Json(f.max_seconds) : Json(nullptr)},
              {"items_without_duration", f.items - f.timed}};
}

Json events(const EventCounts& e) {
  return Json{{"reference", e.reference}, {"estimated", e.estimated}, {"matched", e.matched},
              {"substitutions", e.substituted}, {"deletions", e.deletions()}, {"insertions", e.insertions()},
              {"precision", number(e.precision())}, {"recall", number(e.recall())}, {"f1", number(e.f1())},
              {"error_rate", number(e.error_rate())}};
}

Json pair(const PairAgreement& p) {
  return Json{{"first", p.first}, {"second", p.second}, {"items", p.items}, {"frames", p.frames},
              {"cohen_kappa", number(p.cohen_kappa)}, {"weak_cohen_kappa", number(p.weak_kappa)},
              {"events", events(p.events)}, {"confusion", Json{{"categories", p.categories}, {"frames", p.confusion}}}};
}

Json coefficients(const Coefficients& c) {
  return Json{{"units", c.units}, {"annotators", c.raters}, {"fleiss_kappa", number(c.fleiss_kappa)},
              {"fleiss_units", c.fleiss_units}, {"fleiss_annotators", c.fleiss_raters},
              {"krippendorff_alpha", number(c.krippendorff_alpha)}};
}

Json agreement(const AgreementReport& a) {
  Json out{{"grid_seconds", a.options.grid}, {"collar_seconds", a.options.collar}, {"annotators", a.annotators},
           {"items_annotated", a.items_annotated}, {"items_compared", a.items_compared},
           {"not_computed", a.not_computed ? Json(*a.not_computed) : Json(nullptr)},
           {"strong", coefficients(a.strong)}, {"weak", coefficients(a.weak)}};
  out["pairs"] = Json::array();
  for (const auto& p : a.pairs) out["pairs"].push_back(pair(p));
  out["self"] = Json::array();
  for (const auto& p : a.self) out["self"].push_back(pair(p));
  out["labels"] = Json::array();
  for (const auto& l : a.labels) {
    out["labels"].push_back(Json{{"label", l.label}, {"annotators", l.annotators}, {"frames_marked", l.frames_marked},
                                 {"frames_disputed", l.frames_disputed}, {"disagreement", l.disagreement()},
                                 {"krippendorff_alpha", number(l.alpha)}});
  }
  out["salience"] = Json::array();
  for (const auto& s : a.salience) {
    out["salience"].push_back(Json{{"salience", s.salience}, {"events", s.events}, {"found", s.found},
                                   {"found_fraction", number(s.found_fraction())}, {"frames_marked", s.frames_marked},
                                   {"frames_disputed", s.frames_disputed}, {"disagreement", s.disagreement()}});
  }
  out["outside_recording"] = Json{{"annotations", a.outside_recording}, {"examples", a.outside_examples}};
  out["too_long_for_grid"] = Json{{"items", a.too_long}, {"examples", a.too_long_examples}};
  return out;
}

Json precision(const TestPrecision& p) {
  return Json{{"label", p.label}, {"test_items", p.items}, {"test_groups", p.groups},
              {"half_width_items", number(p.half_width_items)}, {"half_width_groups", number(p.half_width_groups)},
              {"over_max_ci", p.over_max}};
}

Json precision_report(const PrecisionReport& r) {
  Json classes = Json::array();
  for (const auto& c : r.classes) classes.push_back(precision(c));
  Json overall = precision(r.overall);
  overall.erase("label");
  return Json{{"test_split", r.test_split}, {"whole_manifest", r.whole_manifest}, {"accuracy", r.accuracy},
              {"max_ci", r.max_ci}, {"confidence", 0.95}, {"overall", overall}, {"classes", classes}};
}

}  // namespace

Json stats_to_json(const StatsReport& r) {
  Json out{{"by", r.by}, {"items", r.total.items}, {"lines_read", r.lines_read}, {"bad_lines", r.bad_lines}};
  out["cells"] = Json::array();
  for (const auto& row : r.rows) {
    Json key = Json::object();
    for (std::size_t f = 0; f < r.by.size(); ++f) key[r.by[f]] = row.key[f];
    out["cells"].push_back(Json{{"key", key}, {"figures", figures(row.figures)}});
  }
  out["total"] = figures(r.total);
  out["missing"] = r.missing;
  Json classes = Json::array();
  Json under = Json::array();
  for (const auto& c : r.classes) {
    classes.push_back(Json{{"label", c.label}, {"figures", figures(c.figures)}, {"under_min", c.under_min}});
    if (c.under_min) under.push_back(c.label);
  }
  out["classes"] = Json{{"min_per_class", r.min_per_class}, {"imbalance", number(r.imbalance)}, {"under_min", under},
                        {"unlabelled_items", r.unlabelled}, {"list", classes}};
  if (r.taxonomy_level) out["taxonomy"] = Json{{"level", *r.taxonomy_level}, {"outside", r.outside_taxonomy}};
  Json bins = Json::array();
  for (const auto& b : r.durations) bins.push_back(Json{{"from", b.from}, {"to", number(b.to)}, {"items", b.items}});
  out["duration_histogram"] = bins;
  out["class_by_split"] = r.class_by_split;
  out["items_by_split"] = r.items_by_split;
  Json open = Json::object();
  for (const auto& [split, items] : r.open_set_by_split) {
    const std::size_t all = r.items_by_split.at(split);
    open[split] = Json{{"items", items}, {"share", all == 0 ? 0.0 : static_cast<double>(items) / static_cast<double>(all)}};
  }
  out["open_set"] = Json{{"labels", r.open_set_labels}, {"by_split", open}};
  Json sizes = Json::array();
  for (const auto& [range, groups] : r.group_sizes) sizes.push_back(Json{{"items", range}, {"groups", groups}});
  out["group_sizes"] = sizes;
  out["precision"] = precision_report(r.precision);
  if (r.agreement) out["agreement"] = agreement(*r.agreement);
  if (!r.quotas.empty()) {
    Json quotas = Json::array();
    for (const QuotaRow& q : r.quotas) {
      const auto pace = q.per_week();
      const auto weeks = q.weeks();
      quotas.push_back({{"field", q.field}, {"value", q.value}, {"items", q.items}, {"seconds", q.seconds}, {"target", q.target},
                        {"to_go", q.to_go()}, {"recent", q.dated ? Json(q.recent) : Json(nullptr)},
                        {"per_week", pace ? Json(*pace) : Json(nullptr)}, {"weeks", weeks ? Json(*weeks) : Json(nullptr)},
                        {"sentence", quota_sentence(q)}});
    }
    out["quotas"] = {{"now", r.quota_now.empty() ? Json(nullptr) : Json(r.quota_now)}, {"window_days", kQuotaWindowDays}, {"rows", quotas}};
  }
  return out;
}

}  // namespace clipset
