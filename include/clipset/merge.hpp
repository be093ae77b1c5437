#pragma once
// `merge`: the outputs of a run's shards back into the one output a one-machine run writes, byte
// for byte; or whole manifests (from several laptops) into one, each item once. See docs/merge.md.

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clipset/manifest.hpp"
#include "clipset/shard.hpp"

namespace clipset {

struct MergeInput {
  std::string name;  // as the user gave it, "(stdin)" for -
  std::istream* stream = nullptr;
};

struct MergeOptions {
  std::optional<std::size_t> expect;  // the shard count the inputs must be, with every shard present
};

// One item (or, in shards, one record place) with two different contents.
struct MergeConflict {
  std::string id;  // the item's id; for records without one (findings), "order [a,b,...]"
  std::string first_file;
  std::size_t first_line = 0;
  std::string second_file;
  std::size_t second_line = 0;
};

struct MergeSummary {
  std::optional<ShardHeader> run;  // the run the shards belong to (its shard: the first input's); nullopt: manifests
  std::vector<std::size_t> shards;   // shard indexes present, ascending
  std::vector<std::size_t> missing;  // shard indexes of the run that no input holds
  std::size_t records = 0;           // records written
  std::size_t duplicates = 0;        // identical records collapsed
  std::size_t conflicts = 0;
  std::size_t problems = 0;          // lines that could not be read
};

struct MergeCallbacks {
  std::function<void(std::string_view line)> record;  // each output line, without its newline, in order
  std::function<void(const MergeConflict&)> conflict;
  std::function<void(const ManifestProblem&)> problem;
};

// Shard outputs (each starting with its shard header) are merged by each record's shard order,
// all from one run (same command, settings and shard count); work the shards deferred (ingest's
// duplicate_of) is done here. Plain manifests are merged in the order given, each id once.
// Identical records collapse; the same id (or order) with different contents is a conflict: the
// first is kept. Throws clipset::Error (data) before writing anything when the inputs do not
// belong together (shards of different runs, shards mixed with manifests, an expected shard
// missing), (usage) when an expected count is given for manifests, (io) on a read error.
MergeSummary merge(const std::vector<MergeInput>& inputs, const MergeOptions& options, const MergeCallbacks& callbacks);

}  // namespace clipset
