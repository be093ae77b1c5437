// One recording through the pipeline: decode -> channels -> resample -> cut -> encode -> write.
// Streams in blocks: memory holds the overlap of pending clips, never the whole recording.

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "clipset/audio.hpp"
#include "clipset/clip_files.hpp"
#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/item_keys.hpp"
#include "clipset/paths.hpp"
#include "clipset/recording_stream.hpp"
#include "internal.hpp"

namespace fs = std::filesystem;

namespace clipset::detail {

namespace {

// Recordings at least this long are decoded and resampled on a thread of their own (with
// --jobs 2 or more): a thread costs next to nothing then, and short files are parallel anyway.
constexpr double kPipelineSeconds = 30;

std::string label_folder(const std::vector<std::string>& labels) {
  if (labels.empty()) return "_unlabelled";
  std::string joined;
  for (const auto& label : labels) joined += (joined.empty() ? "" : "+") + label;
  return safe_file_name(joined);
}

// A clip's manifest path: as --out was given, or relative to --root when one is given.
std::string manifest_path(const fs::path& file, const SegmentOptions& options) { return clip_manifest_path(file, options.root); }

fs::path clip_file(const SegmentOptions& options, const std::vector<std::string>& labels, const std::string& id) {
  fs::path folder = options.out_dir;
  if (options.layout == ClipLayout::by_label) folder /= label_folder(labels);
  return clip_file_path(folder, id, options.encoding.container);
}

// Clip fields that follow the source item, whether the clip is new or taken over.
void inherit(Item& clip, const Item& item, const ClipSpan& span) {
  clip.labels = span.labels;
  clip.label_source = span.label_source;
  clip.salience = span.salience;
  clip.annotations = span.annotations;
  clip.group = std::string(group_key(item).value);  // the recording's leakage unit
  clip.meta = item.meta;
  clip.extra = item.extra;
}

double out_rate(const SegmentOptions& options, const AudioInfo& info) {
  return options.sample_rate ? static_cast<double>(*options.sample_rate) : static_cast<double>(info.sample_rate);
}

// Where a clip came from; start and duration in seconds of the output rate.
ClipSource clip_source(const Item& item, const ClipSpan& span, double rate) {
  ClipSource source;
  source.id = item.id;
  source.path = *item.path;
  source.sha256 = item.sha256;
  source.start = static_cast<double>(span.start) / rate;
  source.duration = static_cast<double>(span.content) / rate;
  return source;
}

// The settings digest (for resume), and what a reader needs to cut the clip again as segment
// did: the channel picked and, when resampled, the resampler and its quality.
void record_settings(ClipSource& source, const SegmentOptions& options, const std::string& settings, bool resampled) {
  source.extra["settings"] = settings;
  if (resampled) {
    source.extra["resampler"] = resampler_name(options.resampler);
    source.extra["quality"] = quality_name(options.quality);
  }
  if (options.channels.mode == ChannelSelection::Mode::pick) source.extra["channel"] = options.channels.channel + 1;
}

// A file that changed since ingest would give clips that no longer match the manifest; a FIFO
// or a device would block or never end.
void check_unchanged(const Item& item, const fs::path& path) {
  try {
    require_regular_file(path);
  } catch (const Error& e) {
    throw_data(*item.path, e.reason());
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw_data(*item.path, errno_reason(errno));
  if (item.bytes && static_cast<std::uint64_t>(st.st_size) != *item.bytes) {
    throw_data(*item.path, "changed since ingest (" + std::to_string(st.st_size) + " bytes, the manifest says " +
                               std::to_string(*item.bytes) + "); run ingest {{update}}");
  }
}

// The clips of a recording of `total` output frames, labelled.
std::vector<ClipSpan> plan_spans(const Item& item, const SegmentOptions& options, const std::vector<Annotation>& selected,
                                 bool strong, std::int64_t total, double rate, RecordingResult& result) {
  try {
    if (options.labels == ClipLabels::events) {
      return plan_event_clips(event_list(selected, options.annotator, &result.outvoted_events), total, rate, options);
    }
    std::vector<ClipSpan> spans = plan_fixed_clips(total, rate, options);
    label_spans(spans, item, selected, strong, rate, options);
    return spans;
  } catch (const Error& e) {
    throw_data(*item.path, e.reason());
  }
}

// Ids: the source id and start time; events that start together get a counter.
std::vector<std::string> clip_ids(const Item& item, const std::vector<ClipSpan>& spans, double rate) {
  std::vector<std::string> ids;
  std::set<std::string> used;
  for (const ClipSpan& span : spans) {
    const std::string base = clip_id(item.id, static_cast<double>(span.start) / rate);
    std::string id = base;
    for (int n = 2; !used.insert(id).second; ++n) id = base + "-" + std::to_string(n);
    ids.push_back(id);
  }
  return ids;
}

// A rerun takes over a recording whose clips an earlier run with the same settings completed:
// every clip has its record, and (unless virtual) its file with the recorded size.
bool reuse_previous(const Item& item, const std::vector<ClipSpan>& spans, const std::vector<std::string>& ids,
                    const SegmentOptions& options, const std::string& settings, bool resampled, const PreviousClips& previous,
                    RecordingResult& result) {
  if (spans.empty() || previous.empty()) return false;
  std::vector<Item> clips;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const auto it = previous.find(ids[i]);
    if (it == previous.end()) return false;
    const Item& old = *it->second;
    if (!old.source || old.source->id != item.id || old.source->sha256 != item.sha256) return false;
    const auto recorded = old.source->extra.find("settings");
    if (recorded == old.source->extra.end() || *recorded != settings) return false;
    if (!options.virtual_clips) {
      const fs::path file = clip_file(options, spans[i].labels, ids[i]);
      std::error_code ec;
      if (!old.path || *old.path != manifest_path(file, options) || !old.bytes || !old.sha256 ||
          fs::file_size(file, ec) != *old.bytes || ec) {
        return false;
      }
      // Clips are small: hashing them is cheap next to decoding the recording, and catches damage.
      try {
        if (sha256_file(file).sha256 != *old.sha256) return false;
      } catch (const Error&) {
        return false;
      }
    }
    Item clip = old;
    inherit(clip, item, spans[i]);
    // Records of a run before segment wrote its resampling settings readably gain them: the same
    // digest means the same settings.
    record_settings(*clip.source, options, settings, resampled);
    clips.push_back(std::move(clip));
  }
  for (auto& clip : clips) result.seconds_out += clip.duration.value_or(0);
  result.unchanged = clips.size();
  result.reused = true;
  result.clips = std::move(clips);
  return true;
}

// Clip records and files as the stream delivers each clip's frames.
class ClipWriter {
 public:
  ClipWriter(const Item& item, const SegmentOptions& options, const std::string& settings, const AudioInfo& info,
             const RecordingStream& stream, const std::vector<ClipSpan>& spans, const std::vector<std::string>& ids,
             RecordingResult& result)
      : item_(item), options_(options), settings_(settings), info_(info), stream_(stream), spans_(spans), ids_(ids),
        result_(result), rate_(out_rate(options, info)) {}

