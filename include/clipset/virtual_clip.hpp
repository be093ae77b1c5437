#pragma once
// A virtual clip (segment --virtual) read back from its record: which range of which recording,
// and how segment cut it. learning-curve and export cut virtual clips through this one rule and
// the recording stream, so a virtual clip holds exactly the samples segment would have written.

#include <cstdint>
#include <optional>
#include <string>

#include "clipset/audio.hpp"
#include "clipset/audio_process.hpp"
#include "clipset/manifest.hpp"
#include "clipset/recording_stream.hpp"

namespace clipset {

// How segment turned the recording into clip audio: the channels it kept (one picked, all, or
// their mean) and, where it resampled, with what. Unset resampling settings come from a manifest
// written before segment recorded them.
struct CutSettings {
  ChannelSelection channels{ChannelSelection::Mode::mono, 0};
  std::optional<ResamplerKind> resampler;
  std::optional<ResampleQuality> quality;
};

struct VirtualCut {
  std::string source_path;  // source.path as the record spells it
  // In frames of the clip's rate: [start, start + content) of the stream, then zeros up to frames.
  ClipRange range;
  CutSettings settings;
};

// How segment cut a clip from its source (source.channel, source.resampler, source.quality), for
// a clip with a source. Throws clipset::Error (data) with an empty subject when a value cannot
// be reproduced.
CutSettings cut_settings_of(const Item& item);

// An item without a file of its own whose audio is a range of its source recording.
bool is_virtual_clip(const Item& item);

// The cut of a virtual clip at `rate` (its sample rate, > 0). Throws clipset::Error (data) with an
// empty subject when the record cannot be cut: a negative or empty range, a source.channel that is
// not a channel number, a resampler or quality this version does not know.
VirtualCut virtual_cut(const Item& item, std::int64_t rate);

// "channel 2 soxr best", "mono - -": clips whose settings agree are cut from one pass over their
// source (and caches tell them apart).
std::string cut_settings_text(const CutSettings& settings);

// The stream segment cut the clips from, for a recording whose header says `info`. Resampling
// needs the settings segment used: without them any guess could differ from the clips segment
// writes, so the clip is refused: throws clipset::Error (data) naming `display`.
RecordingStreamOptions cut_stream_options(const CutSettings& settings, std::int64_t rate, const AudioInfo& info,
                                          const std::string& display);

}  // namespace clipset
