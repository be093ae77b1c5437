// A recording's Chromaprint fingerprint: the recording stream decodes, mixes to mono and
// resamples to Chromaprint's own rate in blocks, so memory stays bounded whatever the length and
// Chromaprint never resamples on its own.

#include <chromaprint.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "clipset/audio.hpp"
#include "clipset/dups.hpp"
#include "clipset/error.hpp"
#include "clipset/recording_stream.hpp"
#include "internal.hpp"

namespace clipset {

namespace {

constexpr int kAlgorithm = CHROMAPRINT_ALGORITHM_DEFAULT;
constexpr int kRate = 11025;       // Chromaprint's working rate
constexpr int kFrameSamples = 4096;  // its analysis frame at that rate
constexpr int kStepSamples = 1365;   // its hop between frames and so between sub-fingerprints

struct ContextDeleter {
  void operator()(ChromaprintContext* context) const { chromaprint_free(context); }
};
using Context = std::unique_ptr<ChromaprintContext, ContextDeleter>;

std::vector<std::int16_t> to_pcm16(const std::vector<float>& samples) {
  std::vector<std::int16_t> pcm(samples.size());
  std::transform(samples.begin(), samples.end(), pcm.begin(), [](float s) {
    const float clamped = std::clamp(s, -1.0f, 1.0f);
    return static_cast<std::int16_t>(std::lround(clamped * 32767.0f));
  });
  return pcm;
}

void feed(ChromaprintContext* context, const std::vector<float>& samples, const std::string& name) {
  const auto pcm = to_pcm16(samples);
  if (!pcm.empty() && chromaprint_feed(context, pcm.data(), static_cast<int>(pcm.size())) != 1) {
    throw Error(ErrorKind::internal, name, "Chromaprint refused the audio");
  }
}

std::vector<std::uint32_t> raw_values(ChromaprintContext* context, const std::string& name) {
  std::uint32_t* raw = nullptr;
  int size = 0;
  if (chromaprint_get_raw_fingerprint(context, &raw, &size) != 1) throw Error(ErrorKind::internal, name, "Chromaprint gave no fingerprint");
  std::vector<std::uint32_t> values(raw, raw + std::max(size, 0));
  chromaprint_dealloc(raw);
  return values;
}

}  // namespace

double fingerprint_step() { return static_cast<double>(kStepSamples) / kRate; }

double dups_detail::fingerprint_span() { return static_cast<double>(kFrameSamples + 19 * kStepSamples) / kRate; }

std::vector<std::pair<std::string, std::string>> fingerprint_library_versions() {
  return {{"Chromaprint", chromaprint_get_version()}};
}

std::string fingerprint_definition() {
  return std::string("chromaprint ") + chromaprint_get_version() + " algorithm " + std::to_string(kAlgorithm) + " rate " +
         std::to_string(kRate) + " mono soxr fastest; short sounds to " + std::to_string(static_cast<int>(kShortSoundMaxSeconds)) +
         " s: logmel 32 bands 100-3800 Hz 25 ms/10 ms floor 80 dB step 0.5 dB";
}

RecordingStreamOptions dups_detail::fingerprint_stream_options() {
  RecordingStreamOptions options;
  options.channels = {ChannelSelection::Mode::mono, 0};
  options.sample_rate = kRate;
  options.resampler = ResamplerKind::soxr;
  options.quality = ResampleQuality::fastest;
  return options;
}

AudioFingerprint fingerprint_audio(SoundFile& audio, const std::string& name) {
  RecordingStream stream(audio, dups_detail::fingerprint_stream_options(), name);

  Context context(chromaprint_new(kAlgorithm));
  if (!context || chromaprint_start(context.get(), kRate, 1) != 1) throw Error(ErrorKind::internal, name, "Chromaprint did not start");
  AudioFingerprint print;
  std::vector<float> block;
  std::vector<float> kept;  // the whole recording while it may be a short sound
  const auto short_max = static_cast<std::size_t>(kShortSoundMaxSeconds * kRate);
  std::size_t samples = 0;
  bool more = true;
  while (more) {
    block.clear();
    more = stream.next(block);
    samples += block.size();
    feed(context.get(), block, name);
    if (samples <= short_max) kept.insert(kept.end(), block.begin(), block.end());
    else std::vector<float>().swap(kept);
  }
  if (chromaprint_finish(context.get()) != 1) throw Error(ErrorKind::internal, name, "Chromaprint did not finish");
  print.values = raw_values(context.get(), name);
  print.seconds = static_cast<double>(samples) / kRate;
  if (samples > 0 && samples <= short_max) print.spectrogram = dups_detail::short_spectrogram(kept, kRate);
  return print;
}

}  // namespace clipset
