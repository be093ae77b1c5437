// Agreement coefficients against published values (tests/data/agreement/: statsmodels' and
// fast-krippendorff's asserted examples, sed_eval's event-based metrics), and the manifest-level
// accumulator on hand-made annotations.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clipset/agreement.hpp"
#include "clipset/error.hpp"
#include "support/run_command.hpp"

namespace {

using Json = nlohmann::json;

Json load(const std::string& name) {
  std::ifstream in(std::string(CLIPSET_TEST_DATA) + "/agreement/" + name);
  REQUIRE(in);
  return Json::parse(in);
}

clipset::ConfusionTable table_of(const Json& rows) {
  clipset::ConfusionTable t;
  for (const auto& row : rows) t.push_back(row.get<std::vector<double>>());
  return t;
}

const Json& case_with_id(const Json& cases, const std::string& id) {
  for (const auto& c : cases) {
    if (c["id"] == id) return c;
  }
  FAIL("no case " << id);
  throw;
}

clipset::Annotation annotation(double start, double end, const std::string& label, const std::string& annotator, int pass = 1) {
  clipset::Annotation a;
  a.start = start;
  a.end = end;
  a.label = label;
  a.annotator = annotator;
  a.pass = pass;
  return a;
}

}  // namespace

TEST_CASE("Fleiss' kappa of the Wikipedia example (10 subjects x 14 raters) is 0.210", "[agreement]") {
  const Json fixture = load("statsmodels_kappa.json");
  const Json& c = case_with_id(fixture["fleiss_kappa_cases"], "wikipedia_10x5_14raters");
  const auto kappa = clipset::fleiss_kappa(table_of(c["table"]));
  REQUIRE(kappa);
  CHECK(std::round(*kappa * 1000) / 1000 == Approx(0.210));
  CHECK(*kappa == Approx(0.20993070442195522).margin(1e-12));
}

TEST_CASE("Fleiss' kappa of Fleiss' 1971 diagnoses (30 subjects x 6 raters) and the Randolph tables", "[agreement]") {
  const Json fixture = load("statsmodels_kappa.json");
  for (const auto& c : fixture["fleiss_kappa_cases"]) {
    INFO(c["id"].get<std::string>());
    const auto kappa = clipset::fleiss_kappa(table_of(c["table"]));
    const Json& expected = c["expected"]["fleiss"]["computed"];
    if (expected.is_null()) {
      CHECK_FALSE(kappa);  // every rater in one category: kappa is undefined, not a division by zero
    } else {
      REQUIRE(kappa);
      CHECK(*kappa == Approx(expected.get<double>()).margin(1e-9));
    }
  }
  CHECK(*clipset::fleiss_kappa(table_of(case_with_id(fixture["fleiss_kappa_cases"], "fleiss1971_diagnoses_30x6")["table"])) ==
        Approx(0.4302445).margin(5e-8));
}

TEST_CASE("Fleiss' kappa refuses subjects with different numbers of raters", "[agreement]") {
  CHECK_THROWS_AS(clipset::fleiss_kappa({{2, 1}, {1, 1}}), clipset::Error);
  CHECK_FALSE(clipset::fleiss_kappa({}));
}

TEST_CASE("Cohen's kappa of the SAS and R irr examples (unweighted)", "[agreement]") {
  const Json fixture = load("statsmodels_kappa.json");
  const Json& sas = case_with_id(fixture["cohens_kappa_cases"], "sas_table10_unweighted");
  CHECK(*clipset::cohen_kappa(table_of(sas["table"])) == Approx(0.4842).margin(5e-5));
  const Json& irr = case_with_id(fixture["cohens_kappa_cases"], "irr_anxiety_r2r3_w1_w=None_wt=None");
  CHECK(*clipset::cohen_kappa(table_of(irr["table"])) == Approx(-0.006289308).margin(5e-10));
}

