#pragma once
// Streaming audio processing: channel mixing, resampling, and encoding clips in memory.
// Every stage takes blocks of any size; results do not depend on how the audio was cut.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clipset {

// Which channels of the input reach the output.
struct ChannelSelection {
  enum class Mode { keep, mono, pick } mode = Mode::keep;
  int channel = 0;  // with pick: 0-based
};

// Output channel count for an input of `channels` (throws clipset::Error (data) when pick asks
// for a channel the recording does not have).
int output_channels(const ChannelSelection& selection, int channels);

// Appends `frames` frames of `in` (interleaved, `channels` wide) to `out`, mixed as selected.
// Mono is the average of all channels.
void select_channels(const float* in, std::size_t frames, int channels, const ChannelSelection& selection,
                     std::vector<float>& out);

enum class ResampleQuality { fastest, medium, best };

// The library behind a Resampler: libsoxr (the default: as good at `fastest` and many times
// faster) or libsamplerate's sinc converters.
enum class ResamplerKind { soxr, libsamplerate };
constexpr ResamplerKind kDefaultResampler = ResamplerKind::soxr;

// The command-line names: "soxr"/"libsamplerate", "fastest"/"medium"/"best".
std::string resampler_name(ResamplerKind kind);
std::string quality_name(ResampleQuality quality);
// The reverse, for names read back from a manifest: nullopt for a name this version does not know.
std::optional<ResamplerKind> parse_resampler(std::string_view name);
std::optional<ResampleQuality> parse_quality(std::string_view name);

// A persistent converter: feed blocks, then finish(). Output frames over the whole stream are
// exactly round(input_frames * ratio) (the converter's last few frames are trimmed or padded
// with silence to that count), so clip positions never drift. Output does not depend on how the
// input was cut into blocks.
class Resampler {
 public:
  Resampler(int channels, double ratio, ResampleQuality quality, ResamplerKind kind = kDefaultResampler);
  ~Resampler();
  Resampler(Resampler&&) noexcept;
  Resampler& operator=(Resampler&&) noexcept;
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  // Appends converted frames to `out`.
  void process(const float* in, std::size_t frames, std::vector<float>& out);
  // Flushes the converter's delay line; appends the last frames.
  void finish(std::vector<float>& out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// How a clip is stored.
struct ClipEncoding {
  enum class Container { wav, flac } container = Container::wav;
  enum class Sample { pcm16, pcm24, float32 } sample = Sample::pcm16;
};

// The manifest names of an encoding ("wav"/"flac", "pcm16"/"pcm24"/"float").
std::string container_name(ClipEncoding::Container container);
std::string sample_name(ClipEncoding::Sample sample);

// Encodes interleaved float frames into a complete file image in memory. Samples beyond full
// scale are clipped when converting to PCM (values are scaled by 2^(bits-1) and rounded down to a
// step, as libsndfile's clipping converter does; WAV pcm16 is written directly, byte-identical).
std::string encode_clip(const float* interleaved, std::size_t frames, int channels, int sample_rate,
                        const ClipEncoding& encoding);

}  // namespace clipset
