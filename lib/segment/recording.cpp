// One recording through the pipeline: decode -> channels -> resample -> cut -> encode -> write.
// Streams in blocks: memory holds the overlap of pending clips, never the whole recording.

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "clipset/audio.hpp"
#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/item_keys.hpp"
#include "clipset/paths.hpp"
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

// Writes the clip unless an identical file is already there; true when it wrote.
bool write_clip(const fs::path& path, const std::string& bytes, const std::string& sha256, bool force) {
  std::error_code ec;
  if (!force && fs::file_size(path, ec) == bytes.size() && !ec && sha256_file(path).sha256 == sha256) return false;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw_io(path.parent_path().string(), "cannot create folder: " + errno_reason(ec.value()));
  AtomicOutput out(path.string(), false);
  out.stream().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.commit();
  return true;
}

// A clip's manifest path: as --out was given, or relative to --root when one is given, since
// readers resolve relative paths against --root.
std::string manifest_path(const fs::path& file, const SegmentOptions& options) {
  if (!options.root) return file.lexically_normal().generic_string();
  std::error_code ec;
  const fs::path abs = fs::absolute(file, ec).lexically_normal();
  const fs::path rel = abs.lexically_relative(fs::absolute(*options.root, ec).lexically_normal());
  if (rel.empty() || *rel.begin() == "..") return abs.generic_string();
  return rel.generic_string();
}

fs::path clip_file(const SegmentOptions& options, const std::vector<std::string>& labels, const std::string& id) {
  fs::path file = options.out_dir;
  if (options.layout == ClipLayout::by_label) file /= label_folder(labels);
  return file / (safe_file_name(id) + "." + container_name(options.encoding.container));
}

// Clip fields that follow the source item, whether the clip is new or taken over.
void inherit(Item& clip, const Item& item, const ClipSpan& span) {
  clip.labels = span.labels;
  clip.label_source = span.label_source;
  clip.annotations = span.annotations;
  clip.group = std::string(group_key(item).value);  // the recording's leakage unit
  clip.meta = item.meta;
  clip.extra = item.extra;
}

// A rerun takes over a recording whose clips an earlier run with the same settings completed:
// every clip has its record, and (unless virtual) its file with the recorded size.
bool reuse_previous(const Item& item, const std::vector<ClipSpan>& spans, const std::vector<std::string>& ids,
                    const SegmentOptions& options, const std::string& settings, const PreviousClips& previous,
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
    clips.push_back(std::move(clip));
  }
  for (auto& clip : clips) result.seconds_out += clip.duration.value_or(0);
  result.unchanged = clips.size();
  result.reused = true;
  result.clips = std::move(clips);
  return true;
}

}  // namespace