  void operator()(std::size_t index, const float* clip) {
    const ClipSpan& span = spans_[index];
    const int channels = stream_.channels();
    const double rate = rate_;
    QualityMeter meter(static_cast<std::int64_t>(rate), channels);
    meter.feed(clip, static_cast<std::size_t>(span.frames));
    const QualityMeasures q = meter.finish();
    if (options_.drop_silent_db && q.rms_dbfs < *options_.drop_silent_db) {
      ++result_.dropped_silent;
      return;
    }
    Item out;
    out.id = ids_[index];
    out.format = options_.virtual_clips ? info_.format : container_name(options_.encoding.container);
    out.subtype = options_.virtual_clips ? info_.subtype : sample_name(options_.encoding.sample);
    out.sample_rate = static_cast<std::int64_t>(rate);
    out.channels = channels;
    out.frames = span.frames;
    out.duration = static_cast<double>(span.frames) / rate;
    inherit(out, item_, span);
    out.quality = quality_to_json(q);
    out.source = clip_source(item_, span, rate);
    record_settings(*out.source, options_, settings_, stream_.resampling());
    if (!options_.virtual_clips) write(out, span, clip);
    result_.seconds_out += *out.duration;
    result_.clips.push_back(std::move(out));
  }

 private:
  void write(Item& out, const ClipSpan& span, const float* clip) {
    const fs::path file = clip_file(options_, span.labels, out.id);
    const std::string bytes = encode_clip(clip, static_cast<std::size_t>(span.frames), stream_.channels(),
                                          static_cast<int>(rate_), options_.encoding);
    out.path = manifest_path(file, options_);
    out.bytes = bytes.size();
    out.sha256 = sha256_hex(bytes);
    if (write_clip_file(file, bytes, *out.sha256, options_.force)) {
      ++result_.written;
      result_.files.push_back(file);
    } else {
      ++result_.unchanged;
    }
  }

