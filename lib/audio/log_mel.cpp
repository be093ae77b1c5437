// Log-mel spectrogram: Hann window, real FFT (KissFFT), power spectrum, triangular mel filters on
// the HTK scale, 10 * log10 with a floor of -100 dB. The steps are the textbook ones so that a
// reference in a few lines of numpy reproduces them (bench/learn_features_reference.py).

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <kiss_fftr.h>

#include "clipset/error.hpp"
#include "clipset/features.hpp"

namespace clipset {

namespace {

constexpr double kFloorPower = 1e-10;  // -100 dB: silence stays finite
constexpr double kPi = 3.14159265358979323846;

std::size_t next_power_of_two(std::size_t n) {
  std::size_t p = 2;
  while (p < n) p *= 2;
  return p;
}

std::string hz_text(double hz) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", hz);
  return text;
}

}  // namespace

double hz_to_mel(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }
double mel_to_hz(double mel) { return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0); }

struct LogMelExtractor::State {
  int sample_rate = 0;
  LogMelOptions options;
  int window = 0;
  int hop = 0;
  std::size_t fft = 0;
  std::vector<float> hann;
  // filters[band] = (first FFT bin, weights from that bin on)
  std::vector<std::pair<std::size_t, std::vector<float>>> filters;
  kiss_fftr_cfg cfg = nullptr;
  std::vector<float> frame;
  std::vector<kiss_fft_cpx> spectrum;
  std::vector<float> power;

  ~State() {
    if (cfg) kiss_fftr_free(cfg);
  }
};

LogMelExtractor::LogMelExtractor(int sample_rate, const LogMelOptions& options) : state_(std::make_unique<State>()) {
  auto& s = *state_;
  s.sample_rate = sample_rate;
  s.options = options;
  if (sample_rate <= 0) throw_usage("features", "sample rate must be positive");
  s.window = static_cast<int>(std::lround(options.window_seconds * sample_rate));
  s.hop = static_cast<int>(std::lround(options.hop_seconds * sample_rate));
  if (s.window < 2) throw_option("window_seconds", "under 2 samples at " + std::to_string(sample_rate) + " Hz");
  if (s.hop < 1) throw_option("hop_seconds", "under 1 sample at " + std::to_string(sample_rate) + " Hz");
  s.fft = next_power_of_two(static_cast<std::size_t>(s.window));
  const std::size_t bins = s.fft / 2 + 1;
  const double nyquist = sample_rate / 2.0;
  const double max_hz = options.max_hz > 0 ? options.max_hz : nyquist;
  if (options.mel_bands < 1) throw_option("mel_bands", "must be at least 1");
  if (!(options.min_hz >= 0) || !(max_hz > options.min_hz) || max_hz > nyquist) {
    throw_option("max_hz", "the band " + hz_text(options.min_hz) + "-" + hz_text(max_hz) + " Hz does not fit 0-" + hz_text(nyquist) +
                              " Hz (half the sample rate)");
  }
  if (static_cast<std::size_t>(options.mel_bands) + 2 > bins) {
    throw_option("mel_bands", std::to_string(options.mel_bands) + " bands need more than the " + std::to_string(bins) + " FFT bins of a " +
                                   std::to_string(s.window) + "-sample window");
  }
  // The periodic Hann window (as numpy's hanning(N + 1)[:-1]): the usual choice for spectral frames.
  s.hann.resize(static_cast<std::size_t>(s.window));
  for (int i = 0; i < s.window; ++i) s.hann[static_cast<std::size_t>(i)] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * kPi * i / s.window));
  // Triangles between mel-spaced edges; a filter narrower than one bin still gets its nearest bin,
  // so no band is always empty.
  const double low_mel = hz_to_mel(options.min_hz), high_mel = hz_to_mel(max_hz);
  std::vector<double> edges(static_cast<std::size_t>(options.mel_bands) + 2);
  for (std::size_t i = 0; i < edges.size(); ++i) {
    edges[i] = mel_to_hz(low_mel + (high_mel - low_mel) * static_cast<double>(i) / static_cast<double>(edges.size() - 1));
  }
  const double bin_hz = static_cast<double>(sample_rate) / static_cast<double>(s.fft);
  for (int band = 0; band < options.mel_bands; ++band) {
    const double left = edges[static_cast<std::size_t>(band)], centre = edges[static_cast<std::size_t>(band) + 1],
                 right = edges[static_cast<std::size_t>(band) + 2];
    std::vector<float> weights;
    std::size_t first = 0;
    for (std::size_t bin = 0; bin < bins; ++bin) {
      const double f = static_cast<double>(bin) * bin_hz;
      const double w = std::max(0.0, std::min((f - left) / (centre - left), (right - f) / (right - centre)));
      if (w <= 0) {
        if (!weights.empty()) break;
        continue;
      }
      if (weights.empty()) first = bin;
      weights.push_back(static_cast<float>(w));
    }
    if (weights.empty()) {
      first = std::min(bins - 1, static_cast<std::size_t>(std::lround(centre / bin_hz)));
      weights.push_back(1.0f);
    }
    s.filters.emplace_back(first, std::move(weights));
  }
  s.cfg = kiss_fftr_alloc(static_cast<int>(s.fft), 0, nullptr, nullptr);
  if (!s.cfg) throw Error(ErrorKind::internal, "features", "the FFT could not be set up");
  s.frame.assign(s.fft, 0.0f);
  s.spectrum.resize(bins);
  s.power.resize(bins);
}

