// The learn module: the power-law fit recovers known curves and refuses what it cannot fit, the
// bootstrap interval covers the truth, the classifier reaches the optimum of its objective, and
// the metrics follow scikit-learn's definitions.

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "clipset/error.hpp"
#include "clipset/learn.hpp"
#include "clipset/prng.hpp"

using clipset::FeatureMatrix;
using clipset::PowerLaw;

namespace {

// Roughly normal noise with a fixed algorithm (sum of 12 uniforms), so tests are the same everywhere.
double gaussian(clipset::Prng& prng) {
  double sum = 0;
  for (int i = 0; i < 12; ++i) sum += static_cast<double>(prng.next() >> 11) * 0x1.0p-53;
  return sum - 6.0;
}

std::vector<double> geometric_sizes(double first, int count) {
  std::vector<double> sizes;
  for (int i = 0; i < count; ++i) sizes.push_back(first * std::pow(2.0, i));
  return sizes;
}

}  // namespace

TEST_CASE("learn: the power-law fit recovers a, b and c within 5% from noisy points", "[learn]") {
  struct Law {
    double a, b, c;
  };
  const auto law = GENERATE(Law{2.0, 0.5, 0.05}, Law{0.9, 0.35, 0.12}, Law{5.0, 0.8, 0.02});
  const auto seed = GENERATE(1u, 2u, 3u);
  clipset::Prng prng(seed, 7);
  const auto sizes = geometric_sizes(10, 12);  // 10 .. 20480
  std::vector<double> errors;
  for (const double n : sizes) errors.push_back((law.a * std::pow(n, -law.b) + law.c) * (1.0 + 0.005 * gaussian(prng)));
  const auto fit = clipset::fit_power_law(sizes, errors);
  INFO("a " << fit.law.a << " b " << fit.law.b << " c " << fit.law.c);
  REQUIRE(fit.ok);
  CHECK(fit.law.a == Approx(law.a).epsilon(0.05));
  CHECK(fit.law.b == Approx(law.b).epsilon(0.05));
  CHECK(fit.law.c == Approx(law.c).epsilon(0.05));
  CHECK(fit.r_squared > 0.99);
}

TEST_CASE("learn: an exact curve is fitted exactly, also with the floor at zero", "[learn]") {
  const auto sizes = geometric_sizes(8, 8);
  for (const PowerLaw truth : {PowerLaw{1.5, 0.6, 0.1}, PowerLaw{1.5, 0.6, 0.0}}) {
    std::vector<double> errors;
    for (const double n : sizes) errors.push_back(truth.at(n));
    const auto fit = clipset::fit_power_law(sizes, errors);
    REQUIRE(fit.ok);
    CHECK(fit.law.a == Approx(truth.a).epsilon(1e-4));
    CHECK(fit.law.b == Approx(truth.b).epsilon(1e-4));
    CHECK(fit.law.c == Approx(truth.c).margin(1e-6));
    CHECK(fit.rmse < 1e-8);
  }
}

TEST_CASE("learn: the fit refuses fewer than 3 sizes, bad points and an error that does not fall", "[learn]") {
  auto fit = clipset::fit_power_law({100, 200}, {0.3, 0.2});
  CHECK_FALSE(fit.ok);
  CHECK_THAT(fit.why, Catch::Contains("only 2 training sizes") && Catch::Contains("at least 3"));
  fit = clipset::fit_power_law({100, 100, 100, 200}, {0.3, 0.31, 0.29, 0.2});
  CHECK_FALSE(fit.ok);
  CHECK_THAT(fit.why, Catch::Contains("only 2 training sizes"));
  fit = clipset::fit_power_law({10, 0, 40}, {0.3, 0.2, 0.1});
  CHECK_FALSE(fit.ok);
  CHECK_THAT(fit.why, Catch::Contains("not a positive number"));
  fit = clipset::fit_power_law({10, 20, 40}, {0.3, NAN, 0.1});
  CHECK_FALSE(fit.ok);
  fit = clipset::fit_power_law({10, 20, 40, 80}, {0.2, 0.25, 0.3, 0.35});
  CHECK_FALSE(fit.ok);
  CHECK_THAT(fit.why, Catch::Contains("does not fall"));
}

TEST_CASE("learn: size_for inverts the law and says when the target is beyond its floor", "[learn]") {
  const PowerLaw law{2.0, 0.5, 0.05};
  const auto n = law.size_for(0.1);
  REQUIRE(n);
  CHECK(*n == Approx(1600.0));
  CHECK(law.at(*n) == Approx(0.1));
  CHECK_FALSE(law.size_for(0.05));
  CHECK_FALSE(law.size_for(0.01));
}

TEST_CASE("learn: the bootstrap interval covers the true size and is reproducible", "[learn]") {
  const PowerLaw truth{2.0, 0.5, 0.05};
  const auto sizes = geometric_sizes(10, 10);
  clipset::Prng prng(11, 1);
  std::vector<std::vector<double>> repeats(sizes.size());
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    for (int r = 0; r < 5; ++r) repeats[i].push_back(truth.at(sizes[i]) * (1.0 + 0.02 * gaussian(prng)));
  }
  const auto interval = clipset::bootstrap_size_interval(sizes, repeats, 0.1, 300, 42);
  CHECK(interval.resamples == 300);
  CHECK(interval.reachable == 300);
  REQUIRE(interval.low);
  REQUIRE(interval.high);
  CHECK(*interval.low < 1600.0);
  CHECK(*interval.high > 1600.0);
  CHECK(*interval.high < 3 * 1600.0);
  const auto again = clipset::bootstrap_size_interval(sizes, repeats, 0.1, 300, 42);
  CHECK(*again.low == *interval.low);
  CHECK(*again.high == *interval.high);

  const auto unreachable = clipset::bootstrap_size_interval(sizes, repeats, 0.01, 100, 42);
  CHECK(unreachable.reachable == 0);
  CHECK_FALSE(unreachable.low);
  CHECK_FALSE(unreachable.high);
}

