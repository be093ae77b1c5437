// `augment`: items in, each followed by its copies, in input order whatever --jobs is. Copies
// are made a batch at a time: rendered (one pass over each input and background), then encoded
// and written on all cores.

#include <algorithm>
#include <map>
#include <set>

#include "clipset/audio.hpp"
#include "clipset/clip_files.hpp"
#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/paths.hpp"
#include "clipset/thread_pool.hpp"
#include "internal.hpp"

namespace clipset {

namespace {

namespace fs = std::filesystem;

// Items read ahead, and copy frames held, before a batch is rendered: bounds memory.
constexpr std::size_t kBatchItems = 256;
constexpr std::int64_t kBatchFrames = std::int64_t{8} << 20;

// Bounds as whole numbers ("-60..60dB", "0.5..2" is written by the caller).
void check_range(const char* member, const std::optional<NumberRange>& range, double low, double high, const std::string& bounds) {
  if (range && (range->low < low || range->high > high)) throw_option(member, "must lie within " + bounds);
}

struct Entry {
  Item item;
  bool copy = false;       // a copy this run made
  bool failed = false;     // its audio could not be made: left out
};

struct Batch {
  std::vector<Entry> entries;
  std::int64_t frames = 0;
};

bool in_splits(const Item& item, const AugmentOptions& options) {
  return item.split && std::find(options.splits.begin(), options.splits.end(), *item.split) != options.splits.end();
}

class Augmenter {
 public:
  Augmenter(const AugmentOptions& options, const AugmentCallbacks& callbacks)
      : options_(options), callbacks_(callbacks), pool_(detail::background_pool(options.noise)) {}

  void add(Item item, Batch& batch) {
    ++summary_.items;
    if (is_augmented_copy(item)) {
      ++summary_.replaced;
      return;
    }
    if (!in_splits(item, options_)) {
      batch.entries.push_back({std::move(item)});
      return;
    }
    detail::pin_group(item);
    std::vector<Item> copies;
    try {
      const std::optional<double> seconds = input_seconds(item);
      for (std::size_t k = 1; k <= options_.copies; ++k) copies.push_back(detail::make_copy(item, k, options_, pool_, seconds));
    } catch (const Error& e) {
      reject(item.path.value_or(item.id), e.subject().empty() ? e.reason() : e.what());
      batch.entries.push_back({std::move(item)});
      return;
    }
    ++summary_.augmented;
    batch.entries.push_back({std::move(item)});
    for (Item& copy : copies) {
      batch.frames += *copy.frames * copy.channels.value_or(1);
      batch.entries.push_back({std::move(copy), true});
    }
  }

  void flush(Batch& batch) {
    if (options_.virtual_copies) {
      for (Entry& e : batch.entries)
        if (e.copy) e.item.path.reset();
    } else {
      render(batch);
    }
    for (const Entry& e : batch.entries) {
      if (e.failed) continue;
      if (e.copy) {
        ++summary_.copies;
        summary_.seconds += e.item.duration.value_or(0);
      }
      if (callbacks_.item) callbacks_.item(e.item);
      if (!e.copy && callbacks_.progress) callbacks_.progress(++done_);
    }
    batch = Batch{};
  }

  const AugmentSummary& summary() const { return summary_; }

 private:
  void reject(const std::string& path, const std::string& reason) {
    if (callbacks_.rejected) callbacks_.rejected({path, reason});
  }

  // The length of the recording a copy reads from its source (a header read, once per
  // recording), so a shifted window stays inside it; nothing for copies of the clip's own file.
  std::optional<double> input_seconds(const Item& item) {
    const AugmentRecipe input = detail::input_of(item, options_);
    if (input.input != AugmentInput::source) return std::nullopt;
    const auto known = seconds_.find(input.input_path);
    if (known != seconds_.end()) return known->second;
    const fs::path file = resolve_path(input.input_path, options_.root.value_or(fs::path()));
    require_regular_file(file);
    const double seconds = SoundFile::open(file).info().duration;
    seconds_.emplace(input.input_path, seconds);
    return seconds;
  }

  void render(Batch& batch);
  bool store(Entry& e, std::vector<float> frames, int channels);

