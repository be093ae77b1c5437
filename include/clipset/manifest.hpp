#pragma once
// The manifest: JSON Lines, one item (a recording or a clip) per line. Every subcommand reads
// and writes this one model. Fields a command does not know are kept in `extra`, so a user's
// own fields survive the whole pipeline. See docs/manifest.md.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace clipset {

using Json = nlohmann::ordered_json;

// Written into every record as "manifest_version". A reader accepts records without it (taken
// as version 1, for hand-written manifests) and rejects records from a newer format.
inline constexpr int kManifestVersion = 1;
// The longest duration a manifest line may give (about 115 days, docs/limits.md): longer is no
// recording's, and the cap keeps sums of microseconds over any manifest far from overflowing.
inline constexpr double kMaxDurationSeconds = 1e7;

// A strong label: a time range of the recording (seconds) carrying one label.
struct Annotation {
  double start = 0;
  double end = 0;  // == start for a point label
  std::string label;
  std::optional<std::string> annotator;  // absent for an unattributed "<base>.txt" track
  int pass = 1;                          // the annotator's n-th labelling of this recording
  std::optional<double> low_hz;          // Audacity spectral selection, when defined
  std::optional<double> high_hz;
  // What the annotator said besides the label (tags in the label text, sheet columns).
  std::optional<std::string> salience;      // "fg" (foreground) or "bg" (background)
  std::optional<std::string> difficulty;    // "easy" or "hard"
  std::vector<std::string> tags;            // free tags, lowercased
  std::optional<std::string> annotated_at;  // ISO 8601
  // "sheet", or "file_mtime": the label file's modification time, a fallback.
  std::optional<std::string> annotated_at_source;
  std::optional<std::string> notes;
  Json extra = Json::object();
};

// The two values of Annotation::salience and Item::salience.
inline bool is_salience(std::string_view value) { return value == "fg" || value == "bg"; }
inline bool is_difficulty(std::string_view value) { return value == "easy" || value == "hard"; }

// Where a clip came from.
struct ClipSource {
  std::string id;
  std::string path;
  std::optional<std::string> sha256;
  double start = 0;
  double duration = 0;
  Json extra = Json::object();
};

struct Item {
  std::string id;
  std::optional<std::string> path;
  std::optional<std::uint64_t> bytes;
  std::optional<std::string> sha256;
  std::optional<std::string> mtime;  // file modification time, ISO 8601 UTC with nanoseconds
  std::optional<std::string> format;
  std::optional<std::string> subtype;
  std::optional<std::int64_t> sample_rate;
  std::optional<std::int64_t> channels;
  std::optional<std::int64_t> frames;
  std::optional<double> duration;  // seconds
  std::vector<std::string> labels;
  std::optional<std::string> label_source;  // sheet | annotations | folder | none
  // fg | bg: of the annotations a clip's labels came from, or the sheet's for a recording.
  std::optional<std::string> salience;
  std::vector<Annotation> annotations;
  std::optional<std::string> group;
  std::optional<ClipSource> source;
  std::optional<std::string> split;
  std::optional<std::int64_t> fold;
  std::optional<Json> quality;  // object of measures (see docs/manifest.md)
  std::optional<std::string> duplicate_of;  // id of the first item with the same sha256
  Json meta = Json::object();
  Json extra = Json::object();  // unknown top-level fields, in input order
};

// Canonical JSON of an item: known fields in a fixed order, then unknown fields in input order.
Json item_to_json(const Item& item);
// Throws clipset::Error (data) with an empty subject and a reason naming the field.
Item item_from_json(const Json& record);
// One line of JSON, no trailing newline. Invalid UTF-8 in strings becomes U+FFFD.
std::string item_to_line(const Item& item);

// The value at a dotted path ("meta.recorder", "source.id", "labels"), or nullptr when absent.
const Json* find_field(const Json& record, const std::string& dotted);
// Dotted-path lookups on one item without building its whole record for each: "meta.x" is looked
// up in item.meta; any other path in item_to_json(item), built at most once.
class ItemFieldFinder {
 public:
  explicit ItemFieldFinder(const Item& item) : item_(item) {}
  const Json* find(const std::string& dotted);

