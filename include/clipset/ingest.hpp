#pragma once
// `ingest`: scan folders of recordings into manifest items (file facts, audio header, labels).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clipset/item_keys.hpp"
#include "clipset/label_rewrite.hpp"
#include "clipset/labels.hpp"
#include "clipset/manifest.hpp"
#include "clipset/shard.hpp"

namespace clipset {

struct ScanOptions {
  std::vector<std::string> include;  // globs; a file must match one of them when any are given
  std::vector<std::string> exclude;  // globs; a matching file or folder is skipped
};

struct ScannedFile {
  std::filesystem::path path;      // root as given joined with `relative`
  std::filesystem::path relative;  // relative to its scan root
  std::size_t root_index = 0;
  std::string problem;             // non-empty: why it cannot be read (a broken link, a FIFO)
};

struct ScanResult {
  std::vector<ScannedFile> audio;         // candidates for ingest, in deterministic order
  std::vector<ScannedFile> label_tracks;  // *.txt files next to them
  std::vector<std::string> warnings;      // "path: reason" for folders that could not be read, loops, ...
};

// Recursive walk in byte order of names. Hidden files and folders (".name") and known sidecar
// files are skipped. Folders reached through a symbolic link are walked after the real ones,
// and only when their target was not walked yet: a loop cannot hang the walk, and a link never
// takes a folder's files away from their real path. Broken links and special files (FIFOs,
// devices) are listed with a `problem`, never opened.
// Glob patterns without '/' match the file name, others the path relative to the root.
ScanResult scan_roots(const std::vector<std::filesystem::path>& roots, const ScanOptions& options);

// True for files that accompany recordings and are never audio (labels, sheets, notes, peaks).
bool is_sidecar_file(const std::filesystem::path& name);

// The item id for a path relative to its scan root: filesystem-safe, the same on every machine.
// See docs/manifest.md for the rule.
std::string make_item_id(const std::filesystem::path& relative);

enum class FolderLabels { parent, none };

struct IngestOptions {
  std::vector<std::filesystem::path> roots;
  std::optional<std::filesystem::path> path_base;  // --root: write paths relative to it
  ScanOptions scan;
  std::vector<std::filesystem::path> sheets;
  SheetOptions sheet_options;
  FolderLabels folder_labels = FolderLabels::parent;
  int label_depth = 1;        // 1 = the parent folder, 2 = the one above it, ...
  std::string group_by;       // dotted field (e.g. meta.recorder); empty: sheet group, else the id
  bool quality = false;       // decode every file and measure levels
  bool location = true;       // keep the GPS position a file carries as meta.location (--no-location: drop it)
  // --map, --taxonomy, --unknown: labels (and annotation labels) renamed, those outside the
  // taxonomy made unknown (clipset/label_rewrite.hpp); unmapped ones named in the summary.
  LabelRewrite relabel;
  unsigned jobs = 1;
  std::optional<std::vector<Item>> previous;  // --update: items of the earlier manifest
  // Hash and probe only the files of this shard (every shard scans the whole tree). A file's
  // shard is that of its group as far as the path and the sheet tell before the file is read.
  // Content duplicates are not marked: the first file with some content may be in another shard
  // (merge marks them).
  std::optional<Shard> shard;
};

// A digest of the options that shape ingest's records: shards of one run have the same.
std::string ingest_settings_digest(const IngestOptions& options);

// How a sheet's licence cell was read (clipset/licenses.hpp), per distinct spelling.
struct LicenseSpelling {
  std::string id;           // the SPDX id it was read as; the text itself when not recognised
  bool recognised = false;
  std::string note;         // an assumption the reading made ("no version given: read as 4.0")
  std::size_t rows = 0;     // sheet rows with this spelling
};

struct IngestSummary {
  std::size_t scanned = 0;
  std::size_t other_shards = 0;   // files scanned that belong to other shards
  std::size_t items = 0;
  std::size_t rejected = 0;
  std::size_t duplicates = 0;     // items whose content another item has already
  std::size_t reused = 0;         // --update: unchanged files taken over without re-reading
  std::size_t vanished = 0;       // --update: earlier items whose files are gone
  std::size_t label_tracks = 0;   // label-track files read
  std::size_t sheet_rows = 0;
  std::size_t sheet_rows_unmatched = 0;
  std::size_t group_fallbacks = 0;  // items without the --group-by field, grouped by their id
  std::size_t warnings = 0;
  double seconds = 0;             // total duration of all items
  std::map<std::string, std::size_t> per_label;
  // Licence cells not already SPDX ids, or not recognised: the spelling as given -> its reading.
  std::map<std::string, LicenseSpelling> license_spellings;
  // What the label rewrite did (labels the map does not name, labels made unknown).
  LabelRewriteTally relabelled;
};

struct IngestCallbacks {
  // In deterministic order; `position` is the file's place in the scan, shared by every shard.
  std::function<void(const Item&, std::size_t position)> item;
  std::function<void(const Rejection&)> rejected;   // in the same order as the files
  std::function<void(const std::string&)> warning;  // "subject: reason", one line
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// Throws clipset::Error for fatal problems (a root that does not exist, an unreadable sheet).
IngestSummary ingest(const IngestOptions& options, const IngestCallbacks& callbacks);

}  // namespace clipset
