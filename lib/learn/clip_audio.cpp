// Clip audio for features: a clip file read whole (clips are short), or the clips of one source
// recording cut from a single streaming pass over it (channel selection, then resampling to the
// clips' rate, as segment made them).

#include <algorithm>
#include <numeric>
#include <optional>

#include "clipset/audio.hpp"
#include "clipset/audio_process.hpp"
#include "clipset/error.hpp"
#include "curve_internal.hpp"

namespace clipset::detail {

namespace {

constexpr std::size_t kBlockFrames = 16384;

ChannelSelection selection_for(int channel) {
  ChannelSelection s;
  s.mode = channel < 0 ? ChannelSelection::Mode::mono : ChannelSelection::Mode::pick;
  s.channel = std::max(channel, 0);
  return s;
}

}  // namespace

std::vector<float> read_clip_file(const ClipRef& clip, int sample_rate) {
  SoundFile file = SoundFile::open(clip.path);
  const AudioInfo& info = file.info();
  if (info.sample_rate != sample_rate) {
    throw_data(clip.display, "sample rate " + std::to_string(info.sample_rate) + " Hz where the manifest says " +
                                 std::to_string(sample_rate) + " Hz (changed since segment?)");
  }
  const int channels = static_cast<int>(info.channels);
  const ChannelSelection mono = selection_for(-1);
  std::vector<float> block(kBlockFrames * static_cast<std::size_t>(channels));
  std::vector<float> out;
  out.reserve(static_cast<std::size_t>(std::max<std::int64_t>(info.frames, 0)));
  while (const std::size_t got = file.read(block.data(), kBlockFrames)) select_channels(block.data(), got, channels, mono, out);
  return out;
}

void read_source_clips(const std::vector<const ClipRef*>& clips, int sample_rate,
                       const std::function<void(std::size_t, std::vector<float>&)>& sink,
                       const std::function<void(std::size_t, const std::string&)>& failed) {
  if (clips.empty()) return;
  std::vector<std::size_t> order(clips.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return clips[a]->start < clips[b]->start; });
  std::size_t next = 0;
  try {
    SoundFile file = SoundFile::open(clips.front()->path);
    const AudioInfo& info = file.info();
    const int channels = static_cast<int>(info.channels);
    const ChannelSelection selection = selection_for(clips.front()->channel);
    if (output_channels(selection, channels) != 1) throw_data(clips.front()->display, "cannot select one channel");
    std::optional<Resampler> resampler;
    if (info.sample_rate != sample_rate) resampler.emplace(1, double(sample_rate) / double(info.sample_rate), ResampleQuality::fastest);

    std::vector<float> block(kBlockFrames * static_cast<std::size_t>(channels));
    std::vector<float> mixed;
    std::vector<float> stream;   // output frames from `origin` on
    std::int64_t origin = 0;
    std::vector<float> clip;

    auto emit_ready = [&](bool at_end) {
      const std::int64_t available = origin + static_cast<std::int64_t>(stream.size());
      while (next < order.size()) {
        const ClipRef& ref = *clips[order[next]];
        if (!at_end && ref.start + ref.content > available) break;
        const std::int64_t have = std::clamp<std::int64_t>(available - ref.start, 0, ref.content);
        if (have == 0 && ref.content > 0) {
          failed(order[next], "source range starts after the end of " + ref.display + " (changed since segment?)");
        } else {
          clip.assign(static_cast<std::size_t>(ref.frames), 0.0f);
          const auto from = stream.begin() + (ref.start - origin);
          std::copy(from, from + std::min(have, ref.frames), clip.begin());
          sink(order[next], clip);
        }
        ++next;
      }
      // Keep only what clips still to come need.
      const std::int64_t keep_from = next < order.size() ? std::min(clips[order[next]]->start, available) : available;
      const auto drop = static_cast<std::size_t>(keep_from - origin);
      if (drop > 0 && drop >= stream.size() / 2) {
        stream.erase(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(drop));
        origin = keep_from;
      }
    };

    while (const std::size_t got = file.read(block.data(), kBlockFrames)) {
      mixed.clear();
      select_channels(block.data(), got, channels, selection, mixed);
      if (resampler) resampler->process(mixed.data(), got, stream);
      else stream.insert(stream.end(), mixed.begin(), mixed.end());
      emit_ready(false);
    }
    if (resampler) resampler->finish(stream);
    emit_ready(true);
  } catch (const Error& e) {
    for (; next < order.size(); ++next) failed(order[next], e.what());  // "subject: reason"
  }
}

}  // namespace clipset::detail