 private:
  const Item& item_;
  std::optional<Json> record_;
};
// A field value as a grouping or display key: strings as they are, anything else as JSON text.
std::string field_key(const Json& value);
// Appends a field's values as keys: a list gives each element, a missing field (nullptr), null
// and "" give none.
void append_field_keys(const Json* value, std::vector<std::string>& keys);
// An item's values of a dotted field as keys (append_field_keys), sorted and without repeats, in
// `keys` (cleared first); empty when the item lacks the field. `labels` and `split` are read from
// the item itself. The one reading of a --by field for the reports (stats, compare).
// `salience`, `difficulty` and `annotator` are the item's own field when it has one, else each
// distinct value among its annotations.
void item_field_keys(const Item& item, ItemFieldFinder& finder, const std::string& field, std::vector<std::string>& keys);
// The --by fields read from annotations: salience, difficulty, annotator.
bool is_annotation_field(std::string_view field);
// An item's value of a dotted field when it is a single finite number (duration, sample_rate, a
// number in meta), else nullopt. The numeric members are read from the item itself.
std::optional<double> item_field_number(const Item& item, ItemFieldFinder& finder, const std::string& field);
// A top-level field of the manifest schema ("split", "duration"): absent from every item is
// normal for such a field (an unsplit manifest), where an unknown name is more likely a typo.
bool is_schema_field(std::string_view field);

// Walks JSON text and calls visit(index, c, depth) for each '{', '[', '}', ']' and ',' outside
// strings, `depth` being the nesting around it (an opening bracket's own level before it opens,
// a closing one's after it closes). Stops when visit returns false. One scanner for what reads
// JSON text without parsing it (the nesting limit, split's splicing of records).
template <class Visit>
void scan_json_structure(std::string_view text, Visit&& visit) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (!visit(i, c, depth++)) return;
    } else if (c == '}' || c == ']') {
      if (depth > 0) --depth;
      if (!visit(i, c, depth)) return;
    } else if (c == ',') {
      if (!visit(i, c, depth)) return;
    }
  }
}

// One manifest line read: its JSON record and its item. Throws clipset::Error (data, empty
// subject) with the reason a person needs for a bad line: not JSON, nested deeper than the limit,
// a number out of range, a field of the wrong type. The one parser every reader uses.
struct ParsedLine {
  Json record;
  Item item;
};
ParsedLine parse_manifest_line(const std::string& line);

// The longest manifest line read: longer lines are bad lines, skipped without being held in
// memory (a record that size is not an item; a dense annotation track of 100,000 labels is ~10 MB).
inline constexpr std::size_t kMaxManifestLineBytes = std::size_t{64} << 20;
// Arrays and objects nested deeper than this make a bad line: nothing in the manifest needs more
// than a handful of levels, and deep nesting costs stack in every later step (copy, dump).
inline constexpr std::size_t kMaxManifestNesting = 64;

// The item fields a reader decodes (a bit set). Every line is still checked whole: JSON syntax,
// UTF-8, nesting, `id` and `manifest_version`, and the JSON type of every known field. A field
// outside the set may be left empty in the Item (an unknown field belongs to `extra`): use only
// the fields asked for.
using FieldSet = std::uint32_t;
namespace item_fields {
inline constexpr FieldSet path = 1u << 0, bytes = 1u << 1, sha256 = 1u << 2, mtime = 1u << 3, format = 1u << 4,
                          subtype = 1u << 5, sample_rate = 1u << 6, channels = 1u << 7, frames = 1u << 8,
                          duration = 1u << 9, labels = 1u << 10, label_source = 1u << 11,
                          annotations = 1u << 12, group = 1u << 13, source = 1u << 14, split = 1u << 15,
                          fold = 1u << 16, quality = 1u << 17, duplicate_of = 1u << 18, meta = 1u << 19,
                          extra = 1u << 20, salience = 1u << 21;
inline constexpr FieldSet all = (1u << 22) - 1;
// What group_key(item) reads (item_keys.hpp): the leakage unit.
inline constexpr FieldSet group_key = group | source;
}  // namespace item_fields
// The fields a dotted path ("meta.recorder", "labels", "my_field.x") reads from an item.
FieldSet fields_of_path(std::string_view dotted);
// The fields a reader must decode for item_field_keys of a --by `field` (fields_of_path, and the
// annotations for salience, difficulty and annotator).
FieldSet fields_of_report_field(std::string_view field);

