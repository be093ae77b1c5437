// `ingest`: scan, read label sources, probe files in parallel, emit items in scan order.

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "clipset/error.hpp"
#include "clipset/item_keys.hpp"
#include "clipset/text.hpp"
#include "clipset/thread_pool.hpp"
#include "internal.hpp"

namespace fs = std::filesystem;

namespace clipset {

namespace {

using detail::TrackFile;

// What one file turned into; warnings travel with it so they print in scan order.
struct FileOutcome {
  std::optional<Item> item;
  std::optional<Rejection> rejection;
  std::vector<std::string> warnings;
  bool reused = false;
  bool other_shard = false;  // another shard's file: not read
  std::size_t label_tracks = 0;
};

std::string manifest_path(const ScannedFile& file, const IngestOptions& options) {
  if (!options.path_base) return file.path.lexically_normal().generic_string();
  std::error_code ec;
  const fs::path abs = fs::absolute(file.path, ec).lexically_normal();
  const fs::path base = fs::absolute(*options.path_base, ec).lexically_normal();
  const fs::path rel = abs.lexically_relative(base);
  if (rel.empty() || *rel.begin() == "..") return abs.generic_string();
  return rel.generic_string();
}

// With several roots, each root's id prefix is its last few path components, as many as it
// takes to tell the roots apart ("site_a/data" and "site_b/data" need two). A single root has
// no prefix. A file given as a root counts from its folder.
std::vector<fs::path> root_prefixes(const std::vector<fs::path>& roots) {
  std::vector<fs::path> prefixes(roots.size());
  if (roots.size() <= 1) return prefixes;
  std::vector<std::vector<fs::path>> parts(roots.size());
  std::size_t longest = 0;
  for (std::size_t r = 0; r < roots.size(); ++r) {
    std::error_code ec;
    fs::path folder = fs::absolute(roots[r], ec).lexically_normal();
    if (!fs::is_directory(folder, ec)) folder = folder.parent_path();
    for (const auto& part : folder.relative_path()) {
      if (!part.empty()) parts[r].push_back(part);
    }
    longest = std::max(longest, parts[r].size());
  }
  auto tail = [&](std::size_t r, std::size_t k) {
    fs::path p;
    for (std::size_t i = parts[r].size() - std::min(k, parts[r].size()); i < parts[r].size(); ++i) p /= parts[r][i];
    return p;
  };
  for (std::size_t k = 1; k <= longest; ++k) {
    std::set<fs::path> seen;
    bool distinct = true;
    for (std::size_t r = 0; r < roots.size() && distinct; ++r) distinct = seen.insert(tail(r, k)).second;
    if (distinct || k == longest) {
      for (std::size_t r = 0; r < roots.size(); ++r) prefixes[r] = tail(r, k);
      break;
    }
  }
  return prefixes;
}

// An earlier record can be taken over when the file is unchanged and it already holds every
// field this run would compute.
bool reusable(const Item& previous, const detail::FileStamp& stamp, bool quality) {
  return previous.bytes == stamp.bytes && previous.mtime == stamp.mtime && previous.sha256 && previous.format &&
         previous.sample_rate && previous.channels && previous.frames && previous.duration &&
         (!quality || previous.quality);
}

using Warn = std::function<void(const std::string&)>;

// The --metadata sheets, each problem row a warning.
std::vector<Sheet> read_sheets(const IngestOptions& options, const Warn& warn) {
  std::vector<Sheet> sheets;
  for (const auto& file : options.sheets) {
    sheets.push_back(read_sheet(file, options.sheet_options));
    for (const auto* list : {&sheets.back().problems, &sheets.back().notices}) {
      for (const auto& problem : *list) warn(file.string() + ":" + std::to_string(problem.line) + ": " + problem.reason);
    }
  }
  return sheets;
}

// The --metadata sheets (into `sheets`) and the row each scanned file matches.
detail::SheetMatches match_sheets(const IngestOptions& options, const ScanResult& scan, std::vector<Sheet>& sheets,
                                  IngestSummary& summary, const Warn& warn) {
  sheets = read_sheets(options, warn);
  for (auto& sheet : sheets) {
    for (auto& row : sheet.rows) detail::normalise_provenance(row.meta, summary.license_spellings);
  }
  std::vector<std::string> match_warnings;
  detail::SheetMatches sheet_matches = detail::match_sheet_rows(sheets, scan.audio, match_warnings);
  for (const auto& w : match_warnings) warn(w);
  summary.sheet_rows = sheet_matches.rows;
  summary.sheet_rows_unmatched = sheet_matches.unmatched;
  return sheet_matches;
}

// Each scanned file's path as the manifest names it.
std::vector<std::string> manifest_paths(const ScanResult& scan, const IngestOptions& options) {
  std::vector<std::string> paths(scan.audio.size());
  for (std::size_t i = 0; i < scan.audio.size(); ++i) paths[i] = manifest_path(scan.audio[i], options);
  return paths;
}

// --update: the earlier manifest's items by path.
std::unordered_map<std::string, const Item*> previous_items_by_path(const IngestOptions& options) {
  std::unordered_map<std::string, const Item*> by_path;
  if (options.previous) {
    for (const Item& item : *options.previous) {
      if (item.path) by_path.emplace(*item.path, &item);
    }
  }
  return by_path;
}

// Marks an item whose content an earlier item (in scan order) already has.
void mark_duplicate(Item& item, const std::string& path, DuplicateMarker& duplicates, IngestSummary& summary, const Warn& warn) {
  if (const std::string* original = duplicates.mark(item)) {
    ++summary.duplicates;
    warn(path + ": same content as " + *original + " (marked duplicate_of)");
  }
}

// The group: from --group-by, else the sheet row's, else the item's own id. Returns false when
// the --group-by field was missing.
bool assign_group(Item& item, const SheetRow* row, const IngestOptions& options) {
  item.group.reset();
  bool found = true;
  if (!options.group_by.empty()) {
    const Json record = item_to_json(item);
    item.group = group_value(find_field(record, options.group_by));
    found = item.group.has_value();
  }
  if (!item.group && row != nullptr && row->group) item.group = *row->group;
  if (!item.group) item.group = item.id;
  return found;
}

// Whether a scanned file is this run's to read: its shard by the group it would get from its id,
// path and sheet row alone (a --group-by field read from the file itself is not known yet).
bool in_this_shard(const ScannedFile& file, const std::string& path, const fs::path& prefix, const SheetRow* row,
                   const IngestOptions& options) {
  if (!options.shard) return true;
  Item item;
  item.path = path;
  try {
    item.id = make_item_id(prefix / file.relative);
  } catch (const Error&) {
    item.id = path;  // rejected later; any fixed key will do
  }
  detail::assign_labels(item, file, row, options);
  assign_group(item, row, options);
  return in_shard(item, *options.shard);
}

void count_item(const Item& item, const FileOutcome& outcome, IngestSummary& summary) {
  if (outcome.reused) ++summary.reused;
  summary.label_tracks += outcome.label_tracks;
  ++summary.items;
  summary.seconds += item.duration.value_or(0);
  for (const auto& label : item.labels) ++summary.per_label[label];
}

// --update: records of the earlier manifest whose file this scan did not find.
void report_vanished(const IngestOptions& options, const std::set<std::string>& seen_paths, IngestSummary& summary,
                     const Warn& warn) {
  if (!options.previous) return;
  for (const Item& item : *options.previous) {
    if (item.path && seen_paths.count(*item.path) == 0) {
      ++summary.vanished;
      warn(*item.path + ": in the earlier manifest but no longer found; dropped");
    }
  }
}

}  // namespace

IngestSummary ingest(const IngestOptions& options, const IngestCallbacks& callbacks) {
  IngestSummary summary;
  const Warn warn = [&](const std::string& message) {
    ++summary.warnings;
    if (callbacks.warning) callbacks.warning(message);
  };

  const ScanResult scan = scan_roots(options.roots, options.scan);
  for (const auto& w : scan.warnings) warn(w);
  summary.scanned = scan.audio.size();

  std::vector<Sheet> sheets;  // sheet_matches points into it
  const detail::SheetMatches sheet_matches = match_sheets(options, scan, sheets, summary, warn);

  const auto tracks_for = detail::find_label_tracks(scan);
  const std::unordered_map<std::string, const Item*> previous_by_path = previous_items_by_path(options);
  const std::vector<fs::path> prefixes = root_prefixes(options.roots);
  const std::vector<std::string> paths = manifest_paths(scan, options);

  auto work = [&](std::size_t i) {
    FileOutcome outcome;
    const ScannedFile& file = scan.audio[i];
    if (!in_this_shard(file, paths[i], prefixes[file.root_index], sheet_matches.row_for[i], options)) {
      outcome.other_shard = true;
      return outcome;
    }
    try {
      if (!file.problem.empty()) throw_data(paths[i], file.problem);
      if (!is_valid_utf8(file.path.string())) throw_data(paths[i], "file name is not valid UTF-8 (rename it)");
      Item item;
      const auto prev = previous_by_path.find(paths[i]);
      const bool known = prev != previous_by_path.end();
      if (known && reusable(*prev->second, detail::stamp_file(file.path), options.quality)) {
        item = *prev->second;
        item.annotations.clear();
        outcome.reused = true;
      } else {
        if (known) {  // changed: keep what the user added, measure the file anew
          item.meta = prev->second->meta;
          item.extra = prev->second->extra;
        }
        detail::probe_file(item, file.path, options);
      }
      if (!options.location) item.meta.erase("location");  // also from records taken over
      item.id = make_item_id(prefixes[file.root_index] / file.relative);
      item.path = paths[i];
      item.annotations = detail::read_annotations(tracks_for[i], sheet_matches.row_for[i], outcome.warnings);
      outcome.label_tracks = tracks_for[i].size();
      detail::assign_labels(item, file, sheet_matches.row_for[i], options);
      outcome.item = std::move(item);
    } catch (const Error& e) {
      // Rejections name the file exactly as the manifest would, so the two join on path.
      outcome.rejection = Rejection{paths[i], e.reason()};
    }
    return outcome;
  };

  DuplicateMarker duplicates;
  std::set<std::string> seen_paths;
  std::size_t done = 0;
  auto sink = [&](std::size_t i, FileOutcome outcome) {
    for (const auto& w : outcome.warnings) warn(w);
    seen_paths.insert(paths[i]);
    if (outcome.other_shard) {
      ++summary.other_shards;
    } else if (outcome.rejection) {
      ++summary.rejected;
      if (callbacks.rejected) callbacks.rejected(*outcome.rejection);
    } else {
      Item& item = *outcome.item;
      if (!options.shard) mark_duplicate(item, paths[i], duplicates, summary, warn);
      if (!assign_group(item, sheet_matches.row_for[i], options)) ++summary.group_fallbacks;
      rewrite_labels(item, options.relabel, summary.relabelled);
      count_item(item, outcome, summary);
      if (callbacks.item) callbacks.item(item, i);
    }
    if (callbacks.progress) callbacks.progress(++done, scan.audio.size());
  };

  ordered_parallel_for(scan.audio.size(), options.jobs, work, sink);

  report_vanished(options, seen_paths, summary, warn);
  return summary;
}

}  // namespace clipset
