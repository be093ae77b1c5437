#pragma once
// Reading audio: headers, streaming blocks of float frames, and level/quality measures.
// The only module that knows libsndfile and FFmpeg; everything else sees these types.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace clipset {

// A point on the earth as ISO 6709 writes it ("+48.8584+002.2945+035.0/"): degrees, metres.
struct GeoLocation {
  double lat = 0;
  double lon = 0;
  std::optional<double> alt;
};

// Parses the ISO 6709 strings phones write (decimal degrees, optionally altitude, a CRS suffix
// and a trailing '/'; also the degree-minute(-second) forms). nullopt when it is not one.
std::optional<GeoLocation> parse_iso6709(std::string_view text);

// What phones and recorders write about a recording, from the file's own tags. Empty strings
// and nullopt mean "not in the file".
struct RecordingTags {
  std::string recorded_at;  // ISO 8601, as the file states it (creation_time, QuickTime creationdate)
  std::string device;       // "make model" (QuickTime make/model, Android manufacturer/model)
  std::string encoder;      // the app or library that wrote the file
  std::optional<GeoLocation> location;
};

struct AudioInfo {
  std::string format;   // container: wav, flac, ogg, mp3, aiff, caf, w64, rf64, au, mp4, 3gp, webm, amr, aac, ...
  std::string subtype;  // encoding: pcm16, pcm24, ..., vorbis, opus, mp3, aac, alac, amr_nb, amr_wb, ...
  std::int64_t sample_rate = 0;
  std::int64_t channels = 0;
  // Frames read() delivers. libsndfile formats: as the header declares (for WAV, checked
  // against the file size). FFmpeg formats: counted at open() from the packets (a demux pass,
  // no decoding) after the encoder's priming and padding are dropped, as the container says.
  std::int64_t frames = 0;
  double duration = 0;      // frames / sample_rate, seconds
  RecordingTags tags;
};

// Whether open() reads the file's tags (AudioInfo::tags). Files FFmpeg reads carry them anyway;
// for the files libsndfile reads it takes a second parse of the header by FFmpeg (~0.3 ms a
// file), which only ingest wants: segment, validate and learning-curve open thousands of clips.
enum class FileTags { skip, read };

// A sound file open for streaming reads. Move-only; closes itself.
class SoundFile {
 public:
  // libsndfile reads what it can (WAV, FLAC, Ogg, MP3, AIFF, CAF, ...); FFmpeg reads the rest
  // (MP4/M4A, 3GP, WebM/Matroska, AMR, ADTS AAC). See docs/formats.md.
  // Throws clipset::Error (data) naming the path when it is not readable audio (with the
  // reason: "not a sound file (format not recognised)", "truncated (...)", "unsupported format
  // (...)"), and (io) when the file cannot be opened at all. Safe to call from several threads;
  // one SoundFile is used by one thread at a time.
  static SoundFile open(const std::filesystem::path& path, FileTags tags = FileTags::skip);

  SoundFile(SoundFile&&) noexcept;
  SoundFile& operator=(SoundFile&&) noexcept;
  SoundFile(const SoundFile&) = delete;
  SoundFile& operator=(const SoundFile&) = delete;
  ~SoundFile();

  const AudioInfo& info() const noexcept { return info_; }
  const std::filesystem::path& path() const noexcept { return path_; }

  // Reads up to `frames` interleaved frames into `out` (frames * channels floats, full scale
  // +-1). Returns the frames read; 0 at the end, which is never past info().frames. Throws
  // clipset::Error (data) on a decode error.
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

// Name and version of each audio library as loaded at run time (libsndfile, libsamplerate,
// libsoxr, FFmpeg), for --version and bug reports.
std::vector<std::pair<std::string, std::string>> audio_library_versions();

}  // namespace clipset
