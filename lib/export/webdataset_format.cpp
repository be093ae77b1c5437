// WebDataset: per split, tar shards SPLIT-000000.tar ... of at most the shard size, each sample's
// files consecutive (KEY.wav, KEY.json, KEY.cls), classes.txt beside them. A state file records
// each shard's samples, so a run over unchanged input rewrites nothing and an interrupted run
// goes on from the first shard that is not complete.

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <unordered_map>

#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/prng.hpp"
#include "clipset/thread_pool.hpp"
#include "internal.hpp"
#include "tar_writer.hpp"

namespace clipset::detail {

namespace {

namespace fs = std::filesystem;

constexpr const char* kStateFile = ".clipset-shards.json";

std::string shard_name(const std::string& split, std::size_t index) {
  std::ostringstream name;
  name << split << "-" << std::setw(6) << std::setfill('0') << index << ".tar";
  return name.str();
}

std::string class_file_text(const ExportPlan& plan, const Entry& e) {
  if (e.item.labels.size() != 1) return "";
  const auto at = std::lower_bound(plan.classes.begin(), plan.classes.end(), e.item.labels.front()) - plan.classes.begin();
  return std::to_string(at);
}

std::string encoding_text(const ExportOptions& options) {
  return container_name(options.encoding.container) + " " + sample_name(options.encoding.sample);
}

// What a sample's bytes depend on (a sample whose fingerprint is unchanged needs no rewriting),
// as a SHA-256: its key, its record, its audio file's size and time, the encoding of a cut.
std::string fingerprint_of(const Entry& e, const std::string& encoding) {
  struct stat st{};
  const fs::path& audio = e.cut ? e.source : e.file;
  const bool found = ::stat(audio.c_str(), &st) == 0;
  std::ostringstream text;
  text << e.key << '\n' << e.record_line << '\n' << (found ? st.st_size : -1) << ' ' << st.st_mtim.tv_sec << '.' << st.st_mtim.tv_nsec;
  if (e.cut) text << ' ' << encoding;
  return sha256_hex(text.str());
}

// Fingerprints made up front, on all cores: of every sample when shards of an earlier run are to
// be checked, else of the virtual clips only (staging would change what they are read from); the
// others get theirs where their file is read.
void describe_samples(ExportPlan& plan, const ExportOptions& options, bool all) {
  const std::string encoding = encoding_text(options);
  constexpr std::size_t kBatch = 256;
  const std::size_t batches = (plan.entries.size() + kBatch - 1) / kBatch;
  ordered_parallel_for(
      batches, std::max(1u, options.jobs),
      [&](std::size_t b) {
        for (std::size_t i = b * kBatch; i < std::min(plan.entries.size(), (b + 1) * kBatch); ++i) {
          Entry& e = plan.entries[i];
          if (all || e.cut) e.fingerprint = fingerprint_of(e, encoding);
        }
        return 0;
      },
      [](std::size_t, int) {});
}

// One sample's files, ready for the tar.
struct Sample {
  std::size_t entry = 0;
  std::string audio;
  std::string error;
  std::string fingerprint;  // when the entry has none yet
};

// Runs of consecutive samples produced together: up to kFilesPerUnit clip files (one task each
// would cost more in thread hand-offs than reading a small file), or the virtual clips of one
// source and settings that follow each other (cut from one pass over the source).
constexpr std::size_t kFilesPerUnit = 32;

std::vector<std::vector<std::size_t>> production_units(const ExportPlan& plan, const std::vector<std::size_t>& order) {
  std::vector<std::vector<std::size_t>> units;
  std::string last;
  bool last_cut = false;
  for (const std::size_t i : order) {
    const Entry& e = plan.entries[i];
    const std::string source = e.cut ? e.source.string() + "\n" + cut_settings_text(e.cut->settings) : std::string();
    const bool joins = !units.empty() && last_cut == e.cut.has_value() && (e.cut ? source == last : units.back().size() < kFilesPerUnit);
    if (!joins) units.emplace_back();
    units.back().push_back(i);
    last = source;
    last_cut = e.cut.has_value();
  }
  return units;
}

std::vector<Sample> produce(const ExportPlan& plan, const std::vector<std::size_t>& unit, const ExportOptions& options) {
  std::vector<Sample> out(unit.size());
  for (std::size_t k = 0; k < unit.size(); ++k) out[k].entry = unit[k];
  if (!plan.entries[unit.front()].cut) {
    for (auto& s : out) {
      const Entry& entry = plan.entries[s.entry];
      if (entry.fingerprint.empty()) s.fingerprint = fingerprint_of(entry, encoding_text(options));
      try {
        s.audio = read_clip_file(entry);
      } catch (const Error& e) {
        s.error = e.reason();
      }
    }
    return out;
  }
  std::unordered_map<std::size_t, std::size_t> slot_of;
  for (std::size_t k = 0; k < unit.size(); ++k) slot_of.emplace(unit[k], k);
  cut_source_clips(
      plan, unit, options.encoding, [&](std::size_t i, std::string bytes) { out[slot_of.at(i)].audio = std::move(bytes); },
      [&](std::size_t i, const std::string& reason) { out[slot_of.at(i)].error = reason.empty() ? "cannot be cut" : reason; });
  return out;
}

struct ShardRecord {
  std::size_t samples = 0;
  std::string digest;
};

class SplitShards {
 public:
  SplitShards(ExportPlan& plan, std::size_t split, const ExportOptions& options, const ExportCallbacks& callbacks, ExportSummary& summary,
              Json& state)
      : plan_(plan), split_(split), options_(options), callbacks_(callbacks), summary_(summary), state_(state) {}

