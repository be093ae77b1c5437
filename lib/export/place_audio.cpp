// Every entry's audio as a file of the export: clip files linked or copied, virtual clips cut and
// written, on all cores; a file already in place is kept.

#include <set>

#include "clipset/error.hpp"
#include "clipset/thread_pool.hpp"
#include "internal.hpp"

namespace clipset::detail {

namespace {

namespace fs = std::filesystem;

struct Outcome {
  std::size_t entry = 0;
  bool ok = false;
  Placed placed = Placed::written;
  std::uint64_t bytes = 0;
  std::string error;
};

std::uint64_t size_of(const fs::path& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  return ec ? 0 : size;
}

Outcome place_clip_file(const Entry& e, const fs::path& target, const ExportOptions& options) {
  Outcome o;
  try {
    check_clip_file(e);
    o.placed = place_file(e.file, target, options.link, options.force);
    o.bytes = size_of(target);
    o.ok = true;
  } catch (const OutputError&) {
    throw;
  } catch (const Error& error) {
    o.error = error.reason();
  }
  return o;
}

std::vector<Outcome> cut_group(const ExportPlan& plan, const std::vector<std::size_t>& group, const ExportOptions& options,
                               const AudioPath& audio_path) {
  std::vector<Outcome> out;
  cut_source_clips(
      plan, group, options.encoding,
      [&](std::size_t i, std::string bytes) {
        write_file_atomically(audio_path(plan.entries[i]), bytes);
        out.push_back({i, true, Placed::written, bytes.size(), {}});
      },
      [&](std::size_t i, const std::string& reason) { out.push_back({i, false, Placed::written, 0, reason}); });
  return out;
}

class AudioPlacer {
 public:
  AudioPlacer(ExportPlan& plan, const ExportOptions& options, const AudioPath& audio_path, const ExportCallbacks& callbacks,
              ExportSummary& summary, std::vector<std::size_t> indices)
      : plan_(plan), options_(options), audio_path_(audio_path), callbacks_(callbacks), summary_(summary), indices_(std::move(indices)) {}

  void run() {
    std::set<fs::path> folders;
    std::vector<std::size_t> files, to_cut;
    for (const std::size_t i : indices_) {
      const Entry& e = plan_.entries[i];
      if (e.failed) continue;
      const fs::path target = audio_path_(e);
      folders.insert(target.parent_path());
      if (!e.cut) files.push_back(i);
      else if (!options_.force && fs::is_regular_file(target)) record({i, true, Placed::unchanged, size_of(target), {}});
      else to_cut.push_back(i);
    }
    for (const auto& folder : folders) {
      make_folder(folder);
      remove_leftover_links(folder);  // an earlier run killed mid-rename
    }
    const unsigned jobs = std::max(1u, options_.jobs);
    ordered_parallel_for(
        files.size(), jobs, [&](std::size_t k) { return place_clip_file(plan_.entries[files[k]], audio_path_(plan_.entries[files[k]]), options_); },
        [&](std::size_t k, Outcome o) {
          o.entry = files[k];
          record(o);
        },
        64);
    const auto groups = group_by_source(plan_, to_cut);
    ordered_parallel_for(
        groups.size(), jobs, [&](std::size_t g) { return cut_group(plan_, groups[g], options_, audio_path_); },
        [&](std::size_t, const std::vector<Outcome>& outcomes) {
          for (const auto& o : outcomes) record(o);
        },
        jobs);
  }

 private:
  void record(const Outcome& o) {
    Entry& e = plan_.entries[o.entry];
    if (!o.ok) {
      leave_out(e, o.error, callbacks_, summary_);
    } else {
      e.audio_bytes = o.bytes;
      ++(o.placed == Placed::written ? summary_.written : summary_.unchanged);
    }
    if (callbacks_.progress) callbacks_.progress(++done_, indices_.size());
  }

  ExportPlan& plan_;
  const ExportOptions& options_;
  const AudioPath& audio_path_;
  const ExportCallbacks& callbacks_;
  ExportSummary& summary_;
  std::vector<std::size_t> indices_;
  std::size_t done_ = 0;
};

}  // namespace

void stage_virtual_clips(ExportPlan& plan, const std::vector<std::size_t>& indices, const fs::path& staging, const ExportOptions& options,
                         const ExportCallbacks& callbacks, ExportSummary& summary) {
  std::vector<std::size_t> virtual_clips;
  for (const std::size_t i : indices)
    if (plan.entries[i].cut) virtual_clips.push_back(i);
  const auto audio_path = [&](const Entry& e) { return staging / e.file_name; };
  ExportSummary scratch;  // staged files are not files of the export
  AudioPlacer(plan, options, audio_path, callbacks, scratch, virtual_clips).run();
  summary.left_out += scratch.left_out;
  for (const std::size_t i : virtual_clips) {
    Entry& e = plan.entries[i];
    e.file = audio_path(e);
    e.cut.reset();
  }
}

void place_audio(ExportPlan& plan, const ExportOptions& options, const AudioPath& audio_path, const ExportCallbacks& callbacks,
                 ExportSummary& summary) {
  std::vector<std::size_t> all(plan.entries.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  place_audio_of(plan, std::move(all), options, audio_path, callbacks, summary);
}

void place_audio_of(ExportPlan& plan, std::vector<std::size_t> indices, const ExportOptions& options, const AudioPath& audio_path,
                    const ExportCallbacks& callbacks, ExportSummary& summary) {
  AudioPlacer(plan, options, audio_path, callbacks, summary, std::move(indices)).run();
}

bool audio_only(const ExportPlan& plan, const ExportOptions& options, ExportSummary& summary) {
  if (!options.shard) return false;
  for (std::size_t s = 0; s < plan.splits.size(); ++s) summary.splits.push_back(tally_split(plan, s));
  return true;
}

ExportSplitSummary tally_split(const ExportPlan& plan, std::size_t split) {
  ExportSplitSummary s;
  s.name = plan.splits[split].out_name;
  for (const std::size_t i : plan.splits[split].entries) {
    const Entry& e = plan.entries[i];
    if (e.failed) continue;
    ++s.items;
    s.seconds += e.item.duration.value_or(0);
    if (e.audio_bytes > 0) {
      ++s.files;
      s.bytes += e.audio_bytes;
    }
  }
  return s;
}

}  // namespace clipset::detail
