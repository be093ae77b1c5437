// clipset/statistics.hpp: divergences and tests against SciPy (tests/scripts/compare_scipy.py),
// and against values worked out by hand.

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "clipset/statistics.hpp"
#include "support/run_command.hpp"

namespace {

using Json = nlohmann::json;

const Json& scipy_cases() {
  static const Json cases = [] {
    const auto r = clipset::test::run_command({"/usr/bin/python3", std::string(CLIPSET_TEST_DATA) + "/../scripts/compare_scipy.py", "cases"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);  // needs python3-scipy (scripts/install-deps.sh)
    return Json::parse(r.out);
  }();
  return cases;
}

std::vector<double> doubles(const Json& list) { return list.get<std::vector<double>>(); }

// Relative agreement down to the tiniest p-values (the exact KS sums the mass leaving the band).
void check_p_value(double ours, double theirs) { CHECK(ours == Approx(theirs).epsilon(1e-6).margin(1e-300)); }

}  // namespace

TEST_CASE("Jensen-Shannon divergence and chi-square equal SciPy's on generated counts", "[statistics][scipy]") {
  const Json& cases = scipy_cases()["categorical"];
  REQUIRE(cases.size() >= 40);
  for (const auto& c : cases) {
    INFO(c.dump());
    const auto p = doubles(c["p"]), q = doubles(c["q"]);
    const auto js = clipset::jensen_shannon(p, q);
    REQUIRE(js);
    CHECK(*js == Approx(c["js"].get<double>()).margin(1e-12));
    const auto chi = clipset::chi_square_homogeneity(p, q);
    if (c["chi_square"].is_null()) {
      CHECK_FALSE(chi);
      continue;
    }
    REQUIRE(chi);
    CHECK(chi->statistic == Approx(c["chi_square"]["statistic"].get<double>()).epsilon(1e-12));
    CHECK(chi->dof == c["chi_square"]["dof"].get<std::size_t>());
    check_p_value(chi->p_value, c["chi_square"]["p_value"].get<double>());
  }
}

TEST_CASE("Two-sample KS statistic and p-value equal SciPy's ks_2samp (exact and asymptotic)", "[statistics][scipy]") {
  const Json& cases = scipy_cases()["numeric"];
  REQUIRE(cases.size() >= 20);
  std::size_t asymptotic = 0;
  for (const auto& c : cases) {
    const auto a = doubles(c["a"]), b = doubles(c["b"]);
    INFO("sizes " << a.size() << " and " << b.size() << ": " << c["ks"].dump());
    const auto ks = clipset::kolmogorov_smirnov(a, b);
    REQUIRE(ks);
    CHECK(ks->statistic == Approx(c["ks"]["statistic"].get<double>()).margin(1e-12));
    CHECK(ks->exact == (c["ks"]["method"] == "exact"));
    if (ks->exact) {
      check_p_value(ks->p_value, c["ks"]["p_value"].get<double>());
    } else {
      ++asymptotic;
      // SciPy's asymptotic branch takes the one-sample distribution at n = round(n1 n2 / (n1 + n2)),
      // ours the limiting one at the same point: within a few percent at these sizes.
      CHECK(ks->p_value == Approx(c["ks"]["p_value"].get<double>()).epsilon(0.05).margin(1e-3));
    }
  }
  CHECK(asymptotic == 1);
}

TEST_CASE("The Kolmogorov survival function equals SciPy's kstwobign on both of its expansions", "[statistics][scipy]") {
  for (const auto& c : scipy_cases()["kolmogorov"]) {
    INFO(c.dump());
    CHECK(clipset::kolmogorov_survival(c["z"].get<double>()) == Approx(c["sf"].get<double>()).epsilon(1e-10).margin(1e-15));
  }
}

TEST_CASE("The regularized upper incomplete gamma function equals SciPy's gammaincc", "[statistics][scipy]") {
  const Json& cases = scipy_cases()["gamma"];
  REQUIRE(cases.size() == 64);
  for (const auto& c : cases) {
    INFO(c.dump());
    CHECK(clipset::regularized_gamma_q(c["a"].get<double>(), c["x"].get<double>()) ==
          Approx(c["q"].get<double>()).epsilon(1e-10).margin(1e-300));
  }
}

TEST_CASE("Incomplete gamma, closed forms: Q(1, x) = exp(-x), Q(1/2, x) = erfc(sqrt x)", "[statistics]") {
  for (const double x : {0.0, 0.1, 1.0, 2.0, 7.5, 40.0}) {
    CHECK(clipset::regularized_gamma_q(1.0, x) == Approx(std::exp(-x)).epsilon(1e-12).margin(1e-300));
    CHECK(clipset::regularized_gamma_q(0.5, x) == Approx(std::erfc(std::sqrt(x))).epsilon(1e-12).margin(1e-300));
  }
  CHECK(std::isnan(clipset::regularized_gamma_q(0.0, 1.0)));
  CHECK(std::isnan(clipset::regularized_gamma_q(1.0, -1.0)));
}

TEST_CASE("Divergences and tests at their edges", "[statistics]") {
  CHECK(*clipset::jensen_shannon({1, 0}, {0, 1}) == Approx(1.0));
  CHECK(*clipset::jensen_shannon({3, 5}, {6, 10}) == Approx(0.0).margin(1e-15));
  CHECK_FALSE(clipset::jensen_shannon({0, 0}, {1, 1}));
  CHECK_FALSE(clipset::chi_square_homogeneity({5, 0}, {3, 0}));  // one category: no test
  CHECK_FALSE(clipset::kolmogorov_smirnov({}, {1.0}));
  const auto same = clipset::kolmogorov_smirnov({1, 2, 3}, {1, 2, 3});
  REQUIRE(same);
  CHECK(same->statistic == 0);
  CHECK(same->p_value == 1);
  // Disjoint samples of 3 and 3: D = 1, P = 2 / C(6, 3) = 0.1.
  CHECK(clipset::ks_exact_p_value(3, 3, 1.0) == Approx(0.1));
}

TEST_CASE("Wilson half-width at known points of the closed form", "[statistics][wilson]") {
  // z / (1 + z²/n) · sqrt(p(1-p)/n + z²/(4n²)), z = 1.959963984540054, worked out apart.
  CHECK(clipset::wilson_half_width(37, 0.5) == Approx(0.15334424168941144).epsilon(1e-12));
  CHECK(clipset::wilson_half_width(100, 0.5) == Approx(0.09616846963400437).epsilon(1e-12));
  CHECK(clipset::wilson_half_width(10, 0.9) == Approx(0.19313690685008275).epsilon(1e-12));
  CHECK(clipset::wilson_half_width(400, 0.9) == Approx(0.029505658593684227).epsilon(1e-12));
  CHECK(clipset::wilson_half_width(1, 0.5) == Approx(0.445379244471148).epsilon(1e-12));
  // At p = 0 and 1 the interval does not collapse (unlike the normal approximation).
  CHECK(clipset::wilson_half_width(50, 0.0) == Approx(0.03567379956667936).epsilon(1e-12));
  CHECK(clipset::wilson_half_width(50, 1.0) == Approx(0.03567379956667936).epsilon(1e-12));
}

TEST_CASE("Wilson interval ends solve the score equation (p - q)^2 = z^2 q (1 - q) / n", "[statistics][wilson]") {
  const double z = 1.959963984540054;
  for (const std::size_t n : {5u, 37u, 250u}) {
    for (const double p : {0.1, 0.5, 0.93}) {
      const double centre = (p + z * z / (2.0 * n)) / (1 + z * z / n);
      const double half = clipset::wilson_half_width(n, p);
      for (const double q : {centre - half, centre + half}) {
        INFO("n " << n << " p " << p << " end " << q);
        CHECK((p - q) * (p - q) == Approx(z * z * q * (1 - q) / static_cast<double>(n)).epsilon(1e-9));
      }
    }
  }
}
