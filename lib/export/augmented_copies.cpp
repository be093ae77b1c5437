// Virtual augmented copies as files: rendered from their recipes through the rule augment
// writes copies with, encoded as export encodes virtual clips.

#include <algorithm>

#include "clipset/audio_process.hpp"
#include "internal.hpp"

namespace clipset::detail {

namespace {

namespace fs = std::filesystem;

// Copies rendered at a time: their frames are held until written.
constexpr std::size_t kCopiesPerBatch = 256;
}  // namespace

void stage_augmented_copies(ExportPlan& plan, const fs::path& staging, const ExportOptions& options, const ExportCallbacks& callbacks,
                            ExportSummary& summary) {
  std::vector<std::size_t> copies;
  for (std::size_t i = 0; i < plan.entries.size(); ++i)
    if (plan.entries[i].augment && !plan.entries[i].failed) copies.push_back(i);
  if (copies.empty()) return;
  make_folder(staging);
  for (std::size_t first = 0; first < copies.size(); first += kCopiesPerBatch) {
    const std::vector<std::size_t> batch(copies.begin() + static_cast<std::ptrdiff_t>(first),
                                         copies.begin() + static_cast<std::ptrdiff_t>(std::min(copies.size(), first + kCopiesPerBatch)));
    std::vector<AugmentJob> jobs;
    for (const std::size_t i : batch) jobs.push_back(*plan.entries[i].augment);
    render_augmented(
        jobs, fs::path(), options.jobs,
        [&](std::size_t j, std::vector<float> frames, int channels) {
          Entry& e = plan.entries[batch[j]];
          e.file = staging / e.file_name;
          write_file_atomically(e.file, encode_clip(frames.data(), static_cast<std::size_t>(jobs[j].frames), channels,
                                                    static_cast<int>(jobs[j].rate), options.encoding));
          e.augment.reset();
        },
        [&](std::size_t j, const std::string& reason) { leave_out(plan.entries[batch[j]], reason, callbacks, summary); });
  }
}

}  // namespace clipset::detail
