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
      const float scale = 1.0f / static_cast<float>(channels);
      out.reserve(out.size() + frames);
      for (std::size_t f = 0; f < frames; ++f) {
        float sum = 0;
        for (std::size_t c = 0; c < width; ++c) sum += in[f * width + c];
        out.push_back(sum * scale);
      }
      return;
    }
    case ChannelSelection::Mode::pick: {
      const auto channel = static_cast<std::size_t>(selection.channel);
      out.reserve(out.size() + frames);
      for (std::size_t f = 0; f < frames; ++f) out.push_back(in[f * width + channel]);
      return;
    }
  }
}

}  // namespace clipset
