#pragma once
// Pieces of export shared between its source files (not part of the public API).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "clipset/augment_recipe.hpp"
#include "clipset/export.hpp"
#include "clipset/virtual_clip.hpp"

namespace clipset::detail {

// One item to export and where its audio comes from.
struct Entry {
  Item item;
  std::size_t line = 0;      // in the manifest, for messages
  std::size_t split = 0;     // index into ExportPlan::splits
  std::string file_name;     // its audio file's name in the export (safe, unique in the export)
  std::string key;           // the same without dots (a WebDataset sample key)
  std::string extension;     // ".wav", ".flac", ...
  std::filesystem::path file;  // a written clip's own file, resolved; empty for a virtual clip
  std::optional<VirtualCut> cut;  // a virtual clip's range of its source
  std::filesystem::path source;   // a virtual clip's source recording, resolved
  std::int64_t rate = 0;          // a virtual clip's sample rate
  std::optional<AugmentJob> augment;  // a virtual augmented copy: rendered from its recipe
  bool failed = false;            // its audio could not be exported: left out
  std::uint64_t audio_bytes = 0;  // its audio file's size in the export, once placed
  std::string display;            // its audio as the manifest spells it: path, or source.path
  std::string record_line;        // webdataset: its manifest line as read (KEY.json)
  std::string fingerprint;        // webdataset: a digest of what its sample's bytes depend on
};

struct PlanSplit {
  std::string manifest_name;  // "val"
  std::string out_name;       // "validation" (hf), else a safe file name of the manifest name
  std::vector<std::size_t> entries;  // in manifest order
};

struct ExportPlan {
  std::vector<Entry> entries;
  std::vector<PlanSplit> splits;
  std::vector<std::string> classes;  // every label of the exported items, sorted (byte order)
  std::set<std::string> splits_read;  // every split name the manifest's items have
};

// Reads the manifest into the plan. Items that cannot be exported go to callbacks.rejected.
ExportPlan read_plan(ManifestReader& input, const ExportOptions& options, const ExportCallbacks& callbacks, ExportSummary& summary);

// An item's file name in the export: its id as a safe name, with the audio's extension (".wav")
// unless the id ends with it already (ingest's ids keep the file's extension).
std::string file_name_of(const std::string& id, const std::string& ext);

// Leaves `entry` out of the export: named through the callback, counted.
void leave_out(Entry& entry, const std::string& reason, const ExportCallbacks& callbacks, ExportSummary& summary);

// The item's labels joined for a one-cell column: "dog", "dog;bark" (';' as the sheets ingest reads).
std::string joined_labels(const Item& item);
// A field of the item's record (dotted path) as a cell: strings as they are, others as JSON, "" when absent.
std::string field_cell(const Json& record, const std::string& field);

// ---------------------------------------------------------------- files in the out folder

enum class Placed { written, unchanged };

// Brings a clip file to `to` (hard link, symbolic link or copy), atomically. A target already
// the same file (same inode, same link, or a copy of the same size not older than the source)
// is left as it is unless `force`. A hard link across file systems falls back to a copy. Throws
// clipset::Error: io naming `from` when it cannot be read, OutputError naming `to`.
Placed place_file(const std::filesystem::path& from, const std::filesystem::path& to, LinkMode mode, bool force);
// Writes `bytes` to `to` atomically unless it holds exactly them already. Throws OutputError.
Placed write_if_changed(const std::filesystem::path& to, const std::string& bytes);
// Writes `bytes` to `to` atomically (no fsync: many clip files). Throws OutputError.
void write_file_atomically(const std::filesystem::path& to, const std::string& bytes);
// Removes the temporary links (".NAME.tmp-link-PID-N") that an export killed between making a
// link and renaming it over its target left in `dir`, when their process is gone. Returns how many.
std::size_t remove_leftover_links(const std::filesystem::path& dir);
// Creates a folder and its parents. Throws OutputError.
void make_folder(const std::filesystem::path& dir);

// The files an export wrote, listed in DIR/.clipset-files (paths relative to DIR, one a line):
// a re-export removes the ones it no longer names, and only those, never a file it did not write.
class OwnedFiles {
 public:
  explicit OwnedFiles(const std::filesystem::path& out_dir);  // reads the list a run before left
  // Before writing: the list becomes the earlier one plus `planned`, so that a run stopped midway
  // leaves no file it wrote unlisted. Throws OutputError.
  void claim(const std::vector<std::filesystem::path>& planned);
  // After writing: removes the listed files (and links) that are not in `kept`, with the folders
  // that leaves empty, and lists `kept`. Returns how many files it removed. Throws OutputError.
  std::size_t settle(const std::vector<std::filesystem::path>& kept);

