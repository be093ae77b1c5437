#pragma once
// Pieces of ingest shared between its source files (not part of the public API).

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "clipset/ingest.hpp"

namespace clipset::detail {

// Sheet rows resolved to scanned files: row_for[i] is the row for audio file i, or nullptr.
struct SheetMatches {
  std::vector<const SheetRow*> row_for;
  std::size_t rows = 0;
  std::size_t unmatched = 0;
};
SheetMatches match_sheet_rows(const std::vector<Sheet>& sheets, const std::vector<ScannedFile>& audio,
                              std::vector<std::string>& warnings);

// Label-track files next to each audio file: tracks_for[i] lists (file, annotator, pass).
struct TrackFile {
  std::filesystem::path path;
  LabelTrackName name;
};
std::vector<std::vector<TrackFile>> find_label_tracks(const ScanResult& scan);

// Reads the tracks into annotations; problems (bad lines, bad tags) become warnings
// "file:line: reason". Tags in the label text set salience, difficulty and tags; the sheet row
// (may be null) fills in what the tags leave open, and annotated_at, else the track file's mtime.
std::vector<Annotation> read_annotations(const std::vector<TrackFile>& tracks, const SheetRow* row,
                                         std::vector<std::string>& warnings);

// Sets labels and label_source by the documented precedence (sheet, annotations, folder), and
// merges the sheet's columns into meta.
void assign_labels(Item& item, const ScannedFile& file, const SheetRow* row, const IngestOptions& options);

// File facts and audio header (and levels with options.quality), and what the file says about
// the recording (time, device, encoder, place) in meta where meta has no such key yet. Throws
// clipset::Error when the file is not usable audio.
void probe_file(Item& item, const std::filesystem::path& path, const IngestOptions& options);

// bytes and mtime of a file as the manifest records them. Throws clipset::Error (io).
struct FileStamp {
  std::uint64_t bytes = 0;
  std::string mtime;
};
FileStamp stamp_file(const std::filesystem::path& path);

// A sheet row's provenance cells under their meta names (license, source_url, author, title,
// whatever the header's letter case; "licence" too), the licence as its SPDX id; a spelling that
// is not an SPDX id already is counted in `spellings`.
void normalise_provenance(Json& meta, std::map<std::string, LicenseSpelling>& spellings);

}  // namespace clipset::detail
