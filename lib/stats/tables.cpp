// The report as tables of text: what table, markdown, csv and html all show.

#include <cstdio>

#include "clipset/units.hpp"
#include "internal.hpp"

namespace clipset::stats_detail {

namespace {

std::vector<std::string> figure_cells(const CellFigures& f) {
  return {std::to_string(f.items), std::to_string(f.groups), fixed(f.seconds, 1), fixed(f.mean_seconds(), 2),
          fixed(f.timed ? std::optional<double>(f.min_seconds) : std::nullopt, 2),
          fixed(f.timed ? std::optional<double>(f.max_seconds) : std::nullopt, 2)};
}

const std::vector<std::string> kFigureHeader = {"items", "groups", "seconds", "mean_s", "min_s", "max_s"};

TextTable cells_table(const StatsReport& r) {
  TextTable t;
  t.header = r.by;
  t.header.insert(t.header.end(), kFigureHeader.begin(), kFigureHeader.end());
  t.numeric.assign(r.by.size(), false);
  t.numeric.resize(t.header.size(), true);
  for (const auto& row : r.rows) {
    auto cells = row.key;
    const auto figures = figure_cells(row.figures);
    cells.insert(cells.end(), figures.begin(), figures.end());
    t.rows.push_back(std::move(cells));
  }
  std::vector<std::string> total(r.by.size(), "");
  if (!total.empty()) total[0] = "total";
  const auto figures = figure_cells(r.total);
  total.insert(total.end(), figures.begin(), figures.end());
  t.rows.push_back(std::move(total));
  for (const auto& [field, n] : r.missing) {
    if (n > 0) t.notes.push_back("items without " + field + ": " + std::to_string(n) + " of " + std::to_string(r.total.items) + " (counted as (none))");
  }
  if (r.total.items > r.total.timed) t.notes.push_back("items without duration: " + std::to_string(r.total.items - r.total.timed) + " (not in the seconds)");
  return t;
}

// "open set (unknown, background): train 12 of 400 items (3.0 %), test 0 of 50 (0.0 %)"; nothing
// when no item carries an open-set label.
std::optional<std::string> open_set_note(const StatsReport& r) {
  std::size_t any = 0;
  for (const auto& [split, items] : r.open_set_by_split) any += items;
  if (any == 0) return std::nullopt;
  std::string labels;
  for (const auto& label : r.open_set_labels) labels += (labels.empty() ? "" : ", ") + label;
  std::string text = "open set (" + labels + "):";
  bool first = true;
  for (const auto& [split, items] : r.open_set_by_split) {
    const std::size_t all = r.items_by_split.at(split);
    text += std::string(first ? " " : ", ") + split + " " + std::to_string(items) + " of " + std::to_string(all) +
            (first ? " items (" : " (") + fixed(100.0 * static_cast<double>(items) / static_cast<double>(all), 1) + " %)";
    first = false;
  }
  return text;
}

TextTable classes_table(const StatsReport& r) {
  TextTable t;
  t.title = r.taxonomy_level ? "classes at taxonomy level " + std::to_string(*r.taxonomy_level) : "classes";
  t.header = {"label"};
  t.header.insert(t.header.end(), kFigureHeader.begin(), kFigureHeader.end());
  t.header.push_back("flag");
  t.numeric.assign(t.header.size(), true);
  t.numeric.front() = false;
  t.numeric.back() = false;
  std::size_t under = 0;
  for (const auto& c : r.classes) {
    auto cells = figure_cells(c.figures);
    cells.insert(cells.begin(), c.label);
    cells.push_back(c.under_min ? "under " + std::to_string(r.min_per_class) : "");
    under += c.under_min ? 1 : 0;
    t.rows.push_back(std::move(cells));
  }
  if (r.imbalance) {
    t.notes.push_back("imbalance " + fixed(r.imbalance, 2) + " (items: " + r.classes.front().label + " " +
                      std::to_string(r.classes.front().figures.items) + " / " + r.classes.back().label + " " +
                      std::to_string(r.classes.back().figures.items) + ")");
  }
  if (under > 0) t.notes.push_back(std::to_string(under) + " of " + std::to_string(r.classes.size()) + " classes have fewer than " + std::to_string(r.min_per_class) + " items");
  if (r.unlabelled > 0) t.notes.push_back("items without labels: " + std::to_string(r.unlabelled));
  if (const auto open = open_set_note(r)) t.notes.push_back(*open);
  if (r.taxonomy_level) {
    t.notes.push_back("an item counts once under each ancestor its labels reach; labels above the level count as themselves");
  }
  for (const auto& [label, items] : r.outside_taxonomy) t.notes.push_back("'" + label + "' is not in the taxonomy: counted as itself");
  return t;
}

std::string points(const std::optional<double>& half_width) {
  return half_width ? "\u00b1" + fixed(100.0 * *half_width, 1) : "-";
}

TextTable precision_table(const StatsReport& r) {
  const PrecisionReport& p = r.precision;
  TextTable t;
  t.title = "test-set precision";
  t.header = {"label", "test_items", "test_groups", "ci_items", "ci_groups", "flag"};
  t.numeric = {false, true, true, true, true, false};
  auto row = [&](const TestPrecision& c) {
    t.rows.push_back({c.label.empty() ? "all" : c.label, std::to_string(c.items), std::to_string(c.groups), points(c.half_width_items),
                      points(c.half_width_groups), c.over_max ? "over " + points(p.max_ci) : ""});
  };
  row(p.overall);
  for (const auto& c : p.classes) row(c);
  t.notes.push_back("half-width in points of the 95% Wilson interval of an accuracy of " + fixed(p.accuracy, 2) + " measured on " +
                    (p.whole_manifest ? "all items (no item is in split '" + p.test_split + "')" : "split '" + p.test_split + "'") +
                    "; over groups when clips of a recording succeed or fail together");
  t.notes.push_back(precision_statement(p.overall, p.whole_manifest));
  std::size_t over = 0;
  for (const auto& c : p.classes) {
    if (!c.over_max) continue;
    if (++over <= 5) t.notes.push_back(precision_statement(c, p.whole_manifest));
  }
  if (over > 5) t.notes.push_back("... and " + std::to_string(over - 5) + " more classes over " + points(p.max_ci));
  return t;
}

std::string kappa_text(std::optional<double> value) { return fixed(value, 3); }

TextTable pairs_table(const std::string& title, const std::vector<PairAgreement>& pairs) {
  TextTable t;
  t.title = title;
  t.header = {"first", "second", "items", "frames", "kappa", "weak_kappa", "event_f1", "event_er", "events"};
  t.numeric = {false, false, true, true, true, true, true, true, true};
  for (const auto& p : pairs) {
    t.rows.push_back({p.first, p.second, std::to_string(p.items), std::to_string(p.frames), kappa_text(p.cohen_kappa),
                      kappa_text(p.weak_kappa), fixed(p.events.f1(), 3), fixed(p.events.error_rate(), 3),
                      std::to_string(p.events.matched) + "/" + std::to_string(p.events.reference) + "/" + std::to_string(p.events.estimated)});
  }
  return t;
}

// Annotators agree less on background sounds: the same figures per salience show how much.
TextTable salience_table(const AgreementReport& a) {
  TextTable t;
  t.title = "agreement per salience";
  t.header = {"salience", "events", "found", "frames_marked", "disputed"};
  t.numeric = {false, true, true, true, true};
  for (const auto& s : a.salience) {
    const auto found = s.found_fraction();
    t.rows.push_back({s.salience, std::to_string(s.events), found ? fixed(100.0 * *found, 1) + "%" : "-",
                      std::to_string(s.frames_marked), fixed(100.0 * s.disagreement(), 1) + "%"});
  }
  t.notes.push_back("found: events of one annotator another also marked (same label, onset collar " +
                    format_duration(a.options.collar) + "), counted once per other annotator; disputed: frames marked "
                    "with that salience where not every annotator has the label");
  return t;
}

void add_agreement_tables(const AgreementReport& a, std::vector<TextTable>& out) {
  TextTable summary;
  summary.title = "agreement";
  summary.header = {"labels", "units", "annotators", "fleiss_kappa", "fleiss_units", "krippendorff_alpha"};
  summary.numeric = {false, true, true, true, true, true};
  auto add = [&](const char* name, const Coefficients& c) {
    summary.rows.push_back({name, std::to_string(c.units), std::to_string(c.raters), kappa_text(c.fleiss_kappa),
                            std::to_string(c.fleiss_units) + " x " + std::to_string(c.fleiss_raters), kappa_text(c.krippendorff_alpha)});
  };
  add("strong", a.strong);
  add("weak", a.weak);
  summary.notes.push_back("strong: frames of a " + format_duration(a.options.grid) + " grid; weak: items; " +
                          std::to_string(a.items_compared) + " of " + std::to_string(a.items_annotated) +
                          " annotated items have two or more annotators (" + [&] {
                            std::string names;
                            for (const auto& n : a.annotators) names += (names.empty() ? "" : ", ") + n;
                            return names;
                          }() + ")");
  if (a.not_computed) summary.notes.push_back("inter-annotator agreement not computed: " + *a.not_computed);
  out.push_back(std::move(summary));
  if (!a.pairs.empty()) {
    auto t = pairs_table("annotator pairs", a.pairs);
    t.notes.push_back("events: matched/first's/second's, onset collar " + format_duration(a.options.collar) +
                      ", offset within max(collar, 50% of length)");
    out.push_back(std::move(t));
  }
  if (!a.self.empty()) out.push_back(pairs_table("self-agreement", a.self));
  if (!a.salience.empty()) out.push_back(salience_table(a));
  if (!a.labels.empty()) {
    TextTable t;
    t.title = "labels, most disputed first";
    t.header = {"label", "annotators", "frames_marked", "disputed", "alpha"};
    t.numeric = {false, false, true, true, true};
    for (const auto& l : a.labels) {
      std::string names;
      for (const auto& n : l.annotators) names += (names.empty() ? "" : ",") + n;
      t.rows.push_back({l.label, names, std::to_string(l.frames_marked), fixed(100.0 * l.disagreement(), 1) + "%", kappa_text(l.alpha)});
      if (l.annotators.size() == 1) t.notes.push_back("label '" + l.label + "' is used only by " + names + ": a taxonomy difference?");
    }
    out.push_back(std::move(t));
  }
}

}  // namespace

std::vector<TextTable> report_tables(const StatsReport& report) {
  std::vector<TextTable> out;
  out.push_back(cells_table(report));
  out.push_back(classes_table(report));
  out.push_back(precision_table(report));
  if (report.agreement) add_agreement_tables(*report.agreement, out);
  if (auto quotas = quota_table(report)) out.push_back(std::move(*quotas));
  return out;
}

}  // namespace clipset::stats_detail