 private:
  std::filesystem::path relative(const std::filesystem::path& file) const;
  std::filesystem::path cwd_;
  std::filesystem::path out_dir_;  // absolute
  std::set<std::filesystem::path> listed_;
};

// ---------------------------------------------------------------- clip audio

// A written clip's file checked against its record: a regular file whose size is the record's
// `bytes` when it has one. Throws clipset::Error (io or data) naming the path.
void check_clip_file(const Entry& entry);
// A written clip's file, checked as check_clip_file does, read whole. Throws clipset::Error (io
// or data) naming the path, also when the file changes while read.
std::string read_clip_file(const Entry& entry);

// The virtual clips among `indices` grouped by source recording and cut settings: the clips of
// one group are cut from one pass over their source. Groups in order of first appearance.
std::vector<std::vector<std::size_t>> group_by_source(const ExportPlan& plan, const std::vector<std::size_t>& indices);

// Cuts one group's clips from a single pass of its source and encodes each: sink(entry, file
// bytes) in order of start, failed(entry, reason) for a clip that could not be cut (a missing or
// damaged source fails them all). Rethrows OutputError (a sink that could not write).
using ClipBytesSink = std::function<void(std::size_t entry, std::string bytes)>;
using ClipFailure = std::function<void(std::size_t entry, const std::string& reason)>;
void cut_source_clips(const ExportPlan& plan, const std::vector<std::size_t>& group, const ClipEncoding& encoding,
                      const ClipBytesSink& sink, const ClipFailure& failed);

// ---------------------------------------------------------------- formats

// Places every entry's audio at audio_path(entry): clip files linked or copied, virtual clips cut
// and written (a virtual clip already in place is kept unless force). Entries that fail are left
// out. Counts written and unchanged files in the summary.
using AudioPath = std::function<std::filesystem::path(const Entry&)>;
void place_audio(ExportPlan& plan, const ExportOptions& options, const AudioPath& audio_path, const ExportCallbacks& callbacks,
                 ExportSummary& summary);

// The same for the entries `indices` only.
void place_audio_of(ExportPlan& plan, std::vector<std::size_t> indices, const ExportOptions& options, const AudioPath& audio_path,
                    const ExportCallbacks& callbacks, ExportSummary& summary);

// Cuts the virtual clips among `indices` into files under `staging` (kept there when already
// cut) and points their entries at them, as if they were clip files.
void stage_virtual_clips(ExportPlan& plan, const std::vector<std::size_t>& indices, const std::filesystem::path& staging,
                         const ExportOptions& options, const ExportCallbacks& callbacks, ExportSummary& summary);

// Renders the virtual augmented copies into files under `staging` and points their entries at
// them, as if they were clip files (formats then place them as they place clip files). Copies
// that cannot be rendered are left out.
void stage_augmented_copies(ExportPlan& plan, const std::filesystem::path& staging, const ExportOptions& options,
                            const ExportCallbacks& callbacks, ExportSummary& summary);

void write_hf(ExportPlan& plan, const ExportOptions& options, const ExportCallbacks& callbacks, ExportSummary& summary);
void write_csv(ExportPlan& plan, const ExportOptions& options, const ExportCallbacks& callbacks, ExportSummary& summary);
void write_webdataset(ExportPlan& plan, const ExportOptions& options, const ExportCallbacks& callbacks, ExportSummary& summary);
void write_audacity(ExportPlan& plan, const ExportOptions& options, const ExportCallbacks& callbacks, ExportSummary& summary);
// Credits in TASL form (title, author, source, licence) for the licences that require them: ATTRIBUTION.md.
void write_attribution(ExportPlan& plan, const ExportOptions& options, const ExportCallbacks& callbacks, ExportSummary& summary);
// Refuses an out folder whose path a Kaldi wav.scp line cannot hold (a line break). Throws
// clipset::Error (usage).
void check_kaldi_folder(const std::filesystem::path& out_dir);
void write_kaldi(ExportPlan& plan, const ExportOptions& options, const ExportCallbacks& callbacks, ExportSummary& summary);

// A run with a shard places its share of the audio and stops there (ExportOptions::shard): its
// figures per split, from the entries. Returns whether the run has a shard.
bool audio_only(const ExportPlan& plan, const ExportOptions& options, ExportSummary& summary);

// A split's figures from its entries: items left in, their seconds, their audio files and bytes.
ExportSplitSummary tally_split(const ExportPlan& plan, std::size_t split);
// Adds a written metadata file to the split's figures and the run's counts.
void count_file(ExportSplitSummary& split, ExportSummary& summary, const std::filesystem::path& file, Placed placed);

}  // namespace clipset::detail
