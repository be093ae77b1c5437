#pragma once
// Work split across machines: which shard an item belongs to, how `I/N` and `auto` are read
// (from a Slurm array or a Kubernetes Indexed Job), and the format of a shard's output, which
// `clipset merge` puts back in the order of a one-machine run. One rule for every command that
// shards its work. See docs/merge.md and docs/recipes/scale.md.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clipset/manifest.hpp"

namespace clipset {

// One part of a partition of a run's work, numbered from 0: index in [0, count).
struct Shard {
  std::size_t index = 0;
  std::size_t count = 1;
  std::string text() const;  // "2/7"
  bool operator==(const Shard& other) const { return index == other.index && count == other.count; }
};

// The most shards a run may have (more would be one shard per few recordings of any real lake).
inline constexpr std::size_t kMaxShards = 1000000;

// Environment variables by name: the part of the environment a shard is taken from.
using Environment = std::map<std::string, std::string>;

// Reads a shard: "I/N" (0 <= I < N), "auto" (a Slurm array job: index SLURM_ARRAY_TASK_ID -
// SLURM_ARRAY_TASK_MIN, count SLURM_ARRAY_TASK_COUNT) or "auto/N" (a Kubernetes Indexed Job:
// index JOB_COMPLETION_INDEX, or a Slurm array of N tasks). An array with gaps or a step other
// than 1 is refused: its task id is then no rank. Throws clipset::Error (usage) whose subject is
// the text and whose reason says what is wrong and what would be right.
Shard parse_shard(std::string_view text, const Environment& environment);

// The variables parse_shard reads, from this process's environment.
Environment shard_environment();

// The shard (of `count`) that work keyed by `key` belongs to: the first 8 bytes of the SHA-256 of
// the key, as a big-endian number, modulo count. The same on every machine and platform.
std::size_t shard_of_key(std::string_view key, std::size_t count);
// The shard of an item: by its group key (item_keys.hpp), so every clip of a recording and every
// recording of a group land in one shard.
std::size_t shard_of(const Item& item, std::size_t count);
bool in_shard(const Item& item, const Shard& shard);

// ------------------------------------------------------------------------ a shard's output
// A shard's output is JSON Lines: first a header line naming the run, then the records, each
// with its place in the one-machine output as its last field:
//   {"clipset_shard":{"version":1,"command":"segment","settings":"3f9a0c1d2b4e","shard":"1/4"}}
//   {"id":"dog__a__000000",...,"shard_order":[3,0]}
// A shard with nothing to do writes the header alone, so that merge sees it was run.

struct ShardHeader {
  std::string command;   // the subcommand that wrote the shard
  std::string settings;  // digest of the settings that shape its records: shards of one run agree
  Shard shard;
  // Work the merge finishes because it needs every shard: "duplicate_of" (ingest marks an item
  // whose content an earlier item has; the earlier one may be in another shard).
  std::vector<std::string> deferred;
};

// A record's place in the one-machine output: compared element by element.
using ShardOrder = std::vector<std::uint64_t>;

std::string shard_header_line(const ShardHeader& header);  // no newline
// The header a line holds, or nullopt when the line is no shard header (a plain record). Throws
// clipset::Error (data, empty subject) for a header it cannot read.
std::optional<ShardHeader> parse_shard_header(std::string_view line);

// `record_line` (one JSON object) with `order` appended as its last field.
std::string with_shard_order(std::string_view record_line, const ShardOrder& order);
// A shard record split into the record as the one-machine run writes it and its order. Throws
// clipset::Error (data, empty subject) when the line does not end with a shard order.
struct ShardRecord {
  std::string record;
  ShardOrder order;
};
ShardRecord split_shard_order(std::string_view line);

// An item read back from a shard's output, without its order (a resumed shard writes it anew).
void drop_shard_order(Item& item);

// Writes a shard's output: the header at construction, then records with their order.
class ShardWriter {
 public:
  // Throws clipset::Error (io) when the stream fails.
  ShardWriter(std::ostream& out, std::string display_name, const ShardHeader& header);
  void write(std::string_view record_line, const ShardOrder& order);
  void write(const Item& item, const ShardOrder& order) { write(item_to_line(item), order); }

 private:
  void check();
  std::ostream& out_;
  std::string display_name_;
};

}  // namespace clipset
