// Reading for split: lines are decoded on worker threads (only the fields the split needs) and
// their facts interned on the calling thread in input order, so the result is the same whatever
// --jobs is. Each line's own text is kept for the output, without its split and fold members:
// the new ones are spliced in, every other byte stays as it was (docs/split.md).

#include <algorithm>
#include <cmath>

#include "clipset/error.hpp"
#include "clipset/item_keys.hpp"
#include "clipset/manifest_blocks.hpp"
#include "clipset/record_members.hpp"
#include "internal.hpp"

namespace clipset::split_detail {

namespace {

constexpr std::size_t kStoreBlockBytes = std::size_t{64} << 20;  // one LineStore block

struct ParsedItem {
  std::string id;
  std::vector<std::pair<std::uint16_t, std::string>> values;  // group values (field, key)
  std::vector<std::uint16_t> missing;                          // group fields it lacks
  std::string fallback;  // with no --group-by value: "group=...", "source.id=..." or "id=..."
  std::vector<std::string> classes;
  std::int64_t micros = -1;
  std::optional<std::string> split;
  std::int32_t fold = -1;  // -1 none, -2 present but negative
  int holdout = -1;
};

// One line read: its facts and its output text without split and fold.
struct ReadLine {
  ParsedItem facts;
  std::string text;
  std::uint32_t splice = 0;  // where split/fold go, in text
};

FieldSet split_fields(const SplitOptions& options) {
  FieldSet fields = item_fields::duration | item_fields::split | item_fields::fold | item_fields::group_key;
  for (const auto& field : options.group_by) fields |= fields_of_path(field);
  if (!options.stratify.empty()) fields |= fields_of_path(options.stratify);
  for (const auto& rule : options.holdouts) fields |= fields_of_path(rule.field);
  return fields;
}

ParsedItem facts_of(const SplitOptions& options, const Item& item) {
  ItemFieldFinder record(item);
  ParsedItem p;
  p.id = item.id;
  // The reader refuses durations beyond kMaxDurationSeconds, which keeps sums of microseconds far
  // from overflowing; the check here only guards that invariant.
  if (item.duration && std::isfinite(*item.duration) && *item.duration >= 0 && *item.duration < kMaxDurationSeconds) {
    p.micros = std::llround(*item.duration * 1e6);
  }
  p.split = item.split;
  if (item.fold) p.fold = *item.fold < 0 ? -2 : static_cast<std::int32_t>(std::min<std::int64_t>(*item.fold, INT32_MAX));
  std::vector<std::string> keys;
  for (std::size_t f = 0; f < options.group_by.size(); ++f) {
    keys.clear();
    append_field_keys(record.find(options.group_by[f]), keys);
    if (keys.empty()) p.missing.push_back(static_cast<std::uint16_t>(f));
    for (auto& key : keys) {
      p.values.emplace_back(static_cast<std::uint16_t>(f), options.group_key == GroupKeyForm::nohash ? nohash_name(key) : std::move(key));
    }
  }
  // An item without any --group-by value still belongs with the other clips of its recording:
  // its leakage unit (group, else source.id, else itself) stands in.
  if (p.values.empty()) p.fallback = group_key(item).text();
  if (!options.stratify.empty()) {
    append_field_keys(record.find(options.stratify), p.classes);
    std::sort(p.classes.begin(), p.classes.end());
    p.classes.erase(std::unique(p.classes.begin(), p.classes.end()), p.classes.end());
  }
  for (std::size_t r = 0; r < options.holdouts.size(); ++r) {
    if (holdout_value_matches(options.holdouts[r], record.find(options.holdouts[r].field))) {
      p.holdout = static_cast<int>(r);
      break;
    }
  }
  return p;
}

// The line as written back: its own text when it can be spliced, else the canonical record
// of the whole item (read again in full: the decoder gave only the fields the split needs).
ReadLine read_line(const SplitOptions& options, Item&& item, std::string_view text) {
  ReadLine line;
  line.facts = facts_of(options, item);
  if (const auto splice = append_spliced(text, line.text)) {
    line.splice = *splice;
    return line;
  }
  Json record = item_to_json(parse_manifest_line(std::string(text)).item);
  record.erase("split");
  record.erase("fold");
  line.splice = append_canonical(std::move(record), line.text);
  return line;
}

class Interner {
 public:
  Interner(const SplitOptions& options, ItemTable& table) : options_(options), table_(table) {
    table_.node_index.resize(options.group_by.size() + 1);
    table_.holdout_matches.assign(options.holdouts.size(), 0);
  }