TEST_CASE("Cohen's kappa equals scikit-learn's cohen_kappa_score on generated ratings", "[agreement][sklearn]") {
  const auto r = clipset::test::run_command({"/usr/bin/python3", std::string(CLIPSET_TEST_DATA) + "/../scripts/cohen_kappa_sklearn.py"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);  // needs python3-sklearn (scripts/install-deps.sh)
  const Json cases = Json::parse(r.out);
  REQUIRE(cases.size() > 40);
  for (const auto& c : cases) {
    const auto a = c["first"].get<std::vector<std::size_t>>();
    const auto b = c["second"].get<std::vector<std::size_t>>();
    std::size_t k = 0;
    for (const auto v : a) k = std::max(k, v + 1);
    for (const auto v : b) k = std::max(k, v + 1);
    clipset::ConfusionTable table(k, std::vector<double>(k, 0.0));
    for (std::size_t i = 0; i < a.size(); ++i) table[a[i]][b[i]] += 1;
    const auto kappa = clipset::cohen_kappa(table);
    INFO(c.dump());
    if (c["kappa"].is_null()) {
      CHECK_FALSE(kappa);
    } else {
      REQUIRE(kappa);
      CHECK(*kappa == Approx(c["kappa"].get<double>()).margin(1e-12));
    }
  }
}

TEST_CASE("Cohen's kappa is undefined, not infinite, when both raters use one category", "[agreement]") {
  CHECK_FALSE(clipset::cohen_kappa({{5, 0}, {0, 0}}));
  CHECK_FALSE(clipset::cohen_kappa({}));
  CHECK(*clipset::cohen_kappa({{3, 0}, {0, 2}}) == Approx(1.0));
}

TEST_CASE("Krippendorff's nominal alpha with missing values (4 coders x 12 units) is 0.743", "[agreement]") {
  const Json fixture = load("krippendorff_alpha.json");
  for (const auto& c : fixture["cases"]) {
    if (!c.contains("reliability_data") || !c["computed_full_precision_by_package_code"].contains("nominal")) continue;
    INFO(c["id"].get<std::string>());
    // Values of any type (numbers or strings) become categories; null is missing.
    std::map<std::string, std::size_t> ids;
    std::vector<std::vector<std::optional<std::size_t>>> data;
    for (const auto& coder : c["reliability_data"]) {
      auto& row = data.emplace_back();
      for (const auto& v : coder) {
        if (v.is_null()) row.emplace_back();
        else row.emplace_back(ids.try_emplace(v.dump(), ids.size()).first->second);
      }
    }
    const auto alpha = clipset::krippendorff_alpha_nominal(data);
    REQUIRE(alpha);
    CHECK(*alpha == Approx(c["computed_full_precision_by_package_code"]["nominal"].get<double>()).margin(1e-12));
    if (c["id"] == "krippendorff_4coders_12units") CHECK(std::round(*alpha * 1000) / 1000 == Approx(0.743));
  }
}

TEST_CASE("Krippendorff's alpha is undefined with one value or nothing pairable", "[agreement]") {
  CHECK_FALSE(clipset::krippendorff_alpha_nominal({{0, 0, 0}, {0, 0, 0}}));
  CHECK_FALSE(clipset::krippendorff_alpha_nominal({{0, std::nullopt}, {std::nullopt, 1}}));
}

TEST_CASE("event-based metrics match sed_eval on its test vectors", "[agreement]") {
  const std::string folder = std::string(CLIPSET_TEST_DATA) + "/agreement/sed_eval";
  std::size_t checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const Json c = load("sed_eval/" + entry.path().filename().string());
    const Json& p = c["params"];
    if (!p["empty_system_output_handling"].is_null()) continue;  // class-wise handling only; overall is the same
    if (!c["expected"].contains("event_based_f1")) continue;     // a segment-based case
    INFO(entry.path().filename().string());
    clipset::EventMatchOptions options;
    options.collar = p["t_collar"].get<double>();
    options.offset_fraction = p["percentage_of_length"].get<double>();
    options.evaluate_onset = p["evaluate_onset"].get<bool>();
    options.evaluate_offset = p["evaluate_offset"].get<bool>();
    options.optimal = p["event_matching_type"] == "optimal";
    clipset::EventCounts counts;
    for (const auto& file : c["files"]) {
      std::vector<clipset::Event> ref, est;
      for (const auto& e : c["reference"]) {
        if (e["file"] == file) ref.push_back({e["onset"].get<double>(), e["offset"].get<double>(), e["event_label"].get<std::string>()});
      }
      for (const auto& e : c["estimated"]) {
        if (e["file"] == file) est.push_back({e["onset"].get<double>(), e["offset"].get<double>(), e["event_label"].get<std::string>()});
      }
      counts.add(clipset::match_events(ref, est, options));
    }
    const Json& x = c["expected"];
    // sed_eval divides by (n + eps): an empty denominator gives 0 where clipset says "undefined".
    auto near = [](std::optional<double> ours, const Json& theirs) {
      return theirs.is_null() ? !ours : std::fabs(ours.value_or(0.0) - theirs.get<double>()) < 1e-7;
    };
    CHECK(near(counts.f1(), x["event_based_f1"]));
    CHECK(near(counts.precision(), x["event_based_precision"]));
    CHECK(near(counts.recall(), x["event_based_recall"]));
    CHECK(near(counts.error_rate(), x["event_based_error_rate"]));
    if (counts.reference > 0) {
      const double n = static_cast<double>(counts.reference);
      CHECK(static_cast<double>(counts.substituted) / n == Approx(x["event_based_substitution_rate"].get<double>()).margin(1e-7));
      CHECK(static_cast<double>(counts.deletions()) / n == Approx(x["event_based_deletion_rate"].get<double>()).margin(1e-7));
      CHECK(static_cast<double>(counts.insertions()) / n == Approx(x["event_based_insertion_rate"].get<double>()).margin(1e-7));
    }
    ++checked;
  }
  CHECK(checked >= 15);
}

