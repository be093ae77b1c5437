#include "support/signals.hpp"

#include <algorithm>
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

namespace {

// Uniform in [0, 1) from a 64-bit LCG, as noise() draws.
struct Draw {
  std::uint64_t state;
  double operator()() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  }
};

void add_note(std::vector<float>& out, std::size_t at, std::size_t length, double frequency, double decay, double breath,
              int rate, Draw& draw) {
  for (std::size_t i = 0; i < length && at + i < out.size(); ++i) {
    const double t = static_cast<double>(i) / rate;
    const double envelope = std::min(1.0, t / 0.01) * std::exp(-t * decay);
    double v = 0;
    for (int h = 1; h <= 3; ++h) v += std::pow(0.6, h - 1) * std::sin(2 * kPi * frequency * h * t);
    v = v * (1 - breath) + breath * (draw() * 2 - 1);
    out[at + i] += static_cast<float>(0.25 * envelope * v);
  }
}

}  // namespace

std::vector<float> melody(std::uint64_t seed, double seconds, int rate) {
  std::vector<float> out(static_cast<std::size_t>(seconds * rate));
  Draw draw{seed * 0x9E3779B97F4A7C15ULL + 7};
  for (std::size_t at = 0; at < out.size();) {
    const auto length = static_cast<std::size_t>((0.08 + draw() * 0.42) * rate);
    const double midi = 45 + std::floor(draw() * 40);
    const double decay = 1 + draw() * 5;
    const double breath = draw() < 0.2 ? 0.6 : 0.0;
    add_note(out, at, length, 440 * std::pow(2.0, (midi - 69) / 12), decay, breath, rate, draw);
    at += static_cast<std::size_t>(static_cast<double>(length) * (0.6 + draw() * 0.4));
  }
  float peak = 0;
  for (auto& v : out) {
    v += static_cast<float>(0.005 * (draw() * 2 - 1));
    peak = std::max(peak, std::fabs(v));
  }
  for (auto& v : out) v = v * 0.5f / std::max(peak, 1e-6f);
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
