// Virtual clips read back from their records: the one rule learning-curve and export share.

#include "clipset/virtual_clip.hpp"

#include <cmath>

#include "clipset/error.hpp"

namespace clipset {

namespace {

// The channels segment kept: source.channel when it picked one, all of them when the clip has
// several, else their mean. Throws clipset::Error (data) with an empty subject.
ChannelSelection channels_of(const Item& item) {
  const ClipSource& source = *item.source;
  if (const auto it = source.extra.find("channel"); it != source.extra.end()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < 1) throw_data("", "source.channel must be a channel number from 1");
    return {ChannelSelection::Mode::pick, static_cast<int>(it->get<std::int64_t>() - 1)};
  }
  if (item.channels && *item.channels > 1) return {ChannelSelection::Mode::keep, 0};
  return {ChannelSelection::Mode::mono, 0};
}

// source.resampler and source.quality, as segment records them when it resamples. A name this
// version does not know cannot be reproduced: throws clipset::Error (data) with an empty subject.
void read_resampling(const ClipSource& source, CutSettings& settings) {
  if (const auto it = source.extra.find("resampler"); it != source.extra.end()) {
    settings.resampler = it->is_string() ? parse_resampler(it->get<std::string>()) : std::nullopt;
    if (!settings.resampler) throw_data("", "source.resampler " + it->dump() + " is not one this version of clipset knows; re-run segment with it");
  }
  if (const auto it = source.extra.find("quality"); it != source.extra.end()) {
    settings.quality = it->is_string() ? parse_quality(it->get<std::string>()) : std::nullopt;
    if (!settings.quality) throw_data("", "source.quality " + it->dump() + " is not one this version of clipset knows; re-run segment with it");
  }
}

}  // namespace

CutSettings cut_settings_of(const Item& item) {
  if (!item.source) throw_data("", "no source to cut it from");
  CutSettings settings;
  settings.channels = channels_of(item);
  read_resampling(*item.source, settings);
  return settings;
}

bool is_virtual_clip(const Item& item) {
  return (!item.path || item.path->empty()) && item.source && !item.source->path.empty();
}

VirtualCut virtual_cut(const Item& item, std::int64_t rate) {
  if (!is_virtual_clip(item)) throw_data("", "no path and no source to read its audio from");
  const ClipSource& source = *item.source;
  VirtualCut cut;
  cut.source_path = source.path;
  const double r = static_cast<double>(rate);
  cut.range.start = std::llround(source.start * r);
  cut.range.content = std::llround(source.duration * r);
  cut.range.frames = item.frames ? *item.frames : item.duration ? std::llround(*item.duration * r) : cut.range.content;
  if (cut.range.start < 0 || cut.range.content < 0 || cut.range.frames <= 0) throw_data("", "a virtual clip with a negative or empty range");
  cut.settings = cut_settings_of(item);
  return cut;
}

std::string cut_settings_text(const CutSettings& settings) {
  const ChannelSelection& channels = settings.channels;
  std::string text = channels.mode == ChannelSelection::Mode::pick   ? "channel " + std::to_string(channels.channel + 1)
                     : channels.mode == ChannelSelection::Mode::keep ? "all"
                                                                     : "mono";
  text += " " + (settings.resampler ? resampler_name(*settings.resampler) : std::string("-"));
  text += " " + (settings.quality ? quality_name(*settings.quality) : std::string("-"));
  return text;
}

RecordingStreamOptions cut_stream_options(const CutSettings& settings, std::int64_t rate, const AudioInfo& info,
                                          const std::string& display) {
  RecordingStreamOptions options;
  options.channels = settings.channels;
  options.sample_rate = rate;
  if (info.sample_rate != rate) {
    if (!settings.resampler || !settings.quality) {
      throw_data(display, "resampled from " + std::to_string(info.sample_rate) + " Hz to " + std::to_string(rate) +
                              " Hz by a segment that did not record how (source.resampler, source.quality); "
                              "re-run segment to cut it exactly");
    }
    options.resampler = *settings.resampler;
    options.quality = *settings.quality;
  }
  return options;
}

}  // namespace clipset
