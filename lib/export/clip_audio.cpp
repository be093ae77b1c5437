// Clip audio for the export: virtual clips cut from their sources through the recording stream
// segment writes clips with (one pass per source), encoded as segment encodes clip files.

#include <map>
#include <tuple>

#include "clipset/audio.hpp"
#include "clipset/error.hpp"
#include "clipset/recording_stream.hpp"
#include "internal.hpp"

namespace clipset::detail {

std::vector<std::vector<std::size_t>> group_by_source(const ExportPlan& plan, const std::vector<std::size_t>& indices) {
  std::vector<std::vector<std::size_t>> groups;
  std::map<std::tuple<std::string, std::string, std::int64_t>, std::size_t> index_of;
  for (const std::size_t i : indices) {
    const Entry& e = plan.entries[i];
    const auto [it, added] = index_of.try_emplace({e.source.string(), cut_settings_text(e.cut->settings), e.rate}, groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  return groups;
}

void cut_source_clips(const ExportPlan& plan, const std::vector<std::size_t>& group, const ClipEncoding& encoding,
                      const ClipBytesSink& sink, const ClipFailure& failed) {
  if (group.empty()) return;
  std::vector<bool> done(group.size(), false);
  const Entry& first = plan.entries[group.front()];
  const std::string& display = first.cut->source_path;
  try {
    SoundFile file = SoundFile::open(first.source);
    RecordingStreamOptions options = cut_stream_options(first.cut->settings, first.rate, file.info(), display);
    options.threaded = false;
    RecordingStream stream(file, options, display);
    std::vector<ClipRange> ranges;
    for (const std::size_t i : group) ranges.push_back(plan.entries[i].cut->range);
    cut_ranges(stream, ranges, [&](std::size_t k, const float* frames, std::int64_t have) {
      const ClipRange& range = ranges[k];
      if (have == 0 && range.content > 0) {
        failed(group[k], display + ": source range starts after its end (changed since segment?)");
      } else {
        sink(group[k], encode_clip(frames, static_cast<std::size_t>(range.frames), stream.channels(), static_cast<int>(first.rate), encoding));
      }
      done[k] = true;
    });
  } catch (const OutputError&) {
    throw;
  } catch (const Error& e) {
    for (std::size_t k = 0; k < group.size(); ++k)
      if (!done[k]) failed(group[k], e.what());  // "subject: reason"
  }
}

}  // namespace clipset::detail
