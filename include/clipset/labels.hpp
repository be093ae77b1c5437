#pragma once
// Label sources read from files: CSV metadata sheets and Audacity label tracks.
// Pure parsing; matching rows and tracks to recordings is ingest's job.

#include <cstddef>
#include <filesystem>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace clipset {

// A problem found on one line of a text file; the rest of the file is still read.
struct LineProblem {
  std::size_t line = 0;  // 1-based
  std::string reason;    // lowercase, no full stop
};

// ---------------------------------------------------------------- CSV (RFC 4180)

// Streaming CSV reader: quoted fields with "" escapes and embedded newlines, CRLF or LF line
// ends, a UTF-8 byte-order mark at the start skipped. Delimiter ',' by default.
class CsvReader {
 public:
  explicit CsvReader(std::istream& in, char delimiter = ',');
  // Reads the next record into fields; false at end of input. A quote left open at end of input
  // throws clipset::Error (data) whose subject is "line N" of the record's first line.
  bool next(std::vector<std::string>& fields);
  // 1-based line on which the record last returned by next() started.
  std::size_t record_line() const noexcept { return record_line_; }

 private:
  std::istream& in_;
  char delimiter_;
  std::size_t line_ = 1;
  std::size_t record_line_ = 0;
  bool first_ = true;
};

// ---------------------------------------------------------------- label map

// Labels renamed onto a taxonomy: `folder_label<TAB>taxonomy label or AudioSet /m/ id`, one per
// line; blank lines and lines starting with '#' skipped.
using LabelMap = std::map<std::string, std::string>;
// Throws clipset::Error (usage) naming "name:line" for a line without exactly one tab, an empty
// side, or a label mapped twice to different targets; (io) when the file cannot be read.
LabelMap parse_label_map(std::istream& in, const std::string& name);
LabelMap read_label_map(const std::filesystem::path& file);

// ---------------------------------------------------------------- annotation metadata

// What a person said about one annotation besides its label: tags in square brackets after the
// label in Audacity ("siren [fg] [hard] [night]") and the matching sheet columns.
struct AnnotationFacts {
  std::optional<std::string> salience;     // "fg" (foreground) or "bg" (background)
  std::optional<std::string> difficulty;   // "easy" or "hard"
  std::vector<std::string> tags;           // other tags, lowercased, in order, each once
  std::optional<std::string> annotated_at; // ISO 8601 date or date and time, as written
  std::optional<std::string> notes;
};

// A label's text split into the label and its tags. The label is the text before the first '['
// (trailing spaces dropped; text without '[' is the label as it is). Tags match
// case-insensitively: fg/bg set salience, easy/hard difficulty, any other word is a free tag.
// Bad tags are described in `problems` and ignored; the label is always kept.
struct LabelText {
  std::string label;
  AnnotationFacts facts;               // salience, difficulty and tags only
  std::vector<std::string> problems;   // lowercase reasons, no full stop
};
LabelText parse_label_text(std::string_view text);
// The other way: "siren [fg] [hard] [night]"; the label alone when there is nothing to add.
std::string format_label_text(std::string_view label, const AnnotationFacts& facts);

// ---------------------------------------------------------------- metadata sheet

// One data row of a metadata sheet.
struct SheetRow {
  std::size_t line = 0;              // line in the sheet where the row starts
  std::string key;                   // the path or file-name cell, trimmed
  bool key_is_path = false;          // true: a path relative to the sheet's folder; false: a bare name
  std::vector<std::string> labels;   // the label cell split on ';', trimmed, empties dropped
  std::optional<std::string> group;  // the group cell when present and not empty
  nlohmann::ordered_json meta = nlohmann::ordered_json::object();  // every other non-empty cell, as a string, in column order
  // The salience, difficulty, annotated_at and notes cells, checked (also kept in meta as written).
  AnnotationFacts annotation;
};

struct Sheet {
  std::filesystem::path file;
  std::vector<SheetRow> rows;
  std::vector<LineProblem> problems;  // rows that were skipped, with the reason
  std::vector<LineProblem> notices;   // cells that were ignored (a bad salience); the row is kept
};

struct SheetOptions {
  // Column naming the file. Empty: the first header (case-insensitive) among
  // path, file, filename, file_name, fname, audio, audio_path.
  std::string key_column;
  std::string label_column;  // empty: "labels" or "label" (case-insensitive)
  std::string group_column = "group";
  char label_separator = ';';
};

// Reads a sheet ("-": standard input, named "(stdin)"). The key column decides key_is_path per row: a cell containing '/' is a path,
// anything else a bare file name. Throws clipset::Error (io) when the file cannot be read, and
// (data) when the header has no key column or the CSV cannot be parsed.
Sheet read_sheet(const std::filesystem::path& file, const SheetOptions& options = {});
Sheet parse_sheet(std::istream& in, const std::filesystem::path& file_name, const SheetOptions& options = {});

// ---------------------------------------------------------------- Audacity label tracks

// One label of an Audacity label track (plain-text export).
struct TrackLabel {
  double start = 0;   // seconds, start <= end
  double end = 0;     // == start for a point label
  std::string title;  // may be empty
  double low_hz = -1;   // spectral selection; < 0 means undefined
  double high_hz = -1;
  std::size_t line = 0;  // 1-based line of the label in the text (0: not from a text)
};

struct LabelTrack {
  std::vector<TrackLabel> labels;     // sorted by start, stable
  std::vector<LineProblem> problems;  // rejected labels: line and reason
};

// Parses Audacity's TEXT label format exactly as Audacity imports it (see
// ../shared/reference/audacity_labels/SPEC.md): LF, CRLF or CR line ends; TAB-separated
// start, end, title; comma decimals; point labels; reversed times swapped; spectral
// continuation lines beginning with a backslash.
LabelTrack parse_audacity_labels(std::string_view text);
// Reads and parses a file. Throws clipset::Error (io) naming the file when it cannot be read.
LabelTrack read_audacity_labels(const std::filesystem::path& file);

// The other way: Audacity's label-track text for `labels` (their order kept), one line each of
// TAB-separated start, end and title, and a "\" TAB low TAB high line after a label whose spectral
// selection is defined. Times in their shortest exact form, so parse_audacity_labels reads the same
// numbers back; tabs and line breaks in a title become spaces (the format has no escape for them).
std::string format_audacity_labels(const std::vector<TrackLabel>& labels);

// The file name match_label_track reads back as `annotator` and `pass` for the audio stem: "" gives
// "<stem>.txt"; pass 1 "<stem>.<annotator>.txt"; else "<stem>.<annotator>.<pass>.txt". The
// annotator must be non-empty text without '.' or '/' for a named track.
std::string label_track_file_name(std::string_view audio_stem, std::string_view annotator, int pass);

// Which annotator and pass a label-track file name stands for, given the stem of the audio
// file next to it ("dog1" for "dog1.wav"):
//   "<stem>.txt"                    -> annotator "", pass 1
//   "<stem>.<annotator>.txt"        -> annotator, pass 1
//   "<stem>.<annotator>.<pass>.txt" -> annotator, pass (a whole number >= 1)
// The annotator part is non-empty and holds no '.'. Anything else: nullopt.
struct LabelTrackName {
  std::string annotator;
  int pass = 1;
};
std::optional<LabelTrackName> match_label_track(std::string_view audio_stem, std::string_view file_name);

}  // namespace clipset
