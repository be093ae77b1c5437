#pragma once
// Log-mel features (KissFFT): learning-curve summarises clips by the mean and standard deviation
// of each band, optionally also of the frame-to-frame differences (deltas), see
// docs/learning-curve.md for the definition step by step; dups compares short sounds by their
// spectrograms (docs/dups.md). In audio, below both.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace clipset {

// Rows of equal length, stored row after row.
struct FeatureMatrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> values;  // rows * cols
  const double* row(std::size_t r) const { return values.data() + r * cols; }
  double* row(std::size_t r) { return values.data() + r * cols; }
};

struct LogMelOptions {
  double window_seconds = 0.025;  // Hann window, zero-padded to the next power of two for the FFT
  double hop_seconds = 0.010;
  int mel_bands = 64;
  double min_hz = 0;
  double max_hz = 0;  // 0: the Nyquist frequency
  bool deltas = false;
};

// One extractor per thread (the FFT keeps scratch space). Throws clipset::Error (usage) when the
// options make no sense for the rate (a window under 2 samples, more bands than FFT bins, ...).
class LogMelExtractor {
 public:
  LogMelExtractor(int sample_rate, const LogMelOptions& options);
  ~LogMelExtractor();
  LogMelExtractor(LogMelExtractor&&) noexcept;
  LogMelExtractor& operator=(LogMelExtractor&&) noexcept;
  LogMelExtractor(const LogMelExtractor&) = delete;
  LogMelExtractor& operator=(const LogMelExtractor&) = delete;

  // Log-mel energies in dB, one row per frame: frame t covers samples [t * hop, t * hop + window).
  // Only whole frames are taken; audio shorter than one window is zero-padded to one frame.
  FeatureMatrix spectrogram(const float* mono, std::size_t frames);
  // The clip's summary: per band the mean, then per band the standard deviation (then the same
  // two for the deltas). feature_count() values.
  std::vector<double> summarize(const float* mono, std::size_t frames);
  std::size_t feature_count() const;
  std::size_t fft_size() const;
  int window_samples() const;
  int hop_samples() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Names every parameter that changes the features, for cache keys and reports, e.g.
// "logmel v1 sr=16000 win=400 hop=160 fft=512 bands=64 fmin=0 fmax=8000 deltas=0".
std::string describe_features(int sample_rate, const LogMelOptions& options);

// The HTK mel scale: 2595 * log10(1 + hz / 700), and its inverse.
double hz_to_mel(double hz);
double mel_to_hz(double mel);

}  // namespace clipset