LogMelExtractor::~LogMelExtractor() = default;
LogMelExtractor::LogMelExtractor(LogMelExtractor&&) noexcept = default;
LogMelExtractor& LogMelExtractor::operator=(LogMelExtractor&&) noexcept = default;

std::size_t LogMelExtractor::fft_size() const { return state_->fft; }
int LogMelExtractor::window_samples() const { return state_->window; }
int LogMelExtractor::hop_samples() const { return state_->hop; }

std::size_t LogMelExtractor::feature_count() const {
  return static_cast<std::size_t>(state_->options.mel_bands) * (state_->options.deltas ? 4 : 2);
}

FeatureMatrix LogMelExtractor::spectrogram(const float* mono, std::size_t frames) {
  auto& s = *state_;
  const auto window = static_cast<std::size_t>(s.window), hop = static_cast<std::size_t>(s.hop);
  FeatureMatrix out;
  out.cols = static_cast<std::size_t>(s.options.mel_bands);
  out.rows = frames < window ? 1 : 1 + (frames - window) / hop;
  out.values.resize(out.rows * out.cols);
  for (std::size_t t = 0; t < out.rows; ++t) {
    const std::size_t start = t * hop;
    std::fill(s.frame.begin(), s.frame.end(), 0.0f);
    for (std::size_t i = 0; i < window && start + i < frames; ++i) s.frame[i] = mono[start + i] * s.hann[i];
    kiss_fftr(s.cfg, s.frame.data(), s.spectrum.data());
    for (std::size_t k = 0; k < s.spectrum.size(); ++k) s.power[k] = s.spectrum[k].r * s.spectrum[k].r + s.spectrum[k].i * s.spectrum[k].i;
    double* row = out.row(t);
    for (std::size_t band = 0; band < s.filters.size(); ++band) {
      const auto& [first, weights] = s.filters[band];
      double energy = 0;
      for (std::size_t j = 0; j < weights.size(); ++j) energy += static_cast<double>(weights[j]) * s.power[first + j];
      row[band] = 10.0 * std::log10(std::max(energy, kFloorPower));
    }
  }
  return out;
}

std::vector<double> LogMelExtractor::summarize(const float* mono, std::size_t frames) {
  const auto spec = spectrogram(mono, frames);
  const std::size_t bands = spec.cols;
  std::vector<double> summary;
  summary.reserve(feature_count());
  auto add_mean_and_deviation = [&](auto value_at, std::size_t rows) {
    std::vector<double> mean(bands, 0.0), squares(bands, 0.0);
    for (std::size_t t = 0; t < rows; ++t) {
      for (std::size_t b = 0; b < bands; ++b) mean[b] += value_at(t, b);
    }
    for (auto& m : mean) m = rows ? m / static_cast<double>(rows) : 0.0;
    for (std::size_t t = 0; t < rows; ++t) {
      for (std::size_t b = 0; b < bands; ++b) squares[b] += (value_at(t, b) - mean[b]) * (value_at(t, b) - mean[b]);
    }
    summary.insert(summary.end(), mean.begin(), mean.end());
    for (const double sq : squares) summary.push_back(rows ? std::sqrt(sq / static_cast<double>(rows)) : 0.0);
  };
  add_mean_and_deviation([&](std::size_t t, std::size_t b) { return spec.row(t)[b]; }, spec.rows);
  if (state_->options.deltas) {
    add_mean_and_deviation([&](std::size_t t, std::size_t b) { return spec.row(t + 1)[b] - spec.row(t)[b]; }, spec.rows - 1);
  }
  return summary;
}

std::string describe_features(int sample_rate, const LogMelOptions& options) {
  LogMelExtractor extractor(sample_rate, options);
  std::ostringstream text;
  text << "logmel v1 sr=" << sample_rate << " win=" << extractor.window_samples() << " hop=" << extractor.hop_samples()
       << " fft=" << extractor.fft_size() << " bands=" << options.mel_bands << " fmin=" << options.min_hz
       << " fmax=" << (options.max_hz > 0 ? options.max_hz : sample_rate / 2.0) << " deltas=" << (options.deltas ? 1 : 0);
  return text.str();
}

}  // namespace clipset
