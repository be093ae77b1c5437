// Reading for split: blocks of lines are parsed on worker threads (JSON parsing is most of the
// run time) and their facts interned on the calling thread in input order, so the result is the
// same whatever --jobs is.

#include <algorithm>
#include <cmath>
#include <streambuf>

#include "clipset/error.hpp"
#include "clipset/item_keys.hpp"
#include "clipset/thread_pool.hpp"
#include "internal.hpp"

namespace clipset::split_detail {

namespace {

constexpr std::size_t kBatchBytes = std::size_t{32} << 20;  // read at once; bounds memory
constexpr std::size_t kChunkBytes = std::size_t{256} << 10;  // one task

// An istream over memory, so ManifestReader (and its exact messages) parses each chunk.
class MemoryBuffer : public std::streambuf {
 public:
  explicit MemoryBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());  // read only: get area, never written
    setg(begin, begin, begin + text.size());
  }
};

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

struct ParsedChunk {
  LineStore::Block block;
  std::vector<ParsedItem> items;
  std::vector<ManifestProblem> problems;  // line numbers within the chunk
  std::size_t lines = 0;
  std::size_t bytes = 0;
};

ParsedItem facts_of(const SplitOptions& options, const Item& item, const Json& record) {
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
    append_field_keys(find_field(record, options.group_by[f]), keys);
    if (keys.empty()) p.missing.push_back(static_cast<std::uint16_t>(f));
    for (auto& key : keys) {
      p.values.emplace_back(static_cast<std::uint16_t>(f), options.group_key == GroupKeyForm::nohash ? nohash_name(key) : std::move(key));
    }
  }
  // An item without any --group-by value still belongs with the other clips of its recording:
  // its leakage unit (group, else source.id, else itself) stands in.
  if (p.values.empty()) p.fallback = group_key(item).text();
  if (!options.stratify.empty()) {
    append_field_keys(find_field(record, options.stratify), p.classes);
    std::sort(p.classes.begin(), p.classes.end());
    p.classes.erase(std::unique(p.classes.begin(), p.classes.end()), p.classes.end());
  }
  for (std::size_t r = 0; r < options.holdouts.size(); ++r) {
    if (holdout_matches(options.holdouts[r], record)) {
      p.holdout = static_cast<int>(r);
      break;
    }
  }
  return p;
}

ParsedChunk parse_chunk(const SplitOptions& options, std::string_view text, const std::string& name) {
  ParsedChunk chunk;
  chunk.bytes = text.size();
  MemoryBuffer buffer(text);
  std::istream in(&buffer);
  ManifestReader reader(in, name);
  reader.on_problem([&](const ManifestProblem& p) { chunk.problems.push_back(p); });
  while (auto item = reader.next()) {
    Json record = item_to_json(*item);  // canonical: the fields as every reader sees them
    chunk.items.push_back(facts_of(options, *item, record));
    record.erase("split");
    record.erase("fold");
    chunk.block.splices.push_back(append_canonical(std::move(record), chunk.block.text));
    if (chunk.block.text.size() > UINT32_MAX) throw_data(name, "a line is longer than 4 GiB");
    chunk.block.ends.push_back(static_cast<std::uint32_t>(chunk.block.text.size()));
  }
  chunk.lines = reader.line();
  return chunk;
}

// Cuts a batch (whole lines) into chunks of about kChunkBytes, at line ends.
std::vector<std::string_view> chunks_of(std::string_view batch) {
  std::vector<std::string_view> chunks;
  while (!batch.empty()) {
    std::size_t end = batch.size();
    if (batch.size() > kChunkBytes) {
      const auto newline = batch.find('\n', kChunkBytes);
      if (newline != std::string_view::npos) end = newline + 1;
    }
    chunks.push_back(batch.substr(0, end));
    batch.remove_prefix(end);
  }
  return chunks;
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

std::uint32_t append_canonical(Json record, std::string& text) {
  // The fields item_to_json writes before "split" (docs/manifest.md, "Key order"); everything
  // from the first other key on comes after "fold".
  static const char* const kBefore[] = {"id",     "path",   "bytes",    "sha256", "mtime",        "format",
                                        "subtype", "sample_rate", "channels", "frames", "duration", "labels",
                                        "label_source", "annotations", "group", "source"};
  std::size_t before = 0;
  for (auto it = record.begin(); it != record.end(); ++it, ++before) {
    if (std::none_of(std::begin(kBefore), std::end(kBefore), [&](const char* k) { return it.key() == k; })) break;
  }
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

ReadResult read_items(const SplitOptions& options, std::istream& in, const std::string& name,
                      const SplitCallbacks& callbacks) {
  ReadResult result;
  Interner interner(options, result.table);
  std::size_t bytes_read = 0;
  std::string batch;
  std::string carry;  // an incomplete last line, completed by the next batch
  bool at_end = false;
  while (!at_end) {
    batch.swap(carry);
    carry.clear();
    const std::size_t had = batch.size();
    batch.resize(had + kBatchBytes);
    in.read(batch.data() + had, static_cast<std::streamsize>(kBatchBytes));
    const auto got = static_cast<std::size_t>(in.gcount());
    batch.resize(had + got);
    if (in.bad()) throw_io(name, "read error");
    at_end = got < kBatchBytes;
    if (!at_end) {
      const auto newline = batch.rfind('\n');
      if (newline == std::string::npos) {  // one line longer than a batch: keep reading
        carry.swap(batch);
        continue;
      }
      carry.assign(batch, newline + 1);
      batch.resize(newline + 1);
    }
    const auto chunks = chunks_of(batch);
    ordered_parallel_for(
        chunks.size(), std::max(1u, options.jobs),
        [&](std::size_t i) { return parse_chunk(options, chunks[i], name); },
        [&](std::size_t, ParsedChunk&& chunk) {
          for (auto& problem : chunk.problems) {
            problem.line += result.lines_read;
            ++result.bad_lines;
            if (options.strict) throw_data(problem.source + ":" + std::to_string(problem.line), problem.reason);
            if (callbacks.problem) callbacks.problem(problem);
          }
          result.lines_read += chunk.lines;
          for (auto& item : chunk.items) interner.add(std::move(item));
          result.lines.append(std::move(chunk.block));
          bytes_read += chunk.bytes;
          if (callbacks.progress) callbacks.progress(bytes_read);
        });
  }
  return result;
}

}  // namespace clipset::split_detail