  const Item& item_;
  const SegmentOptions& options_;
  const std::string& settings_;
  const AudioInfo& info_;
  const RecordingStream& stream_;
  const std::vector<ClipSpan>& spans_;
  const std::vector<std::string>& ids_;
  RecordingResult& result_;
  double rate_;
};

}  // namespace

RecordingResult segment_recording(const Item& item, const SegmentOptions& options, const std::string& settings,
                                  const PreviousClips& previous) {
  RecordingResult result;
  if (!item.path) throw_data(item.id, "has no path (a virtual clip cannot be segmented again)");
  const fs::path path = resolve_path(*item.path, options.root.value_or(fs::path()));
  result.display_path = *item.path;
  const bool annotated = !item.annotations.empty();
  const bool strong = options.labels == ClipLabels::strong || options.labels == ClipLabels::events ||
                      (options.labels == ClipLabels::automatic && annotated);
  if (!strong && !options.salience.empty() && item.salience != options.salience) {
    result.other_salience = true;  // its weak labels are not of the salience asked for
    return result;
  }

  check_unchanged(item, path);

  SoundFile audio = SoundFile::open(path);
  const AudioInfo& info = audio.info();
  RecordingStreamOptions stream_options;
  stream_options.channels = options.channels;
  stream_options.sample_rate = options.sample_rate.value_or(0);
  stream_options.resampler = options.resampler;
  stream_options.quality = options.quality;
  // A long recording is decoded and resampled on a second thread when --jobs allows.
  stream_options.threaded = options.jobs >= 2 && info.duration >= kPipelineSeconds;
  RecordingStream stream(audio, stream_options, *item.path);
  const double rate = out_rate(options, info);

  // Plan and label every clip before touching the audio.
  const std::vector<Annotation> selected =
      strong ? selected_annotations(item, options.annotator, options.salience) : std::vector<Annotation>{};
  std::vector<ClipSpan> spans = plan_spans(item, options, selected, strong, stream.total_frames(), rate, result);
  attach_annotations(spans, selected, rate);
  const std::size_t planned = spans.size();
  spans.erase(std::remove_if(spans.begin(), spans.end(), [](const ClipSpan& s) { return s.labels.empty() && s.label_source == "annotations"; }),
              spans.end());
  result.dropped_unlabelled = planned - spans.size();
  result.seconds_in = info.duration;
  const std::vector<std::string> ids = clip_ids(item, spans, rate);

  if (!options.force && reuse_previous(item, spans, ids, options, settings, stream.resampling(), previous, result)) return result;

  std::vector<ClipRange> ranges;
  for (const ClipSpan& span : spans) ranges.push_back({span.start, span.content, span.frames});
  ClipWriter writer(item, options, settings, info, stream, spans, ids, result);
  try {
    cut_ranges(stream, ranges, [&](std::size_t index, const float* clip, std::int64_t) { writer(index, clip); });
  } catch (...) {
    // No clip of a failed recording is left behind.
    for (const auto& file : result.files) fs::remove(file);
    throw;
  }
  return result;
}

}  // namespace clipset::detail
