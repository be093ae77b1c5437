// Level and health measures in one streaming pass (block boundaries do not change results).

#include <algorithm>
#include <cmath>
#include <vector>

#include "clipset/audio.hpp"
#include "clipset/error.hpp"

namespace clipset {

namespace {

constexpr double kFloorDb = -120.0;
constexpr double kClipLevel = 0.999;
constexpr double kSilentDb = -60.0;

double to_db(double amplitude) {
  return amplitude <= 0 ? kFloorDb : std::max(kFloorDb, 20.0 * std::log10(amplitude));
}

// Measures are rounded so that the manifest stays readable and stable across platforms.
// Dividing by a whole number gives the double nearest the decimal, which prints short.
// Adding 0.0 turns -0.0 into 0.0, which JSON readers and people both prefer.
double round_to(double value, double per_unit) { return std::round(value * per_unit) / per_unit + 0.0; }

}  // namespace

QualityMeter::QualityMeter(std::int64_t sample_rate, std::int64_t channels)
    : channels_(std::max<std::int64_t>(1, channels)),
      window_frames_(static_cast<std::size_t>(std::max<std::int64_t>(1, sample_rate / 100))) {}

void QualityMeter::feed(const float* interleaved, std::size_t frames) {
  const auto channels = static_cast<std::size_t>(channels_);
  for (std::size_t f = 0; f < frames; ++f) {
    double frame_energy = 0;
    for (std::size_t c = 0; c < channels; ++c) {
      const double x = interleaved[f * channels + c];
      if (!std::isfinite(x)) {  // float files can hold NaN or inf: corrupt, and they would poison every sum
        ++nonfinite_;
        continue;
      }
      const double magnitude = std::fabs(x);
      peak_ = std::max(peak_, magnitude);
      sum_ += x;
      frame_energy += x * x;
      if (magnitude >= kClipLevel) ++clipped_;
    }
    sum_squares_ += frame_energy;
    window_energy_ += frame_energy;
    if (++window_filled_ == window_frames_) {
      const double rms = std::sqrt(window_energy_ / static_cast<double>(window_frames_ * channels));
      if (to_db(rms) < kSilentDb) ++silent_windows_;
      ++windows_;
      window_filled_ = 0;
      window_energy_ = 0;
    }
  }
  frames_ += static_cast<std::int64_t>(frames);
}

QualityMeasures QualityMeter::finish() {
  if (window_filled_ > 0) {  // a last partial window still counts
    const double rms = std::sqrt(window_energy_ / static_cast<double>(window_filled_ * static_cast<std::size_t>(channels_)));
    if (to_db(rms) < kSilentDb) ++silent_windows_;
    ++windows_;
    window_filled_ = 0;
    window_energy_ = 0;
  }
  QualityMeasures q;
  q.frames = frames_;
  q.nonfinite_samples = nonfinite_;
  const double samples = static_cast<double>(frames_) * static_cast<double>(channels_);
  q.peak_dbfs = to_db(peak_);
  q.rms_dbfs = samples > 0 ? to_db(std::sqrt(sum_squares_ / samples)) : kFloorDb;
  q.clipped_fraction = samples > 0 ? static_cast<double>(clipped_) / samples : 0;
  q.dc_offset = samples > 0 ? sum_ / samples : 0;
  q.silent_fraction = windows_ > 0 ? static_cast<double>(silent_windows_) / static_cast<double>(windows_) : 0;
  return q;
}

nlohmann::ordered_json quality_to_json(const QualityMeasures& q) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["peak_dbfs"] = round_to(q.peak_dbfs, 100);
  out["rms_dbfs"] = round_to(q.rms_dbfs, 100);
  out["clipped_fraction"] = round_to(q.clipped_fraction, 1e6);
  out["dc_offset"] = round_to(q.dc_offset, 1e6);
  out["silent_fraction"] = round_to(q.silent_fraction, 1e4);
  return out;
}

QualityMeasures measure_quality(SoundFile& file) {
  const auto& info = file.info();
  QualityMeter meter(info.sample_rate, info.channels);
  constexpr std::size_t kBlockFrames = 8192;
  std::vector<float> block(kBlockFrames * static_cast<std::size_t>(info.channels));
  while (const std::size_t got = file.read(block.data(), kBlockFrames)) meter.feed(block.data(), got);
  QualityMeasures q = meter.finish();
  if (q.nonfinite_samples > 0) {
    throw_data(file.path().string(), "corrupt samples (" + std::to_string(q.nonfinite_samples) +
                                         " NaN or infinite values in the audio data)");
  }
  if (info.frames > 0 && q.frames < info.frames) {
    throw_data(file.path().string(), "truncated (" + std::to_string(q.frames) + " of " + std::to_string(info.frames) +
                                         " frames decode)");
  }
  return q;
}

}  // namespace clipset