  const AugmentOptions& options_;
  const AugmentCallbacks& callbacks_;
  std::vector<detail::Background> pool_;
  std::map<std::string, double> seconds_;  // recordings copies read, by path
  AugmentSummary summary_;
  std::size_t done_ = 0;
};

// Encodes a copy, writes its file and fills in its record; true when the file was written (not
// already there). Runs on worker threads: it touches only its own entry.
bool Augmenter::store(Entry& e, std::vector<float> frames, int channels) {
  Item& copy = e.item;
  const auto rate = static_cast<int>(*copy.sample_rate);
  const auto count = static_cast<std::size_t>(*copy.frames);
  QualityMeter meter(rate, channels);
  meter.feed(frames.data(), count);
  const std::string bytes = encode_clip(frames.data(), count, channels, rate, options_.encoding);
  const fs::path file = clip_file_path(options_.out, copy.id, options_.encoding.container);
  copy.path = clip_manifest_path(file, options_.root);
  copy.format = container_name(options_.encoding.container);
  copy.subtype = sample_name(options_.encoding.sample);
  copy.channels = channels;
  copy.bytes = bytes.size();
  copy.sha256 = sha256_hex(bytes);
  copy.quality = quality_to_json(meter.finish());
  return write_clip_file(file, bytes, *copy.sha256, false);
}

void Augmenter::render(Batch& batch) {
  std::vector<AugmentJob> jobs;
  std::vector<std::size_t> entry_of;
  for (std::size_t i = 0; i < batch.entries.size(); ++i) {
    if (!batch.entries[i].copy) continue;
    jobs.push_back(augment_job(batch.entries[i].item));
    entry_of.push_back(i);
  }
  std::vector<std::vector<float>> rendered(jobs.size());
  std::vector<int> channels(jobs.size(), 0);
  render_augmented(
      jobs, options_.root.value_or(fs::path()), options_.jobs,
      [&](std::size_t j, std::vector<float> frames, int width) {
        rendered[j] = std::move(frames);
        channels[j] = width;
      },
      [&](std::size_t j, const std::string& reason) {
        Entry& e = batch.entries[entry_of[j]];
        e.failed = true;
        ++summary_.failed;
        reject(e.item.id, reason);
      });
  ordered_parallel_for(
      jobs.size(), std::max(1u, options_.jobs),
      [&](std::size_t j) {
        if (rendered[j].empty()) return 0;
        return store(batch.entries[entry_of[j]], std::move(rendered[j]), channels[j]) ? 1 : 2;
      },
      [&](std::size_t, int outcome) {
        if (outcome == 1) ++summary_.written;
        if (outcome == 2) ++summary_.unchanged;
      });
}

}  // namespace

void check_augment_options(const AugmentOptions& options) {
  if (options.copies < 1) throw_option("copies", "0", "must be at least 1");
  if (options.splits.empty()) throw_option("splits", "must name at least one split");
  check_range("gain", options.gain, -60, 60, "-60..60dB");
  check_range("speed", options.speed, 0.5, 2, "0.5..2");
  check_range("snr", options.snr, -30, 100, "-30..100dB");
  if (options.snr && options.noise.empty()) throw_option("snr", "needs a background pool to mix ({{noise}} MANIFEST)");
  if (!options.snr && !options.noise.empty()) throw_option("noise", "needs {{snr}} LOW..HIGH, the signal-to-noise ratios to draw from");
  if (options.snr && detail::background_pool(options.noise).empty()) {
    throw_option("noise", "holds no background recording with a path and a duration");
  }
  if (!options.virtual_copies && options.out.empty()) throw_option("out", "is needed to write copies (or {{virtual_copies}})");
  if (options.encoding.container == ClipEncoding::Container::flac && options.encoding.sample == ClipEncoding::Sample::float32) {
    throw_option("subtype", "float", "FLAC stores integers only; use pcm16 or pcm24, or {{format}} wav");
  }
}

AugmentSummary augment(ManifestReader& input, const AugmentOptions& options, const AugmentCallbacks& callbacks) {
  check_augment_options(options);
  if (!options.virtual_copies) {
    std::error_code ec;
    fs::create_directories(options.out, ec);
    if (ec) throw_output(options.out.string(), "cannot create folder: " + errno_reason(ec.value()));
  }
  Augmenter augmenter(options, callbacks);
  Batch batch;
  while (auto item = input.next()) {
    augmenter.add(std::move(*item), batch);
    if (batch.entries.size() >= kBatchItems || batch.frames >= kBatchFrames) augmenter.flush(batch);
  }
  augmenter.flush(batch);
  return augmenter.summary();
}

}  // namespace clipset
