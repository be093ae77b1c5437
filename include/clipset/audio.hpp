#pragma once
// Reading audio: headers, streaming blocks of float frames, and level/quality measures.
// The only module that knows libsndfile; everything else sees these types.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace clipset {

struct AudioInfo {
  std::string format;   // container: wav, flac, ogg, mp3, aiff, caf, w64, rf64, au, ...
  std::string subtype;  // encoding: pcm16, pcm24, pcm32, pcm8, pcm_u8, float, double, vorbis, opus, ...
  std::int64_t sample_rate = 0;
  std::int64_t channels = 0;
  std::int64_t frames = 0;  // as the header declares (for WAV, checked against the file size)
  double duration = 0;      // frames / sample_rate, seconds
};

// A sound file open for streaming reads. Move-only; closes itself.
class SoundFile {
 public:
  // Throws clipset::Error (data) naming the path when it is not readable audio (with the
  // reason: "not a sound file (format not recognised)", "truncated (...)", "unsupported format
  // (...)"), and (io) when the file cannot be opened at all.
  static SoundFile open(const std::filesystem::path& path);

  SoundFile(SoundFile&&) noexcept;
  SoundFile& operator=(SoundFile&&) noexcept;
  SoundFile(const SoundFile&) = delete;
  SoundFile& operator=(const SoundFile&) = delete;
  ~SoundFile();

  const AudioInfo& info() const noexcept { return info_; }
  const std::filesystem::path& path() const noexcept { return path_; }

  // Reads up to `frames` interleaved frames into `out` (frames * channels floats, full scale
  // +-1). Returns the frames read; 0 at the end. Throws clipset::Error (data) on a decode error.
  std::size_t read(float* out, std::size_t frames);

 private:
  struct Handle;
  SoundFile(std::unique_ptr<Handle> handle, std::filesystem::path path, AudioInfo info);
  std::unique_ptr<Handle> handle_;
  std::filesystem::path path_;
  AudioInfo info_;
};

// Level and health measures from one streaming pass. Feed blocks of any size: the result does
// not depend on how the audio was cut into blocks.
struct QualityMeasures {
  double peak_dbfs = 0;         // largest absolute sample, dB re full scale (floor -120)
  double rms_dbfs = 0;          // RMS over all samples of all channels (floor -120)
  double clipped_fraction = 0;  // samples at |x| >= 0.999 / all samples
  double dc_offset = 0;         // mean sample value over all channels
  double silent_fraction = 0;   // 10 ms frames whose RMS is below -60 dBFS / all frames
  std::int64_t frames = 0;      // frames measured
  std::int64_t nonfinite_samples = 0;  // NaN or inf samples (left out of every measure)
};

class QualityMeter {
 public:
  QualityMeter(std::int64_t sample_rate, std::int64_t channels);
  void feed(const float* interleaved, std::size_t frames);
  QualityMeasures finish();

 private:
  std::int64_t channels_;
  std::size_t window_frames_;  // 10 ms
  std::size_t window_filled_ = 0;
  double window_energy_ = 0;
  std::int64_t windows_ = 0;
  std::int64_t silent_windows_ = 0;
  double peak_ = 0;
  double sum_ = 0;
  double sum_squares_ = 0;
  std::int64_t clipped_ = 0;
  std::int64_t nonfinite_ = 0;
  std::int64_t frames_ = 0;
};

// The manifest's "quality" object for a set of measures.
nlohmann::ordered_json quality_to_json(const QualityMeasures& q);

// Decodes the whole file once and measures it. Throws clipset::Error (data) with the reason
// "truncated (...)" when fewer frames decode than the header declares, and "corrupt samples
// (...)" when the data holds NaN or infinite values.
QualityMeasures measure_quality(SoundFile& file);

}  // namespace clipset
