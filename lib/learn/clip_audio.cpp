// Clip audio for features: a clip file read whole (clips are short), or the clips of one source
// recording cut from a single pass of the recording stream segment writes its clips with, so a
// virtual clip has the very samples of the clip file segment would have written.

#include <algorithm>

#include "clipset/audio.hpp"
#include "clipset/audio_process.hpp"
#include "clipset/error.hpp"
#include "clipset/recording_stream.hpp"
#include "clipset/virtual_clip.hpp"
#include "curve_internal.hpp"

namespace clipset::detail {

namespace {

constexpr std::size_t kBlockFrames = 16384;
const ChannelSelection kMono{ChannelSelection::Mode::mono, 0};

}  // namespace

std::vector<float> read_clip_file(const ClipRef& clip, int sample_rate) {
  SoundFile file = SoundFile::open(clip.path);
  const AudioInfo& info = file.info();
  if (info.sample_rate != sample_rate) {
    throw_data(clip.display, "sample rate " + std::to_string(info.sample_rate) + " Hz where the manifest says " +
                                 std::to_string(sample_rate) + " Hz (changed since segment?)");
  }
  const int channels = static_cast<int>(info.channels);
  std::vector<float> block(kBlockFrames * static_cast<std::size_t>(channels));
  std::vector<float> out;
  out.reserve(static_cast<std::size_t>(std::max<std::int64_t>(info.frames, 0)));
  while (const std::size_t got = file.read(block.data(), kBlockFrames)) select_channels(block.data(), got, channels, kMono, out);
  return out;
}

void read_source_clips(const std::vector<const ClipRef*>& clips, int sample_rate,
                       const std::function<void(std::size_t, std::vector<float>&)>& sink,
                       const std::function<void(std::size_t, const std::string&)>& failed) {
  if (clips.empty()) return;
  std::vector<bool> done(clips.size(), false);
  try {
    const ClipRef& first = *clips.front();
    SoundFile file = SoundFile::open(first.path);
    RecordingStream stream(file, cut_stream_options(first.settings, sample_rate, file.info(), first.display), first.display);
    std::vector<ClipRange> ranges;
    for (const ClipRef* clip : clips) ranges.push_back({clip->start, clip->content, clip->frames});
    std::vector<float> audio;
    cut_ranges(stream, ranges, [&](std::size_t k, const float* frames, std::int64_t have) {
      if (have == 0 && clips[k]->content > 0) {
        failed(k, "source range starts after the end of " + clips[k]->display + " (changed since segment?)");
      } else {
        // Channels segment kept are averaged here, as they are when reading a clip file.
        audio.clear();
        select_channels(frames, static_cast<std::size_t>(clips[k]->frames), stream.channels(), kMono, audio);
        sink(k, audio);
      }
      done[k] = true;
    });
  } catch (const Error& e) {
    for (std::size_t k = 0; k < clips.size(); ++k)
      if (!done[k]) failed(k, e.what());  // "subject: reason"
  }
}

void read_augmented_clips(const std::vector<const ClipRef*>& clips,
                          const std::function<void(std::size_t, std::vector<float>&)>& sink,
                          const std::function<void(std::size_t, const std::string&)>& failed) {
  std::vector<AugmentJob> jobs;
  for (const ClipRef* clip : clips) jobs.push_back(*clip->augment);
  render_augmented(
      jobs, std::filesystem::path(), 1,
      [&](std::size_t k, std::vector<float> frames, int channels) {
        std::vector<float> mono;
        mono.reserve(static_cast<std::size_t>(jobs[k].frames));
        select_channels(frames.data(), static_cast<std::size_t>(jobs[k].frames), channels, kMono, mono);
        sink(k, mono);
      },
      failed);
}

}  // namespace clipset::detail
