#pragma once
// Statistics the reports share (compare's distribution tests, stats' confidence intervals), in
// one place, each checked against an independent implementation (tests/scripts/compare_scipy.py,
// tests/unit/statistics_test.cpp).

#include <cstddef>
#include <optional>
#include <vector>

namespace clipset {

// The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a), a > 0, x >= 0:
// a power series below x = a + 1, a continued fraction above. NaN outside the domain.
double regularized_gamma_q(double a, double x);

// Jensen–Shannon divergence, base 2 (0: the same distribution, 1: disjoint), of two count
// vectors over the same categories, each normalised to sum to 1. Nullopt when either is all zeros.
std::optional<double> jensen_shannon(const std::vector<double>& p, const std::vector<double>& q);

// Chi-square test of homogeneity on a 2 x k table of counts (no continuity correction).
// Categories empty on both sides are left out; nullopt when fewer than two remain or a row is empty.
struct ChiSquare {
  double statistic = 0;
  std::size_t dof = 0;
  double p_value = 1;
};
std::optional<ChiSquare> chi_square_homogeneity(const std::vector<double>& a, const std::vector<double>& b);

// Two-sample Kolmogorov–Smirnov test, two-sided. The p-value is exact (the share of lattice paths
// that leave the band of the statistic, as for continuous data) when neither sample has more than
// kKsExactLimit values, and from the Kolmogorov limiting distribution at sqrt(n1 n2 / (n1 + n2)) D
// otherwise. Nullopt when a sample is empty. The samples need not be sorted.
inline constexpr std::size_t kKsExactLimit = 10000;
struct KsTest {
  double statistic = 0;
  double p_value = 1;
  bool exact = true;
};
std::optional<KsTest> kolmogorov_smirnov(std::vector<double> a, std::vector<double> b);
// P(D >= d) for samples of m and n values (exact method; m, n >= 1).
double ks_exact_p_value(std::size_t m, std::size_t n, double d);
// The Kolmogorov distribution's survival function, P(K > z).
double kolmogorov_survival(double z);

// The half-width of the 95% Wilson score interval for a proportion `p` measured on n trials
// (n > 0, 0 <= p <= 1): how far the true rate may lie from the measured one.
double wilson_half_width(std::size_t n, double p);

}  // namespace clipset