TEST_CASE("learn: the standardizer learns on train only and leaves constant columns finite", "[learn]") {
  FeatureMatrix train{3, 2, {1, 5, 2, 5, 3, 5}};
  clipset::Standardizer s;
  s.fit(train);
  CHECK(s.mean()[0] == Approx(2.0));
  CHECK(s.scale()[0] == Approx(std::sqrt(2.0 / 3.0)));
  CHECK(s.scale()[1] == 1.0);
  FeatureMatrix other{1, 2, {4, 7}};
  s.apply(other);
  CHECK(other.values[0] == Approx(2.0 / std::sqrt(2.0 / 3.0)));
  CHECK(other.values[1] == Approx(2.0));
  FeatureMatrix wrong{1, 3, {1, 2, 3}};
  CHECK_THROWS_AS(s.apply(wrong), clipset::Error);
}

TEST_CASE("learn: softmax regression reaches its optimum and separates separable classes", "[learn]") {
  // Three Gaussian blobs in 2-D.
  clipset::Prng prng(5, 3);
  FeatureMatrix x{300, 2, {}};
  std::vector<int> y;
  const double centres[3][2] = {{0, 0}, {4, 0}, {0, 4}};
  for (int i = 0; i < 300; ++i) {
    const int k = i % 3;
    x.values.push_back(centres[k][0] + 0.7 * gaussian(prng));
    x.values.push_back(centres[k][1] + 0.7 * gaussian(prng));
    y.push_back(k);
  }
  clipset::SoftmaxRegression model;
  model.fit(x, y, 3);
  CHECK(model.converged());
  const auto predicted = model.predict(x);
  CHECK(clipset::score_predictions(y, predicted, 3).accuracy > 0.97);
  // At the optimum the intercepts (not penalised) make the mean probability of each class equal
  // to its share of the labels.
  std::vector<double> mean(3, 0.0);
  for (std::size_t r = 0; r < x.rows; ++r) {
    const auto p = model.probabilities(x.row(r));
    CHECK((p[0] + p[1] + p[2]) == Approx(1.0));
    for (int k = 0; k < 3; ++k) mean[static_cast<std::size_t>(k)] += p[static_cast<std::size_t>(k)] / 300.0;
  }
  for (const double m : mean) CHECK(m == Approx(1.0 / 3.0).margin(1e-4));
}

TEST_CASE("learn: softmax regression on shuffled labels stays near chance", "[learn]") {
  clipset::Prng prng(9, 3);
  FeatureMatrix train{600, 4, {}}, test{600, 4, {}};
  std::vector<int> y_train, y_test;
  for (auto* part : {&train, &test}) {
    for (std::size_t i = 0; i < part->rows * part->cols; ++i) part->values.push_back(gaussian(prng));
  }
  for (int i = 0; i < 600; ++i) {
    y_train.push_back(static_cast<int>(prng.below(4)));
    y_test.push_back(static_cast<int>(prng.below(4)));
  }
  clipset::SoftmaxRegression model;
  model.fit(train, y_train, 4);
  const auto accuracy = clipset::score_predictions(y_test, model.predict(test), 4).accuracy;
  CHECK(accuracy > 0.15);
  CHECK(accuracy < 0.35);
}

TEST_CASE("learn: softmax regression rejects bad training data", "[learn]") {
  clipset::SoftmaxRegression model;
  FeatureMatrix empty{0, 2, {}};
  CHECK_THROWS_AS(model.fit(empty, {}, 2), clipset::Error);
  FeatureMatrix one{1, 1, {0.5}};
  CHECK_THROWS_AS(model.fit(one, {2}, 2), clipset::Error);
  CHECK_THROWS_AS(model.fit(one, {0, 1}, 2), clipset::Error);
}

TEST_CASE("learn: metrics follow scikit-learn's accuracy, macro-F1 and balanced accuracy", "[learn]") {
  // sklearn: accuracy_score 0.6667, f1_score(average="macro") 0.6556, balanced_accuracy_score 0.6667.
  const std::vector<int> truth{0, 0, 1, 1, 2, 2};
  const std::vector<int> predicted{0, 1, 1, 1, 0, 2};
  const auto m = clipset::score_predictions(truth, predicted, 4);  // class 3 absent from both
  CHECK(m.accuracy == Approx(4.0 / 6.0));
  CHECK(m.macro_f1 == Approx((0.5 + 0.8 + 2.0 / 3.0) / 3.0));
  CHECK(m.balanced_accuracy == Approx((0.5 + 1.0 + 0.5) / 3.0));
  CHECK(m.per_class[1].precision == Approx(2.0 / 3.0));
  CHECK(m.per_class[1].recall == 1.0);
  CHECK(m.per_class[3].support == 0);
  CHECK(clipset::majority_class({2, 1, 2, 1, 0}, 3) == 1);  // a tie goes to the smaller class
  CHECK_THROWS_AS(clipset::score_predictions({0}, {0, 1}, 2), clipset::Error);
  CHECK_THROWS_AS(clipset::score_predictions({0}, {5}, 2), clipset::Error);
  CHECK(clipset::score_predictions({}, {}, 2).accuracy == 0.0);
}
