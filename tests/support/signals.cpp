#include "support/signals.hpp"

#include <cmath>
#include <complex>
#include <numbers>

namespace clipset::test {

namespace {
constexpr double kPi = std::numbers::pi;
}

std::vector<float> sine(double amplitude, double frequency, int rate, std::size_t frames) {
  std::vector<float> out(frames);
  for (std::size_t i = 0; i < frames; ++i) {
    out[i] = static_cast<float>(amplitude * std::sin(2 * kPi * frequency * static_cast<double>(i) / rate));
  }
  return out;
}

std::vector<float> noise(std::size_t samples, double amplitude, std::uint64_t seed) {
  std::vector<float> out(samples);
  std::uint64_t state = seed;
  for (auto& v : out) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    v = static_cast<float>(amplitude * (static_cast<double>(state >> 11) / 9007199254740992.0 * 2 - 1));
  }
  return out;
}

std::vector<float> sweep(double amplitude, double f0, double f1, int rate, std::size_t frames) {
  std::vector<float> out(frames);
  const double seconds = static_cast<double>(frames) / rate;
  for (std::size_t i = 0; i < frames; ++i) {
    const double t = static_cast<double>(i) / rate;
    out[i] = static_cast<float>(amplitude * std::sin(2 * kPi * (f0 * t + (f1 - f0) * t * t / (2 * seconds))));
  }
  return out;
}

double dft_magnitude(const std::vector<float>& x, std::size_t from, std::size_t n, double f, double rate) {
  std::complex<double> sum = 0;
  double window_sum = 0;
  const double w = 2 * kPi * f / rate;
  for (std::size_t i = 0; i < n; ++i) {
    const double hann = 0.5 - 0.5 * std::cos(2 * kPi * static_cast<double>(i) / static_cast<double>(n));
    window_sum += hann;
    sum += hann * static_cast<double>(x[from + i]) * std::polar(1.0, -w * static_cast<double>(i));
  }
  return 2 * std::abs(sum) / window_sum;
}

double rms(const std::vector<float>& x, std::size_t from, std::size_t n) {
  double s = 0;
  for (std::size_t i = from; i < from + n; ++i) s += static_cast<double>(x[i]) * x[i];
  return std::sqrt(s / static_cast<double>(n));
}

double db(double ratio) { return 20 * std::log10(ratio); }

}  // namespace clipset::test
