// `segment`: recordings in, clips out, in input order whatever --jobs is.

#include <sstream>

#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/thread_pool.hpp"
#include "internal.hpp"

namespace clipset {

namespace {
// Recordings read ahead of the writer: bounds memory on huge manifests, keeps both cores busy.
constexpr std::size_t kChunk = 64;

const char* tail_name(TailPolicy tail) {
  return tail == TailPolicy::pad ? "pad" : tail == TailPolicy::drop ? "drop" : "keep";
}
}  // namespace

std::string segment_settings_digest(const SegmentOptions& o) {
  std::ostringstream text;
  text.precision(17);
  text << "rate=" << (o.sample_rate ? *o.sample_rate : 0) << ";resampler=" << resampler_name(o.resampler)
       << ";quality=" << static_cast<int>(o.quality)
       << ";channels=" << static_cast<int>(o.channels.mode) << ":" << o.channels.channel << ";length=" << o.length
       << ";hop=" << o.hop << ";tail=" << tail_name(o.tail) << ";min_length=" << o.min_length
       << ";encoding=" << container_name(o.encoding.container) << "/" << sample_name(o.encoding.sample)
       << ";layout=" << static_cast<int>(o.layout) << ";virtual=" << o.virtual_clips
       << ";drop_silent=" << (o.drop_silent_db ? *o.drop_silent_db : 1.0) << ";labels=" << static_cast<int>(o.labels)
       << ";min_overlap=" << o.min_overlap << ";background=" << o.background << ";annotator=" << o.annotator;
  if (!o.salience.empty()) text << ";salience=" << o.salience;  // absent: digests of earlier runs hold
  return sha256_hex(text.str()).substr(0, 12);
}

namespace {

// Options wrong for every recording are refused before the first one is read.
void check_options(const SegmentOptions& options) {
  if (!(options.length > 0)) throw_option("length", "must be more than 0");
  if (options.length > detail::kMaxClipSeconds) {
    throw_option("length", "must be at most " + std::to_string(static_cast<int>(detail::kMaxClipSeconds)) +
                               "s (a clip is held in memory while it is cut)");
  }
  if (options.hop < 0) throw_option("hop", "must not be negative");
  if (!options.salience.empty() && !is_salience(options.salience)) throw_option("salience", "must be fg or bg");
  if (options.sample_rate && *options.sample_rate <= 0) throw_option("sample_rate", "must be positive");
  if (options.sample_rate) {
    // With one output rate a step shorter than a sample is wrong for every recording: say so now.
    const auto rate = static_cast<double>(*options.sample_rate);
    if (!detail::at_least_one_sample(options.length, rate)) throw_option("length", "shorter than one sample at {{sample_rate}}");
    if (options.hop > 0 && !detail::at_least_one_sample(options.hop, rate)) throw_option("hop", "shorter than one sample at {{sample_rate}}");
  }
  if (options.min_overlap < 0 || options.min_overlap > 1) throw_option("min_overlap", "must be between 0 and 1");
  if (options.encoding.container == ClipEncoding::Container::flac &&
      options.encoding.sample == ClipEncoding::Sample::float32) {
    throw_option("subtype", "float", "FLAC stores integers only; use pcm16 or pcm24, or {{format}} wav");
  }
}

void create_out_dir(const SegmentOptions& options) {
  if (options.virtual_clips) return;
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec) throw_output(options.out_dir.string(), "cannot create folder: " + errno_reason(ec.value()));
}

// The next items of the manifest (of the shard, with one), at most kChunk of them (none at its
// end), and the line of each.
void read_chunk(ManifestReader& input, const SegmentOptions& options, std::vector<Item>& chunk, std::vector<std::size_t>& lines,
                SegmentSummary& summary) {
  chunk.clear();
  lines.clear();
  while (chunk.size() < kChunk) {
    auto item = input.next();
    if (!item) break;
    if (options.shard && !in_shard(*item, *options.shard)) {
      ++summary.other_shards;
      continue;
    }
    chunk.push_back(std::move(*item));
    lines.push_back(input.line());
  }
}

struct Outcome {
  std::optional<detail::RecordingResult> result;
  std::optional<Rejection> rejection;
};

// One recording's clips, or the reason it is rejected. Output errors are not the recording's
// fault and stop the run.
Outcome segment_one(const Item& item, const SegmentOptions& options, const std::string& settings,
                    const detail::PreviousClips& previous) {
  Outcome outcome;
  try {
    outcome.result = detail::segment_recording(item, options, settings, previous);
  } catch (const OutputError&) {
    throw;  // a full disk or an unwritable output folder stops the run
  } catch (const Error& e) {
    const std::string path = item.path.value_or(item.id);
    // Name what failed when it is not the recording itself (a clip folder, say).
    const bool other = !e.subject().empty() && e.subject() != path;
    outcome.rejection = Rejection{path, other ? e.subject() + ": " + e.reason() : e.reason()};
  }
  return outcome;
}

void count_recording(SegmentSummary& summary, const detail::RecordingResult& r, std::size_t line, const SegmentCallbacks& callbacks) {
  ++summary.recordings;
  summary.written += r.written;
  summary.unchanged += r.unchanged;
  summary.reused += r.reused ? 1 : 0;
  summary.dropped_silent += r.dropped_silent;
  summary.dropped_unlabelled += r.dropped_unlabelled;
  summary.other_salience += r.other_salience ? 1 : 0;
  summary.outvoted_events += r.outvoted_events;
  summary.seconds_in += r.seconds_in;
  summary.seconds_out += r.seconds_out;
  for (std::size_t c = 0; c < r.clips.size(); ++c) {
    ++summary.clips;
    for (const auto& label : r.clips[c].labels) ++summary.per_label[label];
    if (callbacks.clip) callbacks.clip(r.clips[c], line, c);
  }
}

}  // namespace

SegmentSummary segment(ManifestReader& input, const SegmentOptions& options, const SegmentCallbacks& callbacks) {
  check_options(options);
  create_out_dir(options);
  const std::string settings = segment_settings_digest(options);
  detail::PreviousClips previous;
  for (const Item& item : options.previous) previous.emplace(item.id, &item);

  SegmentSummary summary;
  std::size_t done = 0;
  std::vector<Item> chunk;
  std::vector<std::size_t> lines;  // of the chunk's recordings
  // Recordings are cut in parallel a chunk at a time and reported in manifest order.
  for (read_chunk(input, options, chunk, lines, summary); !chunk.empty(); read_chunk(input, options, chunk, lines, summary)) {
    ordered_parallel_for(
        chunk.size(), options.jobs, [&](std::size_t i) { return segment_one(chunk[i], options, settings, previous); },
        [&](std::size_t i, Outcome outcome) {
          if (outcome.rejection) {
            ++summary.rejected;
            if (callbacks.rejected) callbacks.rejected(*outcome.rejection);
          } else {
            count_recording(summary, *outcome.result, lines[i], callbacks);
          }
          if (callbacks.progress) callbacks.progress(++done);
        });
  }
  return summary;
}

}  // namespace clipset
