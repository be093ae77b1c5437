// Divergences, homogeneity tests and intervals for the reports; see clipset/statistics.hpp.

#include "clipset/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

namespace clipset {

namespace {

constexpr double kEpsilon = 1e-15;
constexpr int kMaxIterations = 10000;

// exp(-x + a ln x - ln Γ(a)): the factor both expansions of the incomplete gamma share.
double gamma_prefactor(double a, double x) { return std::exp(-x + a * std::log(x) - std::lgamma(a)); }

// P(a, x) = γ(a, x) / Γ(a) as Σ x^n / (a (a+1) ... (a+n)), converging fast for x < a + 1.
double lower_gamma_series(double a, double x) {
  double term = 1.0 / a, sum = term;
  for (int n = 1; n < kMaxIterations; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::fabs(term) < std::fabs(sum) * kEpsilon) break;
  }
  return sum * gamma_prefactor(a, x);
}

// Q(a, x) by Legendre's continued fraction, evaluated with the modified Lentz method, for x >= a + 1.
double upper_gamma_fraction(double a, double x) {
  constexpr double tiny = std::numeric_limits<double>::min() / kEpsilon;
  double b = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;
  for (int i = 1; i < kMaxIterations; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEpsilon) break;
  }
  return gamma_prefactor(a, x) * h;
}

double sum_of(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

}  // namespace

double regularized_gamma_q(double a, double x) {
  if (!(a > 0) || !(x >= 0) || std::isinf(a)) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return 1.0;
  if (std::isinf(x)) return 0.0;
  if (x < a + 1.0) return 1.0 - lower_gamma_series(a, x);
  return upper_gamma_fraction(a, x);
}

std::optional<double> jensen_shannon(const std::vector<double>& p, const std::vector<double>& q) {
  const double sp = sum_of(p), sq = sum_of(q);
  if (p.size() != q.size() || !(sp > 0) || !(sq > 0)) return std::nullopt;
  double divergence = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double pi = p[i] / sp, qi = q[i] / sq, m = (pi + qi) / 2;
    if (pi > 0) divergence += 0.5 * pi * std::log2(pi / m);
    if (qi > 0) divergence += 0.5 * qi * std::log2(qi / m);
  }
  return std::clamp(divergence, 0.0, 1.0);
}

std::optional<ChiSquare> chi_square_homogeneity(const std::vector<double>& a, const std::vector<double>& b) {
  const double na = sum_of(a), nb = sum_of(b), n = na + nb;
  if (a.size() != b.size() || !(na > 0) || !(nb > 0)) return std::nullopt;
  ChiSquare test;
  std::size_t categories = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double column = a[i] + b[i];
    if (column <= 0) continue;
    ++categories;
    const double ea = na * column / n, eb = nb * column / n;
    test.statistic += (a[i] - ea) * (a[i] - ea) / ea + (b[i] - eb) * (b[i] - eb) / eb;
  }
  if (categories < 2) return std::nullopt;
  test.dof = categories - 1;
  test.p_value = regularized_gamma_q(static_cast<double>(test.dof) / 2.0, test.statistic / 2.0);
  return test;
}

double ks_exact_p_value(std::size_t m, std::size_t n, double d) {
  // D takes values k / lcm(m, n); a point (i, j) of the path of the merged samples lies outside
  // the band when |i/m - j/n| >= d, that is |i n - j m| >= h g. Under the null hypothesis the path
  // is uniform over the C(m+n, m) lattice paths: from (i, j) it steps to i+1 with probability
  // (m-i)/(m+n-i-j). Forward over the rows, `row` holds the probability of reaching each point
  // of row i inside the band; the mass of every step that leaves it is summed. A sum of positive
  // terms: tiny p-values keep their precision (1 minus the share inside would not).
  const auto g = static_cast<std::int64_t>(std::gcd(m, n));
  const auto mi = static_cast<std::int64_t>(m), ni = static_cast<std::int64_t>(n);
  const std::int64_t lcm = mi / g * ni;
  const std::int64_t h = std::llround(d * static_cast<double>(lcm));
  if (h <= 0) return 1.0;
  const std::int64_t bound = h * g;
  auto outside = [&](std::int64_t i, std::int64_t j) { return std::llabs(i * ni - j * mi) >= bound; };
  std::vector<double> row(n + 1, 0.0), next(n + 1, 0.0);
  row[0] = 1.0;
  double leaving = 0;
  for (std::int64_t i = 0; i <= mi; ++i) {
    std::fill(next.begin(), next.end(), 0.0);
    for (std::int64_t j = 0; j <= ni; ++j) {
      const double here = row[static_cast<std::size_t>(j)];
      const std::int64_t left = (mi - i) + (ni - j);
      if (here == 0 || left == 0) continue;
      const double up = here * static_cast<double>(mi - i) / static_cast<double>(left);
      const double across = here * static_cast<double>(ni - j) / static_cast<double>(left);
      if (i < mi) (outside(i + 1, j) ? leaving : next[static_cast<std::size_t>(j)]) += up;
      if (j < ni) (outside(i, j + 1) ? leaving : row[static_cast<std::size_t>(j + 1)]) += across;
    }
    std::swap(row, next);
  }
  return std::clamp(leaving, 0.0, 1.0);
}

double kolmogorov_survival(double z) {
  if (!(z > 0)) return 1.0;
  constexpr double pi = 3.14159265358979323846;
  if (z < 1.18) {
    // Small z: 1 - sqrt(2 pi)/z Σ exp(-(2k-1)² π² / (8 z²)), where the alternating series is slow.
    double sum = 0;
    for (int k = 1; k < 20; ++k) {
      const double odd = 2.0 * k - 1.0;
      sum += std::exp(-odd * odd * pi * pi / (8.0 * z * z));
    }
    return std::clamp(1.0 - std::sqrt(2.0 * pi) / z * sum, 0.0, 1.0);
  }
  double sum = 0;
  for (int k = 1; k < 100; ++k) {
    const double term = std::exp(-2.0 * k * k * z * z);
    sum += (k % 2 == 1 ? term : -term);
    if (term < 1e-17) break;
  }
  return std::clamp(2.0 * sum, 0.0, 1.0);
}

std::optional<KsTest> kolmogorov_smirnov(std::vector<double> a, std::vector<double> b) {
  if (a.empty() || b.empty()) return std::nullopt;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  const double m = static_cast<double>(a.size()), n = static_cast<double>(b.size());
  // Walk the merged values; at each distinct value both empirical CDFs include all its ties.
  std::size_t i = 0, j = 0;
  double largest = 0;
  while (i < a.size() && j < b.size()) {
    const double x = std::min(a[i], b[j]);
    while (i < a.size() && a[i] == x) ++i;
    while (j < b.size() && b[j] == x) ++j;
    largest = std::max(largest, std::fabs(static_cast<double>(i) / m - static_cast<double>(j) / n));
  }
  KsTest test;
  test.statistic = largest;
  test.exact = std::max(a.size(), b.size()) <= kKsExactLimit;
  test.p_value = test.exact ? ks_exact_p_value(a.size(), b.size(), largest)
                            : kolmogorov_survival(std::sqrt(m * n / (m + n)) * largest);
  return test;
}

double wilson_half_width(std::size_t n, double p) {
  constexpr double z = 1.959963984540054;  // the 97.5th percentile of the standard normal
  const double trials = static_cast<double>(n);
  const double z2 = z * z;
  return z / (1.0 + z2 / trials) * std::sqrt(p * (1.0 - p) / trials + z2 / (4.0 * trials * trials));
}

}  // namespace clipset
