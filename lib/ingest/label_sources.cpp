// Where an item's labels come from: the sheet, Audacity label tracks, or its folder.

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "clipset/error.hpp"
#include "internal.hpp"

namespace fs = std::filesystem;

namespace clipset::detail {

namespace {

fs::path normal_absolute(const fs::path& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  return (ec ? path : abs).lexically_normal();
}

std::string folder_label(const fs::path& relative, int depth) {
  std::vector<std::string> folders;
  for (const auto& part : relative.parent_path()) folders.push_back(part.string());
  if (depth < 1 || static_cast<std::size_t>(depth) > folders.size()) return "";
  return folders[folders.size() - static_cast<std::size_t>(depth)];
}

}  // namespace

SheetMatches match_sheet_rows(const std::vector<Sheet>& sheets, const std::vector<ScannedFile>& audio,
                              std::vector<std::string>& warnings) {
  SheetMatches matches;
  matches.row_for.assign(audio.size(), nullptr);
  std::map<fs::path, std::size_t> by_path;
  std::map<std::string, std::vector<std::size_t>> by_name;
  for (std::size_t i = 0; i < audio.size(); ++i) {
    by_path.emplace(normal_absolute(audio[i].path), i);
    by_name[audio[i].path.filename().string()].push_back(i);
  }
  for (const Sheet& sheet : sheets) {
    const fs::path folder = sheet.file.has_parent_path() ? sheet.file.parent_path() : fs::path(".");
    for (const SheetRow& row : sheet.rows) {
      ++matches.rows;
      const std::string where = sheet.file.string() + ":" + std::to_string(row.line);
      std::size_t index = audio.size();
      if (row.key_is_path) {
        const fs::path key(row.key);
        const auto it = by_path.find(normal_absolute(key.is_absolute() ? key : folder / key));
        if (it != by_path.end()) index = it->second;
      } else {
        const auto it = by_name.find(row.key);
        if (it != by_name.end() && it->second.size() > 1) {
          warnings.push_back(where + ": file name '" + row.key + "' matches " + std::to_string(it->second.size()) +
                             " recordings; give its path to say which");
          ++matches.unmatched;
          continue;
        }
        if (it != by_name.end()) index = it->second.front();
      }
      if (index == audio.size()) {
        warnings.push_back(where + ": no such recording among the scanned files: " + row.key);
        ++matches.unmatched;
        continue;
      }
      if (matches.row_for[index] != nullptr) {
        warnings.push_back(where + ": " + audio[index].path.string() + " already has a row (line " +
                           std::to_string(matches.row_for[index]->line) + "); this later row wins");
      }
      matches.row_for[index] = &row;
    }
  }
  return matches;
}

std::vector<std::vector<TrackFile>> find_label_tracks(const ScanResult& scan) {
  std::map<fs::path, std::vector<std::size_t>> audio_by_folder;
  for (std::size_t i = 0; i < scan.audio.size(); ++i) audio_by_folder[scan.audio[i].path.parent_path()].push_back(i);
  std::vector<std::vector<TrackFile>> tracks_for(scan.audio.size());
  for (const ScannedFile& track : scan.label_tracks) {
    const auto folder = audio_by_folder.find(track.path.parent_path());
    if (folder == audio_by_folder.end()) continue;
    // "rec.2024.txt" fits both "rec.wav" (annotator 2024) and "rec.2024.wav": the longest stem
    // wins; files that share that stem ("x.wav", "x.flac") all get the track.
    // A track may be named after the stem ("x.anna.txt") or the whole file name ("x.wav.anna.txt").
    std::vector<std::tuple<std::size_t, std::size_t, LabelTrackName>> matches;  // audio, base length, name
    std::size_t longest = 0;
    for (const std::size_t i : folder->second) {
      const std::string names[] = {scan.audio[i].path.stem().string(), scan.audio[i].path.filename().string()};
      for (const std::string& base : names) {
        if (auto name = match_label_track(base, track.path.filename().string())) {
          matches.emplace_back(i, base.size(), *name);
          longest = std::max(longest, base.size());
        }
      }
    }
    for (const auto& [i, length, name] : matches) {
      if (length == longest) tracks_for[i].push_back({track.path, name});
    }
  }
  for (auto& list : tracks_for) {
    // Annotator, then pass: "anna.txt" (pass 1) before "anna.2.txt", whatever the byte order.
    std::stable_sort(list.begin(), list.end(), [](const TrackFile& a, const TrackFile& b) {
      return std::tie(a.name.annotator, a.name.pass) < std::tie(b.name.annotator, b.name.pass);
    });
  }
  return tracks_for;
}

namespace {

// The tags of the label text first; what the sheet says about the recording fills the rest.
void apply_facts(Annotation& a, const AnnotationFacts& tagged, const SheetRow* row) {
  a.salience = tagged.salience;
  a.difficulty = tagged.difficulty;
  a.tags = tagged.tags;
  if (row == nullptr) return;
  const AnnotationFacts& sheet = row->annotation;
  if (!a.salience) a.salience = sheet.salience;
  if (!a.difficulty) a.difficulty = sheet.difficulty;
  if (sheet.annotated_at) {
    a.annotated_at = sheet.annotated_at;
    a.annotated_at_source = "sheet";
  }
  a.notes = sheet.notes;
}

}  // namespace

std::vector<Annotation> read_annotations(const std::vector<TrackFile>& tracks, const SheetRow* row,
                                         std::vector<std::string>& warnings) {
  std::vector<Annotation> annotations;
  for (const TrackFile& track : tracks) {
    LabelTrack parsed;
    std::string modified;
    try {
      parsed = read_audacity_labels(track.path);
      modified = stamp_file(track.path).mtime;
    } catch (const Error& e) {
      warnings.push_back(e.what());
      continue;
    }
    const std::string where = track.path.string() + ":";
    for (const auto& problem : parsed.problems) warnings.push_back(where + std::to_string(problem.line) + ": " + problem.reason);
    for (const TrackLabel& label : parsed.labels) {
      LabelText text = parse_label_text(label.title);
      for (const auto& problem : text.problems) warnings.push_back(where + std::to_string(label.line) + ": " + problem);
      Annotation a;
      a.start = label.start;
      a.end = label.end;
      a.label = std::move(text.label);
      if (!track.name.annotator.empty()) a.annotator = track.name.annotator;
      a.pass = track.name.pass;
      if (label.low_hz >= 0) a.low_hz = label.low_hz;
      if (label.high_hz >= 0) a.high_hz = label.high_hz;
      apply_facts(a, text.facts, row);
      if (!a.annotated_at) {
        a.annotated_at = modified;
        a.annotated_at_source = "file_mtime";
      }
      annotations.push_back(std::move(a));
    }
  }
  return annotations;
}

void assign_labels(Item& item, const ScannedFile& file, const SheetRow* row, const IngestOptions& options) {
  item.salience.reset();  // a record taken over under --update: the sheet decides anew
  if (row != nullptr) {
    for (auto it = row->meta.begin(); it != row->meta.end(); ++it) item.meta[it.key()] = it.value();
    // The sheet's salience is that of the recording's own labels (clips cut by them carry it).
    if (row->annotation.salience) item.salience = row->annotation.salience;
  }
  std::set<std::string> annotated;
  for (const auto& a : item.annotations) {
    if (!a.label.empty()) annotated.insert(a.label);
  }
  const std::string folder =
      options.folder_labels == FolderLabels::parent ? folder_label(file.relative, options.label_depth) : "";
  if (row != nullptr && !row->labels.empty()) {
    item.labels = row->labels;
    item.label_source = "sheet";
  } else if (!annotated.empty()) {
    item.labels.assign(annotated.begin(), annotated.end());
    item.label_source = "annotations";
  } else if (!folder.empty()) {
    item.labels = {folder};
    item.label_source = "folder";
  } else {
    item.labels.clear();
    item.label_source = "none";
  }
}

}  // namespace clipset::detail
