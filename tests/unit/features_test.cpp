// Log-mel features: the KissFFT path agrees with a direct DFT written out from the definition,
// a tone lands in its band, and edge cases (short clips, silence, bad options) behave.

#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <vector>

#include "clipset/error.hpp"
#include "clipset/features.hpp"
#include "clipset/prng.hpp"

namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<float> noise(std::size_t n, std::uint64_t seed) {
  clipset::Prng prng(seed, 0);
  std::vector<float> x(n);
  for (auto& v : x) v = static_cast<float>(static_cast<double>(prng.next() >> 11) * 0x1.0p-53 * 2.0 - 1.0) * 0.5f;
  return x;
}

std::vector<float> tone(double hz, int rate, std::size_t n) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(0.5 * std::sin(2 * kPi * hz * static_cast<double>(i) / rate));
  return x;
}

// The definition, written out: periodic Hann, zero padding, DFT, power, HTK mel triangles, dB.
std::vector<std::vector<double>> reference_log_mel(const std::vector<float>& x, int rate, int window, int hop, int fft, int bands) {
  const auto mel = [](double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); };
  const auto hz = [](double m) { return 700.0 * (std::pow(10.0, m / 2595.0) - 1.0); };
  std::vector<double> edges;
  for (int i = 0; i < bands + 2; ++i) edges.push_back(hz(mel(rate / 2.0) * i / (bands + 1)));
  std::vector<std::vector<double>> rows;
  for (std::size_t start = 0; start + static_cast<std::size_t>(window) <= x.size(); start += static_cast<std::size_t>(hop)) {
    std::vector<double> power(static_cast<std::size_t>(fft / 2 + 1));
    for (int k = 0; k <= fft / 2; ++k) {
      std::complex<double> sum = 0;
      for (int i = 0; i < window; ++i) {
        const double w = 0.5 - 0.5 * std::cos(2 * kPi * i / window);
        sum += static_cast<double>(x[start + static_cast<std::size_t>(i)]) * w * std::polar(1.0, -2 * kPi * k * i / fft);
      }
      power[static_cast<std::size_t>(k)] = std::norm(sum);
    }
    std::vector<double> row;
    for (int b = 0; b < bands; ++b) {
      double energy = 0;
      for (int k = 0; k <= fft / 2; ++k) {
        const double f = static_cast<double>(k) * rate / fft;
        const double l = edges[static_cast<std::size_t>(b)], c = edges[static_cast<std::size_t>(b) + 1], r = edges[static_cast<std::size_t>(b) + 2];
        energy += std::max(0.0, std::min((f - l) / (c - l), (r - f) / (r - c))) * power[static_cast<std::size_t>(k)];
      }
      row.push_back(10 * std::log10(std::max(energy, 1e-10)));
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

TEST_CASE("features: the log-mel spectrogram matches the definition computed with a direct DFT", "[features]") {
  const auto x = noise(1600, 3);  // 0.1 s at 16 kHz
  clipset::LogMelOptions options;
  options.mel_bands = 40;
  clipset::LogMelExtractor extractor(16000, options);
  CHECK(extractor.window_samples() == 400);
  CHECK(extractor.hop_samples() == 160);
  CHECK(extractor.fft_size() == 512);
  const auto spec = extractor.spectrogram(x.data(), x.size());
  const auto expected = reference_log_mel(x, 16000, 400, 160, 512, 40);
  REQUIRE(spec.rows == expected.size());
  REQUIRE(spec.rows == 8);
  for (std::size_t t = 0; t < spec.rows; ++t) {
    for (std::size_t b = 0; b < spec.cols; ++b) {
      INFO("frame " << t << " band " << b);
      CHECK(spec.row(t)[b] == Approx(expected[t][b]).margin(0.01));
    }
  }
  // The summary: means, then standard deviations, per band.
  const auto summary = extractor.summarize(x.data(), x.size());
  REQUIRE(summary.size() == 80);
  double mean = 0;
  for (const auto& row : expected) mean += row[5] / static_cast<double>(expected.size());
  CHECK(summary[5] == Approx(mean).margin(0.01));
}

TEST_CASE("features: a 1 kHz tone is loudest in the band around 1 kHz", "[features]") {
  clipset::LogMelOptions options;
  clipset::LogMelExtractor extractor(16000, options);
  const auto x = tone(1000, 16000, 16000);
  const auto summary = extractor.summarize(x.data(), x.size());
  std::size_t loudest = 0;
  for (std::size_t b = 0; b < 64; ++b) {
    if (summary[b] > summary[loudest]) loudest = b;
  }
  // The band whose centre is nearest to 1 kHz on the mel scale.
  const double step = clipset::hz_to_mel(8000) / 65;
  const auto expected = static_cast<std::size_t>(std::lround(clipset::hz_to_mel(1000) / step)) - 1;
  CHECK(loudest == expected);
  CHECK(summary[64 + loudest] < 1.0);  // steady: little spread over frames
}

TEST_CASE("features: short clips, silence and deltas", "[features]") {
  clipset::LogMelOptions options;
  options.deltas = true;
  clipset::LogMelExtractor extractor(16000, options);
  CHECK(extractor.feature_count() == 256);
  const auto short_clip = noise(100, 1);
  const auto spec = extractor.spectrogram(short_clip.data(), short_clip.size());
  CHECK(spec.rows == 1);
  const auto summary = extractor.summarize(short_clip.data(), short_clip.size());
  REQUIRE(summary.size() == 256);
  for (const double v : summary) CHECK(std::isfinite(v));
  const std::vector<float> silence(8000, 0.0f);
  const auto quiet = extractor.summarize(silence.data(), silence.size());
  CHECK(quiet[0] == Approx(-100.0));
  CHECK(quiet[64] == 0.0);
  CHECK(extractor.summarize(nullptr, 0).size() == 256);
}

TEST_CASE("features: options that do not fit the rate are usage errors", "[features]") {
  clipset::LogMelOptions options;
  options.mel_bands = 300;  // a 25 ms window at 8 kHz has 129 bins
  CHECK_THROWS_AS(clipset::LogMelExtractor(8000, options), clipset::Error);
  options = {};
  options.max_hz = 9000;
  CHECK_THROWS_AS(clipset::LogMelExtractor(16000, options), clipset::Error);
  options = {};
  options.window_seconds = 0.00001;
  CHECK_THROWS_AS(clipset::LogMelExtractor(16000, options), clipset::Error);
  CHECK(clipset::describe_features(16000, {}) == "logmel v1 sr=16000 win=400 hop=160 fft=512 bands=64 fmin=0 fmax=8000 deltas=0");
}
