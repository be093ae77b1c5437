#include "clipset/audio_process.hpp"
#include "clipset/error.hpp"

namespace clipset {

int output_channels(const ChannelSelection& selection, int channels) {
  switch (selection.mode) {
    case ChannelSelection::Mode::keep: return channels;
    case ChannelSelection::Mode::mono: return 1;
    case ChannelSelection::Mode::pick:
      if (selection.channel < 0 || selection.channel >= channels) {
        throw_data("", "has " + std::to_string(channels) + " channel" + (channels == 1 ? "" : "s") +
                           ", no channel " + std::to_string(selection.channel + 1));
      }
      return 1;
  }
  return channels;
}

void select_channels(const float* in, std::size_t frames, int channels, const ChannelSelection& selection,
                     std::vector<float>& out) {
  const auto width = static_cast<std::size_t>(channels);
  switch (selection.mode) {
    case ChannelSelection::Mode::keep:
      out.insert(out.end(), in, in + frames * width);
      return;
    case ChannelSelection::Mode::mono: {
      // Sized once and written by index, so the loops vectorise; stereo, the common case, has
      // its own loop. (l + r) * 0.5f is the same value as the general sum * (1 / 2).
      const std::size_t at = out.size();
      out.resize(at + frames);
      float* dest = out.data() + at;
      if (channels == 2) {
        for (std::size_t f = 0; f < frames; ++f) dest[f] = (in[2 * f] + in[2 * f + 1]) * 0.5f;
        return;
      }
      const float scale = 1.0f / static_cast<float>(channels);
      for (std::size_t f = 0; f < frames; ++f) {
        float sum = 0;
        for (std::size_t c = 0; c < width; ++c) sum += in[f * width + c];
        dest[f] = sum * scale;
      }
      return;
    }
    case ChannelSelection::Mode::pick: {
      const auto channel = static_cast<std::size_t>(selection.channel);
      const std::size_t at = out.size();
      out.resize(at + frames);
      float* dest = out.data() + at;
      for (std::size_t f = 0; f < frames; ++f) dest[f] = in[f * width + channel];
      return;
    }
  }
}

}  // namespace clipset