  // The samples that earlier shards do not hold already, in the order they go into shards.
  std::vector<std::size_t> pending(std::vector<std::size_t> order) {
    figures_.name = plan_.splits[split_].out_name;
    order_ = std::move(order);
    for (const std::size_t i : order_) {
      const Entry& e = plan_.entries[i];
      long_names_ = long_names_ || e.key.size() + std::max<std::size_t>(e.extension.size(), 5) > TarWriter::kUstarNameMax;
    }
    kept_ = keep_complete_shards();
    return {order_.begin() + static_cast<std::ptrdiff_t>(kept_), order_.end()};
  }

  ExportSplitSummary write(std::size_t& done, std::size_t total) {
    const std::vector<std::size_t> rest(order_.begin() + static_cast<std::ptrdiff_t>(kept_), order_.end());
    const auto units = production_units(plan_, rest);
    done += kept_;
    ordered_parallel_for(
        units.size(), std::max(1u, options_.jobs), [&](std::size_t u) { return produce(plan_, units[u], options_); },
        [&](std::size_t, std::vector<Sample> samples) {
          for (auto& s : samples) {
            add(s);
            if (callbacks_.progress) callbacks_.progress(++done, total);
          }
        },
        std::max(2u, options_.jobs * 2));
    close_shard();
    remove_stale_shards();
    for (const std::size_t i : order_) {
      if (plan_.entries[i].failed) continue;
      ++figures_.items;
      figures_.seconds += plan_.entries[i].item.duration.value_or(0);
    }
    return figures_;
  }

 private:
  Json& split_state() { return state_[plan_.splits[split_].out_name]; }

  // Shards of an earlier run whose samples are the ones this run would put there, unchanged, are
  // kept. Returns how many samples of the order they hold.
  std::size_t keep_complete_shards() {
    Json& recorded = split_state();
    if (!recorded.is_array() || options_.force) recorded = Json::array();
    std::size_t at = 0;
    std::size_t shard = 0;
    for (; shard < recorded.size(); ++shard) {
      const Json& r = recorded[shard];
      const std::size_t count = r.value("samples", std::size_t{0});
      const fs::path file = options_.out_dir / shard_name(figures_.name, shard);
      std::error_code ec;
      if (count == 0 || at + count > order_.size() || fs::file_size(file, ec) != r.value("bytes", std::uint64_t{0}) || ec) break;
      if (digest_of(at, count) != r.value("digest", std::string())) break;
      at += count;
      ++figures_.files;
      figures_.bytes += r.value("bytes", std::uint64_t{0});
      ++summary_.unchanged;
    }
    recorded.erase(recorded.begin() + static_cast<std::ptrdiff_t>(shard), recorded.end());
    shard_index_ = shard;
    return at;
  }

  std::string digest_of(std::size_t from, std::size_t count) const {
    Sha256 hash;
    for (std::size_t k = from; k < from + count; ++k) hash.update(plan_.entries[order_[k]].fingerprint + "\n");
    return hash.hex_digest();
  }

  void add(Sample& s) {
    Entry& e = plan_.entries[s.entry];
    if (!s.error.empty()) return leave_out(e, s.error, callbacks_, summary_);
    const std::string& json = e.record_line;
    const std::string cls = class_file_text(plan_, e);
    const std::string audio_name = e.key + e.extension;
    std::uint64_t size = TarWriter::member_size(audio_name, s.audio.size()) + TarWriter::member_size(e.key + ".json", json.size());
    if (!cls.empty()) size += TarWriter::member_size(e.key + ".cls", cls.size());
    if (shard_ && shard_bytes_ + size + TarWriter::kEndBytes > options_.shard_size) close_shard();
    if (!shard_) open_shard();
    shard_->add(audio_name, s.audio);
    shard_->add(e.key + ".json", json);
    if (!cls.empty()) shard_->add(e.key + ".cls", cls);
    shard_bytes_ += size;
    if (e.fingerprint.empty()) e.fingerprint = std::move(s.fingerprint);
    fingerprints_.update(e.fingerprint + "\n");
    ++shard_samples_;
  }