TEST_CASE("agreement over items: perfect pair, self-agreement, labels one annotator used", "[agreement]") {
  clipset::AgreementOptions options;
  options.grid = 0.1;
  clipset::AgreementAccumulator acc(options);
  clipset::Item item;
  item.id = "rec";
  item.duration = 10.0;
  item.annotations = {annotation(1, 3, "dog", "anna"), annotation(5, 6, "bird", "anna"),
                      annotation(1.05, 3, "dog", "ben"), annotation(5, 6, "crow", "ben"),
                      annotation(1, 3, "dog", "anna", 2), annotation(5, 6, "bird", "anna", 2),
                      annotation(9, 12, "car", "ben")};  // past the end of the recording
  acc.add(item);
  const auto r = acc.finish();
  CHECK_FALSE(r.not_computed);
  CHECK(r.annotators == std::vector<std::string>{"anna", "ben"});
  CHECK(r.items_compared == 1);
  CHECK(r.outside_recording == 1);
  REQUIRE(r.pairs.size() == 1);
  CHECK(r.pairs[0].frames == 100);
  CHECK(r.pairs[0].events.reference == 2);
  CHECK(r.pairs[0].events.estimated == 3);
  CHECK(r.pairs[0].events.matched == 1);      // dog; bird vs crow is a substitution
  CHECK(r.pairs[0].events.substituted == 1);
  REQUIRE(r.self.size() == 1);
  CHECK(r.self[0].first == "anna (pass 1)");
  CHECK(*r.self[0].cohen_kappa == Approx(1.0));
  CHECK(*r.self[0].events.f1() == Approx(1.0));
  REQUIRE(r.strong.krippendorff_alpha);
  CHECK(*r.strong.krippendorff_alpha < 1.0);
  bool bird_alone = false;
  for (const auto& l : r.labels) {
    if (l.label == "bird") bird_alone = l.annotators == std::vector<std::string>{"anna"} && l.disagreement() == 1.0;
  }
  CHECK(bird_alone);
}

TEST_CASE("agreement says why it cannot be computed", "[agreement]") {
  clipset::AgreementAccumulator none({});
  CHECK(none.finish().not_computed->find("no item has annotations") != std::string::npos);

  clipset::AgreementAccumulator single({});
  clipset::Item item;
  item.id = "a";
  item.duration = 5.0;
  item.annotations = {annotation(0, 1, "dog", "anna")};
  single.add(item);
  const auto r = single.finish();
  REQUIRE(r.not_computed);
  CHECK(r.not_computed->find("only one annotator (anna)") != std::string::npos);
  CHECK(r.pairs.empty());
  CHECK_FALSE(r.strong.krippendorff_alpha);
  CHECK_FALSE(r.strong.fleiss_kappa);
}
