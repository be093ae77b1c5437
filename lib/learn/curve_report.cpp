// A learning curve as a table for people and as JSON or CSV for programs.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "clipset/learning_curve.hpp"
#include "clipset/text.hpp"

namespace clipset {

namespace {

using Json = nlohmann::ordered_json;

std::string format(const char* pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

std::string count(double n) { return format("%.0f", std::ceil(n)); }

std::string interval_text(const SizeInterval& interval) {
  if (interval.resamples == 0) return "";
  const std::string level = format("%.0f%%", interval.level * 100);
  const std::string share = format("%.0f%%", 100.0 * double(interval.reachable) / double(interval.resamples));
  if (!interval.low) return level + " interval: beyond reach (" + share + " of " + std::to_string(interval.resamples) + " resamples reach it)";
  const std::string high = interval.high ? count(*interval.high) : "beyond reach";
  return level + " interval " + count(*interval.low) + " to " + high + " (" + share + " of " + std::to_string(interval.resamples) +
         " bootstrap resamples reach it)";
}

Json metrics_json(const ClassificationMetrics& m, const std::vector<std::string>& classes, bool per_class) {
  Json j = Json::object();
  j["accuracy"] = m.accuracy;
  j["macro_f1"] = m.macro_f1;
  j["balanced_accuracy"] = m.balanced_accuracy;
  if (per_class) {
    Json pc = Json::object();
    for (std::size_t c = 0; c < classes.size() && c < m.per_class.size(); ++c) {
      const ClassScores& s = m.per_class[c];
      pc[classes[c]] = {{"support", s.support}, {"precision", s.precision}, {"recall", s.recall}, {"f1", s.f1}};
    }
    j["per_class"] = pc;
  }
  return j;
}

// "copies help: +0.041 accuracy at 400 clips (0.812 -> 0.853), +0.090 at 25": the difference the
// copies make at the largest and the smallest size.
std::string augmentation_sentence(const LearningCurveResult& r, const std::string& metric) {
  const auto at = [&](std::size_t i) {
    const double d = r.augmented_sizes[i].mean - r.sizes[i].mean;
    return format("%+.3f", d) + " at " + std::to_string(r.sizes[i].size) + " clips (" + format("%.3f", r.sizes[i].mean) + " -> " +
           format("%.3f", r.augmented_sizes[i].mean) + ")";
  };
  const std::size_t last = r.sizes.size() - 1;
  const double gain = r.augmented_sizes[last].mean - r.sizes[last].mean;
  // Within one standard deviation of the repeats (or of the one model), no side is called better.
  const double noise = std::max(r.sizes[last].sd, r.augmented_sizes[last].sd);
  const std::string verdict = std::fabs(gain) <= noise ? "copies make no clear difference" : gain > 0 ? "copies help" : "copies hurt";
  std::string text = "augmented (" + std::to_string(r.augmented_copies) + " copies of training clips): " + verdict + ": " + metric +
                     " " + at(last);
  if (last > 0) text += ", " + at(0);
  return text;
}

}  // namespace

std::string curve_table(const LearningCurveResult& r) {
  std::ostringstream out;
  const std::string metric = metric_name(r.metric);
  out << "learning curve of " << terminal_safe(r.manifest) << "\n";
  out << "  train: " << r.train_items << " clips in " << r.train_groups << " groups, " << r.classes.size()
      << " classes; scored on '" << r.eval_split << "': " << r.eval_items << " clips\n";
  out << "  features: " << r.features << " (" << r.extracted << " extracted, " << r.cached << " from the cache)\n";
  std::string left;
  auto add = [&](std::size_t n, const char* what) {
    if (n) left += (left.empty() ? "" : ", ") + std::to_string(n) + " " + what;
  };
  add(r.other_splits, "in other splits");
  add(r.unlabelled, "unlabelled");
  add(r.multi_label, "with several labels");
  add(r.unknown_class, "of classes absent from train");
  add(r.unreadable, "unreadable");
  if (!left.empty()) out << "  left out: " << left << "\n";
  // The mean column fits its header whatever the metric ("balanced-accuracy (mean ± sd)").
  const std::string mean_header = metric + " (mean ± sd)";
  const std::size_t mean_width = std::max<std::size_t>(28, display_width(mean_header) + 2);
  const bool two = r.augmented_sizes.size() == r.sizes.size() && !r.sizes.empty();
  const std::string augmented_header = "with copies (mean ± sd)";
  out << "\n" << pad_left("size", 9) << pad_left("repeats", 9) << pad_left(mean_header, mean_width) << pad_left("accuracy", 10)
      << pad_left("macro-F1", 10) << pad_left("balanced", 10) << pad_left("majority", 10)
      << (two ? pad_left(augmented_header, display_width(augmented_header) + 2) : "") << "\n";
  for (std::size_t i = 0; i < r.sizes.size(); ++i) {
    const CurveSize& s = r.sizes[i];
    out << pad_left(std::to_string(s.size), 9) << pad_left(std::to_string(s.repeats), 9)
        << pad_left(format("%.3f", s.mean) + " ± " + format("%.3f", s.sd), mean_width) << pad_left(format("%.3f", s.accuracy), 10)
        << pad_left(format("%.3f", s.macro_f1), 10) << pad_left(format("%.3f", s.balanced_accuracy), 10)
        << pad_left(format("%.3f", s.majority), 10);
    if (two) {
      const CurveSize& a = r.augmented_sizes[i];
      out << pad_left(format("%.3f", a.mean) + " ± " + format("%.3f", a.sd), display_width(augmented_header) + 2);
    }
    out << "\n";
  }
  out << "\n";
  if (two) out << "  " << augmentation_sentence(r, metric) << "\n";
  if (r.fit.ok) {
    out << "  fit: error = " << format("%.4g", r.fit.law.a) << " * n^-" << format("%.3f", r.fit.law.b) << " + "
        << format("%.4f", r.fit.law.c) << "  (R^2 " << format("%.3f", r.fit.r_squared) << ", RMSE " << format("%.4f", r.fit.rmse)
        << ")\n";
    out << "  " << metric << " the law levels off at: " << format("%.3f", 1.0 - r.fit.law.c) << "\n";
  } else {
    out << "  no curve fitted: " << r.fit.why << "\n";
  }
  if (r.target) {
    const TargetAnswer& t = *r.target;
    out << "  target " << metric << " " << format("%.3f", t.target) << ": ";
    if (!r.fit.ok) {
      out << "cannot extrapolate without a fitted curve";
    } else if (!t.total) {
      out << "beyond the fitted limit (" << format("%.3f", 1.0 - r.fit.law.c)
          << "): no amount of this kind of data reaches it with this classifier";
    } else {
      out << "about " << count(*t.total) << " training clips (";
      // Per class to the nearest clip (their sum may differ from the total by a rounding).
      for (std::size_t c = 0; c < t.per_class.size(); ++c) out << (c ? ", " : "") << terminal_safe(r.classes[c]) << " " << format("%.0f", t.per_class[c]);
      out << ")";
      if (const std::string iv = interval_text(t.interval); !iv.empty()) out << "\n    " << iv;
    }
    if (t.measured) out << "\n    already measured at " << *t.measured << " clips";
    out << "\n";
  }
  if (r.ceiling) {
    out << "  annotator agreement (a ceiling for " << metric << "): " << format("%.3f", r.ceiling->agreement) << " on "
        << r.ceiling->clips << " clips of " << format("%g", r.ceiling->unit_seconds) << " s marked in " << r.ceiling->recordings
        << (r.ceiling->recordings == 1 ? " recording" : " recordings") << " labelled by two or more of ";
    for (std::size_t i = 0; i < r.ceiling->annotators.size(); ++i) out << (i ? ", " : "") << terminal_safe(r.ceiling->annotators[i]);
    out << "\n";
  }
  for (const auto& note : r.notes) out << "  note: " << terminal_safe(note) << "\n";
  return out.str();
}

namespace {

Json sizes_json(const std::vector<CurveSize>& sizes) {
  Json out = Json::array();
  for (const CurveSize& s : sizes) {
    out.push_back({{"size", s.size}, {"repeats", s.repeats}, {"mean", s.mean}, {"sd", s.sd}, {"accuracy", s.accuracy},
                   {"macro_f1", s.macro_f1}, {"balanced_accuracy", s.balanced_accuracy}, {"majority", s.majority}});
  }
  return out;
}

Json points_json(const std::vector<CurvePoint>& points, const std::vector<std::string>& classes, bool per_class) {
  Json out = Json::array();
  for (const CurvePoint& p : points) {
    Json point = {{"size", p.size}, {"repeat", p.repeat}};
    point.update(metrics_json(p.model, classes, per_class));
    point["majority"] = metrics_json(p.majority, classes, false);
    point["iterations"] = p.iterations;
    point["converged"] = p.converged;
    out.push_back(point);
  }
  return out;
}

}  // namespace

std::string curve_json(const LearningCurveResult& r, bool per_class) {
  Json j = Json::object();
  j["manifest"] = r.manifest;
  j["metric"] = metric_name(r.metric);
  j["features"] = r.features;
  j["train"] = {{"split", r.train_split}, {"items", r.train_items}, {"groups", r.train_groups}};
  j["eval"] = {{"split", r.eval_split}, {"items", r.eval_items}};
  Json classes = Json::array();
  for (std::size_t c = 0; c < r.classes.size(); ++c) {
    classes.push_back({{"label", r.classes[c]}, {"train", r.train_per_class[c]}, {"eval", r.eval_per_class[c]}});
  }
  j["classes"] = classes;
  j["left_out"] = {{"other_splits", r.other_splits}, {"unlabelled", r.unlabelled},     {"multi_label", r.multi_label},
                   {"unknown_class", r.unknown_class}, {"unreadable", r.unreadable}};
  j["feature_cache"] = {{"cached", r.cached}, {"extracted", r.extracted}, {"uncacheable", r.uncacheable}};
  j["sizes"] = sizes_json(r.sizes);
  j["points"] = points_json(r.points, r.classes, per_class);
  if (!r.augmented_sizes.empty()) {
    j["augmented"] = {{"copies", r.augmented_copies},
                      {"sizes", sizes_json(r.augmented_sizes)},
                      {"points", points_json(r.augmented_points, r.classes, per_class)}};
  }
  if (r.fit.ok) {
    j["fit"] = {{"ok", true},          {"a", r.fit.law.a},   {"b", r.fit.law.b},
                {"c", r.fit.law.c},    {"rmse", r.fit.rmse}, {"r_squared", r.fit.r_squared},
                {"limit", 1.0 - r.fit.law.c}};
  } else {
    j["fit"] = {{"ok", false}, {"why", r.fit.why}};
  }
  if (r.target) {
    const TargetAnswer& t = *r.target;
    Json target = {{"score", t.target}, {"total", t.total ? Json(std::ceil(*t.total)) : Json(nullptr)}};
    Json by_class = Json::object();
    for (std::size_t c = 0; c < t.per_class.size(); ++c) by_class[r.classes[c]] = std::round(t.per_class[c]);
    target["per_class"] = by_class;
    const SizeInterval& iv = t.interval;
    target["interval"] = {{"level", iv.level},
                          {"low", iv.low ? Json(std::ceil(*iv.low)) : Json(nullptr)},
                          {"high", iv.high ? Json(std::ceil(*iv.high)) : Json(nullptr)},
                          {"resamples", iv.resamples},
                          {"reachable", iv.reachable}};
    target["measured_size"] = t.measured ? Json(*t.measured) : Json(nullptr);
    j["target"] = target;
  } else {
    j["target"] = nullptr;
  }
  if (r.ceiling) {
    j["ceiling"] = {{"agreement", r.ceiling->agreement},
                    {"recordings", r.ceiling->recordings},
                    {"clips", r.ceiling->clips},
                    {"clip_seconds", r.ceiling->unit_seconds},
                    {"pairs", r.ceiling->pairs},
                    {"annotators", r.ceiling->annotators}};
  } else {
    j["ceiling"] = nullptr;
  }
  j["notes"] = r.notes;
  return j.dump(2) + "\n";
}

std::string curve_csv(const LearningCurveResult& r, bool per_class) {
  std::ostringstream out;
  // With a second curve, a last column says which curve a row is of.
  const bool two = !r.augmented_points.empty();
  out << "size,repeat,accuracy,macro_f1,balanced_accuracy,majority_accuracy,iterations,converged";
  if (per_class) {
    for (const auto& label : r.classes) out << "," << csv_field("f1:" + label);
  }
  out << (two ? ",curve\n" : "\n");
  const auto rows = [&](const std::vector<CurvePoint>& points, const char* curve) {
    for (const CurvePoint& p : points) {
      out << p.size << "," << p.repeat << "," << format("%.6f", p.model.accuracy) << "," << format("%.6f", p.model.macro_f1) << ","
          << format("%.6f", p.model.balanced_accuracy) << "," << format("%.6f", p.majority.accuracy) << "," << p.iterations << ","
          << (p.converged ? "true" : "false");
      if (per_class) {
        for (const ClassScores& s : p.model.per_class) out << "," << format("%.6f", s.f1);
      }
      out << (two ? std::string(",") + curve + "\n" : "\n");
    }
  };
  rows(r.points, "plain");
  rows(r.augmented_points, "augmented");
  return out.str();
}

void write_features_csv(std::ostream& out, const FeatureExport& f) {
  out << "id,split,label";
  for (std::size_t c = 0; c < f.features.cols; ++c) out << ",f" << c;
  out << "\n";
  // The shortest text that reads back as the same double (std::to_chars): exact, and several
  // times faster than printf's %.17g on the millions of values of a large export.
  std::string line;
  char number[32];
  for (std::size_t r = 0; r < f.features.rows; ++r) {
    line = csv_field(f.ids[r]) + "," + csv_field(f.splits[r]) + "," + csv_field(f.labels[r]);
    for (std::size_t c = 0; c < f.features.cols; ++c) {
      const auto written = std::to_chars(number, number + sizeof number, f.features.row(r)[c]);
      line += ',';
      line.append(number, written.ptr);
    }
    line += '\n';
    out << line;
  }
}

}  // namespace clipset