// Reads manifest lines on simdjson's On Demand parser, decoding only the fields asked for. A line
// that is bad, or that the fast path does not take (control bytes, numbers beyond 64 bits, a
// field of an unexpected type), goes through parse_manifest_line: the same items and the same
// reasons as that reader, for every line. One decoder per thread.
class LineDecoder {
 public:
  explicit LineDecoder(FieldSet fields = item_fields::all);
  ~LineDecoder();
  LineDecoder(LineDecoder&&) noexcept;
  LineDecoder& operator=(LineDecoder&&) noexcept;
  // One line without its line end. Throws clipset::Error (data, empty subject) as
  // parse_manifest_line does.
  Item decode(std::string_view line);
  FieldSet fields() const noexcept { return fields_; }
  // Lines handed to parse_manifest_line so far (bad lines and the rare forms): for tests and
  // measurements.
  std::size_t slow_lines() const noexcept { return slow_lines_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  FieldSet fields_;
  std::size_t slow_lines_ = 0;
};

// A line of a manifest that could not be read.
struct ManifestProblem {
  std::string source;  // file name as the user gave it, "(stdin)" for -
  std::size_t line = 0;
  std::string reason;
};

// Streams items from JSON Lines, one line in memory at a time. Blank lines are ignored.
class ManifestReader {
 public:
  using ProblemHandler = std::function<void(const ManifestProblem&)>;

  ManifestReader(std::istream& in, std::string source_name);
  // Bad lines go to the handler and are skipped; with strict, the first bad line throws
  // clipset::Error (data) whose subject is "source:line".
  void set_strict(bool strict) { strict_ = strict; }
  void on_problem(ProblemHandler handler) { on_problem_ = std::move(handler); }
  // A line whose id an earlier line already has is a bad line (for commands that turn ids into
  // file names, where two items with one id would overwrite each other's files). Costs memory
  // for every id read.
  void set_unique_ids(bool unique) { unique_ids_ = unique; }
  // Decode only these fields (default: all); see FieldSet. Others are left empty in the items.
  void set_fields(FieldSet fields);

  // The next good item, or nullopt at end of input. Throws clipset::Error (io) on a read error.
  std::optional<Item> next();
  std::size_t line() const noexcept { return line_; }
  // The text of the line the last next() returned, without its line end, as the input has it
  // (export keeps a record verbatim rather than writing it again). Valid until the next call.
  std::string_view line_text() const noexcept { return buffer_; }
  std::size_t problem_count() const noexcept { return problems_; }

 private:
  std::istream& in_;
  std::string source_;
  bool strict_ = false;
  bool unique_ids_ = false;
  std::unordered_map<std::string, std::size_t> first_line_of_id_;
  ProblemHandler on_problem_;
  std::size_t line_ = 0;
  std::size_t problems_ = 0;
  std::string buffer_;
  std::unique_ptr<LineDecoder> decoder_;
};

// An input opened by name: "-" is stdin, named "(stdin)".
class InputFile {
 public:
  explicit InputFile(const std::string& name);  // throws clipset::Error (io)
  ~InputFile();
  InputFile(InputFile&&) noexcept;
  InputFile& operator=(InputFile&&) = delete;
  std::istream& stream() { return *stream_; }
  const std::string& display_name() const noexcept { return display_name_; }
  // The name as given ("-" for stdin).
  const std::string& path() const noexcept { return path_; }

 private:
  std::unique_ptr<std::istream> owned_;
  std::string path_;
  std::istream* stream_ = nullptr;
  std::string display_name_;
};

// Reads a whole manifest (commands that need every item at once, e.g. ingest --update).
std::vector<Item> read_manifest(const std::string& name, bool strict, const ManifestReader::ProblemHandler& on_problem);

// An output that appears atomically: "-" is stdout; anything else is written to a temporary file
// in the same folder and renamed over the target by commit(). Destroyed without commit(), it
// removes the temporary file and leaves any previous file untouched.
class AtomicOutput {
 public:
  // sync: fsync before the rename (manifests). Clip files skip it: thousands of fsyncs cost
  // more than they protect, and the rename still never exposes a partial file to a reader.
  explicit AtomicOutput(const std::string& name, bool sync = true);  // throws clipset::Error (io)
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  std::ostream& stream();
  const std::string& display_name() const noexcept { return display_name_; }
  // Flushes, syncs and renames into place. Throws clipset::Error (io) on any failure (disk full).
  void commit();

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::string display_name_;
};

// Writes items as JSON Lines. Throws clipset::Error (io) when the stream fails.
class ManifestWriter {
 public:
  ManifestWriter(std::ostream& out, std::string display_name);
  void write(const Item& item);
  std::size_t count() const noexcept { return count_; }

 private:
  std::ostream& out_;
  std::string display_name_;
  std::size_t count_ = 0;
};

// The JSON libraries' versions (compiled in: they are header-only), for --version.
std::vector<std::pair<std::string, std::string>> json_library_versions();

}  // namespace clipset