  void add(ParsedItem&& p) {
    auto& t = table_;
    ++t.count;
    if (p.values.empty()) {
      ++t.ungrouped;
      if (t.ungrouped_examples.size() < 10) t.ungrouped_examples.push_back(p.id);
      t.nodes.push_back(node(kIdField, std::move(p.fallback)));
    } else {
      for (auto& [field, key] : p.values) t.nodes.push_back(node(field, std::move(key)));
      for (const auto field : p.missing) ++t.missing_field[options_.group_by[field]];
    }
    t.node_begin.push_back(static_cast<std::uint32_t>(t.nodes.size()));
    for (auto& label : p.classes) {
      auto [it, inserted] = t.class_index.try_emplace(std::move(label), static_cast<std::uint32_t>(t.class_names.size()));
      if (inserted) t.class_names.push_back(it->first);
      t.classes.push_back(it->second);
    }
    t.class_begin.push_back(static_cast<std::uint32_t>(t.classes.size()));
    t.micros.push_back(p.micros);
    std::int16_t split = -1;
    if (p.split) {
      const auto at = std::find(options_.names.begin(), options_.names.end(), *p.split);
      if (at != options_.names.end()) {
        split = static_cast<std::int16_t>(at - options_.names.begin());
      } else {
        split = -2;
        ++t.unknown_splits[*p.split];
      }
    }
    t.split.push_back(split);
    t.fold.push_back(p.fold);
    t.holdout.push_back(static_cast<std::int16_t>(p.holdout));
    if (p.holdout >= 0) ++t.holdout_matches[static_cast<std::size_t>(p.holdout)];
  }

 private:
  std::uint32_t node(std::uint16_t field, std::string&& key) {
    auto& index = table_.node_index[field == kIdField ? options_.group_by.size() : field];
    auto [it, inserted] = index.try_emplace(std::move(key), static_cast<std::uint32_t>(table_.node_values.size()));
    if (inserted) table_.node_values.emplace_back(field, it->first);
    return it->second;
  }

  const SplitOptions& options_;
  ItemTable& table_;
};

}  // namespace

void LineStore::append(Block&& block) {
  count_ += block.ends.size();
  if (!block.ends.empty()) blocks_.push_back(std::move(block));
}

bool comes_before_split(std::string_view key) {
  // The fields item_to_json writes before "split" (docs/manifest.md, "Key order"); everything
  // from the first other key on comes after "fold".
  static const char* const kBefore[] = {"id",     "path",   "bytes",    "sha256", "mtime",        "format",
                                        "subtype", "sample_rate", "channels", "frames", "duration", "labels",
                                        "label_source", "salience", "annotations", "group", "source"};
  return std::any_of(std::begin(kBefore), std::end(kBefore), [&](const char* k) { return key == k; });
}

std::uint32_t append_canonical(Json record, std::string& text) {
  std::size_t before = 0;
  for (auto it = record.begin(); it != record.end() && comes_before_split(it.key()); ++it) ++before;
  if (before == 0) throw Error(ErrorKind::internal, "split", "a record without id");
  const std::string line = record.dump(-1, ' ', false, Json::error_handler_t::replace);
  // One dump, then the place after the first `before` members: the before-th comma at the top
  // level, outside strings (cheaper than dumping the two halves as separate objects).
  std::size_t splice = line.size() - 1;  // before the closing brace
  if (before < record.size()) {
    std::size_t commas = 0;
    // Inside the record's braces, its members are at depth 1.
    scan_json_structure(line, [&](std::size_t i, char c, std::size_t depth) {
      if (c != ',' || depth != 1 || ++commas != before) return true;
      splice = i;
      return false;
    });
  }
  const auto at = static_cast<std::uint32_t>(text.size() + splice);
  text += line;
  return at;
}

std::optional<std::uint32_t> append_spliced(std::string_view line, std::string& text) {
  const auto members = record_members(line);
  if (!members) return std::nullopt;
  const bool versioned = std::any_of(members->begin(), members->end(), [](const RecordMember& m) { return m.key == "manifest_version"; });
  if (!versioned) return std::nullopt;  // written canonically, so that it gains its version
  std::string out = "{";
  std::optional<std::size_t> splice;
  bool in_prefix = true;
  for (const auto& member : *members) {
    if (member.key == "split" || member.key == "fold") continue;
    if (in_prefix && !comes_before_split(member.key)) {
      in_prefix = false;
      if (out.size() > 1) splice = out.size();
    }
    if (out.size() > 1) out += ',';
    out += member.text;
  }
  if (out.size() == 1) return std::nullopt;
  out += '}';
  const auto at = static_cast<std::uint32_t>(text.size() + splice.value_or(out.size() - 1));
  text += out;
  return at;
}

ReadResult read_items(const SplitOptions& options, ManifestBlocks& input, const SplitCallbacks& callbacks) {
  ReadResult result;
  Interner interner(options, result.table);
  ManifestScanOptions scan;
  scan.fields = split_fields(options);
  scan.jobs = options.jobs;
  scan.strict = options.strict;
  LineStore::Block block;
  const auto counts = scan_manifest(
      input, scan, [&](Item&& item, std::string_view text) { return read_line(options, std::move(item), text); },
      [&](ReadLine&& line) {
        interner.add(std::move(line.facts));
        block.splices.push_back(static_cast<std::uint32_t>(block.text.size() + line.splice));
        block.text += line.text;
        block.ends.push_back(static_cast<std::uint32_t>(block.text.size()));
        if (block.text.size() >= kStoreBlockBytes) result.lines.append(std::exchange(block, {}));
      },
      callbacks.problem, callbacks.progress);
  result.lines.append(std::move(block));
  result.lines_read = counts.lines;
  result.bad_lines = counts.bad_lines;
  return result;
}

}  // namespace clipset::split_detail
