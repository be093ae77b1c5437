#pragma once
// The validate module's internals: what the checks keep of each record, and where findings go.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "clipset/manifest.hpp"
#include "clipset/validate.hpp"

namespace clipset::validate_detail {

// What the checks need of one item, kept for the whole run (no meta, quality or extra fields).
struct Record {
  std::size_t line = 0;
  std::string id;
  std::optional<std::string> path;
  std::optional<std::uint64_t> bytes;
  std::optional<std::string> sha256;
  std::optional<std::int64_t> sample_rate;
  std::optional<std::int64_t> channels;
  std::optional<std::int64_t> frames;
  std::vector<std::string> labels;
  std::optional<std::string> group;
  std::optional<std::string> split;
  std::optional<std::int64_t> fold;
  std::optional<ClipSource> source;  // without its extra fields
  std::string recording;             // the id of the recording its audio comes from (item_keys.hpp)
  std::optional<std::string> near_dup;  // its cluster of near-duplicate recordings (clipset dups)
  // An augmented copy: the original's id and the splits its run augmented.
  std::optional<std::string> augmented_from;
  std::vector<std::string> augmented_splits;
  bool in_shard = true;              // its files are this run's to check (always, without a shard)

  // A clip with no file of its own: the audio is a range of source->path.
  bool is_virtual() const { return !path && source && !source->path.empty(); }
};

Record record_of(Item&& item, std::size_t line);

// Collects findings of the enabled checks, applying --warn-only.
class Findings {
 public:
  Findings(const std::vector<bool>& enabled, const std::set<std::string>& warn_only);
  bool on(std::size_t check) const { return enabled_[check]; }
  // The check's default severity, or `severity` when given (duplicate-content across splits).
  void add(std::size_t check, std::size_t line, std::string subject, std::string message,
           std::optional<Severity> severity = std::nullopt);
  void merge(std::vector<Finding>&& more);
  // Findings added from now on carry this phase and task (see Finding).
  void at(std::uint64_t phase, std::uint64_t task = 0) {
    phase_ = phase;
    task_ = task;
  }
  // Sorted: by line (dataset-wide findings, line 0, last), then check order, then as added.
  std::vector<Finding> take();

 private:
  std::vector<bool> enabled_;
  std::vector<bool> warn_only_;
  std::vector<Finding> findings_;
  std::uint64_t phase_ = 0;
  std::uint64_t task_ = 0;
  std::uint64_t seq_ = 0;
};

// Check ids by position in validate_checks(), so that call sites read as names.
namespace check {
enum : std::size_t {
  schema, duplicate_id, duplicate_content, missing_file, size_mismatch, hash_mismatch, decode_error, audio_mismatch,
  bad_annotation, unknown_label, non_leaf_label, unused_label, group_leak, source_leak, near_duplicate, augment_leak,
  starved_class, split_ratio, orphan_file, license, multi_label, open_set,
};
}  // namespace check

// ----------------------------------------------------------------- per record, while reading

// "1 item", "3 items"
std::string items_text(std::size_t n);

// Seconds in their shortest exact form, as the manifest writes them: "1.5 s".
std::string seconds_text(double s);

// What the JSON Schema asks beyond what the reader enforces (patterns, ranges, required fields).
std::vector<std::string> schema_violations(const Json& record);
void check_annotations(const Item& item, std::size_t line, Findings& out);
// At most one label, in a dataset declared single-label.
void check_single_label(const Item& item, std::size_t line, Findings& out);
// meta.license present and, read as an SPDX id, in `allowed`.
void check_license(const Item& item, std::size_t line, const std::vector<std::string>& allowed, Findings& out);
// Marks the taxonomy nodes the item uses in `used`.
void check_labels(const Item& item, std::size_t line, const Taxonomy& taxonomy, Findings& out, std::vector<bool>& used);

// ------------------------------------------------------------------------------ files

// One file to look at: an item's own file, or a source recording shared by virtual clips.
struct FileTask {
  std::size_t line = 0;  // of the first record naming it
  std::string path;      // as the manifest says
  std::optional<std::uint64_t> bytes;
  std::optional<std::string> sha256;
  std::optional<std::int64_t> sample_rate;  // own files only: sources are compared by range
  std::optional<std::int64_t> channels;
  std::optional<std::int64_t> frames;
  std::vector<std::size_t> clips;  // virtual clips (indices of records) reading this source
  bool in_shard = true;            // the first record naming it is in this run's shard
};

struct FileFacts {
  bool decoded = false;
  std::int64_t sample_rate = 0;
  std::int64_t frames = 0;  // decoded frames
};

std::vector<FileTask> file_tasks(const std::vector<Record>& records);
// Runs the file checks of one task; safe to call on several threads (writes only to `out`).
FileFacts check_file(const FileTask& task, const ValidateOptions& options, Findings& out);
// Virtual clips whose source range lies beyond the decoded recording.
void check_clip_ranges(const FileTask& task, const FileFacts& facts, const std::vector<Record>& records, Findings& out);

// ----------------------------------------------------------------------- whole dataset

void check_duplicates(const std::vector<Record>& records, Findings& out);
// Clips whose source recordings share a source.sha256 under different source ids.
void check_source_content(const std::vector<Record>& records, Findings& out);
void check_leaks(const std::vector<Record>& records, Findings& out);
// Items of one near_dup cluster, cut from at least two recordings, in several splits.
void check_near_duplicates(const std::vector<Record>& records, Findings& out);
// Copies whose original is missing or in another split or fold, or that sit in a split their run
// did not augment.
void check_augment_leaks(const std::vector<Record>& records, Findings& out);
void check_unused_labels(const Taxonomy& taxonomy, const std::vector<bool>& used, Findings& out);
void check_class_counts(const std::vector<Record>& records, const ValidateOptions& options, Findings& out);
void check_split_ratios(const std::vector<Record>& records, const ValidateOptions& options, Findings& out);
// The test split (the last of --names) against the first: it must hold open-set examples, and
// every class it holds besides them must occur in the first.
void check_open_set(const std::vector<Record>& records, const ValidateOptions& options, Findings& out);
// Files in the --orphans folders that no record's path or source.path names.
void check_orphan_files(const std::vector<Record>& records, const ValidateOptions& options, Findings& out);

}  // namespace clipset::validate_detail