  void open_shard() {
    shard_ = std::make_unique<TarWriter>(options_.out_dir / shard_name(figures_.name, shard_index_), long_names_);
    shard_bytes_ = 0;
    shard_samples_ = 0;
    fingerprints_ = Sha256();
  }

  void close_shard() {
    if (!shard_) return;
    shard_->commit();
    shard_.reset();
    const fs::path file = options_.out_dir / shard_name(figures_.name, shard_index_);
    std::error_code ec;
    const std::uint64_t bytes = fs::file_size(file, ec);
    // Left-out samples are not in the shard: the digest covers the ones it holds.
    split_state().push_back({{"samples", shard_samples_}, {"digest", fingerprints_.hex_digest()}, {"bytes", bytes}});
    ++figures_.files;
    figures_.bytes += bytes;
    ++summary_.written;
    ++shard_index_;
    write_file_atomically(options_.out_dir / kStateFile, state_.dump() + "\n");
  }

  // Shards beyond the last one of this run, left by a run with more samples.
  void remove_stale_shards() {
    for (std::size_t k = shard_index_;; ++k) {
      std::error_code ec;
      if (!fs::remove(options_.out_dir / shard_name(figures_.name, k), ec)) break;
    }
  }

  ExportPlan& plan_;
  std::size_t split_;
  const ExportOptions& options_;
  const ExportCallbacks& callbacks_;
  ExportSummary& summary_;
  Json& state_;
  ExportSplitSummary figures_;
  std::vector<std::size_t> order_;
  std::size_t kept_ = 0;  // samples of order_ in shards kept from an earlier run
  bool long_names_ = false;  // a member name needs pax headers
  std::unique_ptr<TarWriter> shard_;
  std::size_t shard_index_ = 0;
  std::uint64_t shard_bytes_ = 0;
  std::size_t shard_samples_ = 0;
  Sha256 fingerprints_;
};

Json read_state(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return Json::object();
  Json state = Json::parse(in, nullptr, false);
  return state.is_object() ? state : Json::object();
}

}  // namespace

void write_webdataset(ExportPlan& plan, const ExportOptions& options, const ExportCallbacks& callbacks, ExportSummary& summary) {
  Json state = options.force ? Json::object() : read_state(options.out_dir / kStateFile);
  bool resuming = false;  // shards of an earlier run to check against this run's samples
  for (const auto& [split, shards] : state.items()) resuming = resuming || (shards.is_array() && !shards.empty());
  describe_samples(plan, options, resuming);
  std::vector<SplitShards> splits;
  std::vector<std::size_t> to_cut;
  bool any_virtual = false;
  for (std::size_t s = 0; s < plan.splits.size(); ++s) {
    std::vector<std::size_t> order = plan.splits[s].entries;
    if (options.shuffle_seed) {
      Prng prng(*options.shuffle_seed, s);
      shuffle(order, prng);
    }
    splits.emplace_back(plan, s, options, callbacks, summary, state);
    for (const std::size_t i : splits.back().pending(std::move(order))) {
      any_virtual = any_virtual || plan.entries[i].cut.has_value();
      to_cut.push_back(i);
    }
  }
  const fs::path staging = options.out_dir / ".clipset-staging";
  // Shuffled virtual clips would each need a pass over their source: they are cut once, into
  // files beside the shards, and then read like clip files.
  if (options.shuffle_seed && any_virtual) stage_virtual_clips(plan, to_cut, staging, options, callbacks, summary);
  std::size_t done = 0;
  for (auto& split : splits) summary.splits.push_back(split.write(done, plan.entries.size()));
  write_if_changed(options.out_dir / kStateFile, state.dump() + "\n");
  std::error_code ec;
  fs::remove_all(staging, ec);
  std::string classes;
  for (const auto& name : plan.classes) classes += name + "\n";
  const fs::path class_file = options.out_dir / "classes.txt";
  ExportSplitSummary ignored;
  count_file(summary.splits.empty() ? ignored : summary.splits.front(), summary, class_file, write_if_changed(class_file, classes));
}

}  // namespace clipset::detail