RecordingResult segment_recording(const Item& item, const SegmentOptions& options, const std::string& settings,
                                  const PreviousClips& previous) {
  RecordingResult result;
  if (!item.path) throw_data(item.id, "has no path (a virtual clip cannot be segmented again)");
  const fs::path path = resolve_path(*item.path, options.root.value_or(fs::path()));
  result.display_path = *item.path;

  // A file that changed since ingest would give clips that no longer match the manifest.
  try {
    require_regular_file(path);
  } catch (const Error& e) {
    throw_data(*item.path, e.reason());
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw_data(*item.path, errno_reason(errno));
  if (item.bytes && static_cast<std::uint64_t>(st.st_size) != *item.bytes) {
    throw_data(*item.path, "changed since ingest (" + std::to_string(st.st_size) + " bytes, the manifest says " +
                               std::to_string(*item.bytes) + "); run ingest --update");
  }

  SoundFile audio = SoundFile::open(path);
  const AudioInfo& info = audio.info();
  const int in_channels = static_cast<int>(info.channels);
  int out_channels = 0;
  try {
    out_channels = output_channels(options.channels, in_channels);
  } catch (const Error& e) {
    throw_data(*item.path, e.reason());
  }
  const double in_rate = static_cast<double>(info.sample_rate);
  const double out_rate = options.sample_rate ? static_cast<double>(*options.sample_rate) : in_rate;
  const double ratio = out_rate / in_rate;
  const auto total = static_cast<std::int64_t>(std::llround(static_cast<double>(info.frames) * ratio));

  // Plan and label every clip before touching the audio.
  const bool annotated = !item.annotations.empty();
  const bool strong = options.labels == ClipLabels::strong || options.labels == ClipLabels::events ||
                      (options.labels == ClipLabels::automatic && annotated);
  const std::vector<Annotation> selected = strong ? selected_annotations(item, options.annotator) : std::vector<Annotation>{};
  std::vector<ClipSpan> spans;
  try {
    if (options.labels == ClipLabels::events) {
      spans = plan_event_clips(event_list(selected, options.annotator), total, out_rate, options);
    } else {
      spans = plan_fixed_clips(total, out_rate, options);
      label_spans(spans, item, selected, strong, out_rate, options);
    }
  } catch (const Error& e) {
    throw_data(*item.path, e.reason());
  }
  attach_annotations(spans, selected, out_rate);
  const std::size_t planned = spans.size();
  spans.erase(std::remove_if(spans.begin(), spans.end(), [](const ClipSpan& s) { return s.labels.empty() && s.label_source == "annotations"; }),
              spans.end());
  result.dropped_unlabelled = planned - spans.size();
  result.seconds_in = info.duration;

  // Ids: the source id and start time; events that start together get a counter.
  std::vector<std::string> ids;
  std::set<std::string> used;
  for (const ClipSpan& span : spans) {
    std::string id = clip_id(item.id, static_cast<double>(span.start) / out_rate);
    for (int n = 2; !used.insert(id).second; ++n) id = clip_id(item.id, static_cast<double>(span.start) / out_rate) + "-" + std::to_string(n);
    ids.push_back(id);
  }

  if (!options.force && reuse_previous(item, spans, ids, options, settings, previous, result)) return result;

  // Stream the audio and cut clips as their frames arrive. A long recording is decoded and
  // resampled on a second thread when --jobs allows (see RecordingStream).
  const bool threaded = options.jobs >= 2 && info.duration >= kPipelineSeconds;
  RecordingStream input(audio, options, out_channels, ratio, threaded);
  std::vector<float> stream;  // output frames from stream_start on, starting at index `head`
  std::size_t head = 0;
  std::int64_t stream_start = 0;
  const auto width = static_cast<std::size_t>(out_channels);
  std::size_t next = 0;
  std::vector<float> padded;

  auto emit_ready = [&](bool at_end) {
    const std::int64_t available = stream_start + static_cast<std::int64_t>((stream.size() - head) / width);
    while (next < spans.size() && (at_end || spans[next].start + spans[next].content <= available)) {
      const ClipSpan& span = spans[next];
      const std::int64_t have = std::clamp<std::int64_t>(available - span.start, 0, span.content);
      const auto at = [&] { return stream.data() + head + static_cast<std::size_t>(span.start - stream_start) * width; };
      const float* clip = nullptr;
      if (have == span.frames) {
        clip = at();  // read in place
      } else {  // short of audio: zero padding after what there is
        padded.assign(static_cast<std::size_t>(span.frames) * width, 0.0f);
        if (have > 0) std::copy_n(at(), static_cast<std::size_t>(have) * width, padded.begin());
        clip = padded.data();
      }

      QualityMeter meter(static_cast<std::int64_t>(out_rate), out_channels);
      meter.feed(clip, static_cast<std::size_t>(span.frames));
      const QualityMeasures q = meter.finish();
      ++next;
      if (options.drop_silent_db && q.rms_dbfs < *options.drop_silent_db) {
        ++result.dropped_silent;
        continue;
      }
      Item out;
      out.id = ids[next - 1];
      out.format = options.virtual_clips ? info.format : container_name(options.encoding.container);
      out.subtype = options.virtual_clips ? info.subtype : sample_name(options.encoding.sample);
      out.sample_rate = static_cast<std::int64_t>(out_rate);
      out.channels = out_channels;
      out.frames = span.frames;
      out.duration = static_cast<double>(span.frames) / out_rate;
      inherit(out, item, span);
      out.quality = quality_to_json(q);
      ClipSource source;
      source.id = item.id;
      source.path = *item.path;
      source.sha256 = item.sha256;
      source.start = static_cast<double>(span.start) / out_rate;
      source.duration = static_cast<double>(span.content) / out_rate;
      source.extra["settings"] = settings;
      if (options.channels.mode == ChannelSelection::Mode::pick) source.extra["channel"] = options.channels.channel + 1;
      out.source = std::move(source);
      if (!options.virtual_clips) {
        const fs::path file = clip_file(options, span.labels, out.id);
        const std::string bytes = encode_clip(clip, static_cast<std::size_t>(span.frames), out_channels,
                                              static_cast<int>(out_rate), options.encoding);
        out.path = manifest_path(file, options);
        out.bytes = bytes.size();
        out.sha256 = sha256_hex(bytes);
        if (write_clip(file, bytes, *out.sha256, options.force)) {
          ++result.written;
          result.files.push_back(file);
        } else {
          ++result.unchanged;
        }
      }
      result.seconds_out += *out.duration;
      result.clips.push_back(std::move(out));
    }
    // Frames before the next clip's start are no longer needed; they are dropped in bulk
    // once they make up half of the buffer, so each frame is moved at most about once.
    const std::int64_t keep_from = next < spans.size() ? std::min(spans[next].start, available) : available;
    if (keep_from > stream_start) {
      head += static_cast<std::size_t>(keep_from - stream_start) * width;
      stream_start = keep_from;
    }
    if (head > 0 && head * 2 >= stream.size()) {
      stream.erase(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(head));
      head = 0;
    }
  };

  try {
    bool more = true;
    while (more && next < spans.size()) {
      more = input.next(stream);
      if (!more && input.frames_decoded() < info.frames) {
        throw_data(*item.path, "truncated (" + std::to_string(input.frames_decoded()) + " of " +
                                   std::to_string(info.frames) + " frames decode)");
      }
      emit_ready(!more);
    }
  } catch (...) {
    // No clip of a failed recording is left behind.
    for (const auto& file : result.files) fs::remove(file);
    throw;
  }
  return result;
}

}  // namespace clipset::detail
