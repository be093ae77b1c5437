#pragma once
// The split module's internals: a compact table of what splitting needs from each item, and the
// items' canonical text waiting for their split. A million items take tens of bytes each here
// plus their text, instead of a full Item each.

#include <cstddef>
#include <cstdint>
#include <istream>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "clipset/manifest_blocks.hpp"
#include "clipset/split.hpp"
#include "partition.hpp"

namespace clipset::split_detail {

// The canonical lines of all good items, without `split` and `fold`, in input order, with the
// offset where those two fields belong. Stored in the blocks the reader produced.
class LineStore {
 public:
  struct Block {
    std::string text;                  // lines back to back, no newlines
    std::vector<std::uint32_t> ends;   // end of each line in text
    std::vector<std::uint32_t> splices;  // where split/fold go, in text
  };
  void append(Block&& block);
  std::size_t size() const noexcept { return count_; }
  // fn(item index, text before split, text after fold)
  template <class Fn>
  void for_each(Fn&& fn) const {
    std::size_t index = 0;
    for (const auto& block : blocks_) {
      std::uint32_t begin = 0;
      for (std::size_t i = 0; i < block.ends.size(); ++i) {
        const std::string_view text(block.text);
        fn(index++, text.substr(begin, block.splices[i] - begin), text.substr(block.splices[i], block.ends[i] - block.splices[i]));
        begin = block.ends[i];
      }
    }
  }

 private:
  std::vector<Block> blocks_;
  std::size_t count_ = 0;
};

// Splits the canonical JSON of an item (split and fold removed) into the text before and after
// the place of `split`, appending both to `text`; returns the offset of that place.
std::uint32_t append_canonical(Json record, std::string& text);
// Appends a manifest line's own text without its split and fold members and returns the offset
// where the new ones go: after the members that come before split in the canonical order, or at
// the end. Every other byte of the line is kept. Nothing is appended (nullopt) when the line
// cannot be spliced safely: a top-level key written with an escape, or no manifest_version (the
// line is then written canonically, and so gains its version).
std::optional<std::uint32_t> append_spliced(std::string_view line, std::string& text);
// Whether a top-level key comes before "split" in the canonical order.
bool comes_before_split(std::string_view key);

// Group values are interned as nodes; items that share a node belong to one group.
constexpr std::uint16_t kIdField = 0xffff;  // the fallback node of an item without any --group-by field

struct ItemTable {
  std::size_t count = 0;
  std::vector<std::uint32_t> node_begin{0};  // item i's nodes: nodes[node_begin[i], node_begin[i+1])
  std::vector<std::uint32_t> nodes;
  std::vector<std::uint32_t> class_begin{0};
  std::vector<std::uint32_t> classes;  // class ids in first-seen order (see class_names)
  std::vector<std::int64_t> micros;    // duration in microseconds, -1: none
  std::vector<std::int16_t> split;     // existing split: index in names, -1 none, -2 not in names
  std::vector<std::int32_t> fold;      // existing fold, -1 none
  std::vector<std::int16_t> holdout;   // first matching --holdout rule, -1 none

  std::vector<std::pair<std::uint16_t, std::string>> node_values;  // (field or kIdField, key)
  std::vector<std::string> class_names;
  std::map<std::string, std::size_t> unknown_splits;  // existing splits not in --names
  std::size_t ungrouped = 0;
  std::vector<std::string> ungrouped_examples;
  std::map<std::string, std::size_t> missing_field;
  std::vector<std::size_t> holdout_matches;  // per rule, items matching it

  std::unordered_map<std::string, std::uint32_t> class_index;
  std::vector<std::unordered_map<std::string, std::uint32_t>> node_index;  // per field, ids last
};

struct ReadResult {
  ItemTable table;
  LineStore lines;
  std::size_t lines_read = 0;
  std::size_t bad_lines = 0;
};

// Reads and parses the manifest (in parallel over blocks of lines; the result never depends on
// options.jobs). Bad lines go to callbacks.problem; with options.strict the first one throws.
ReadResult read_items(const SplitOptions& options, ManifestBlocks& input,
                      const SplitCallbacks& callbacks);

// Groups: connected components of items sharing a node, numbered by their smallest node
// (field order, then bytes of the key), so the numbering does not depend on line order.
struct Groups {
  std::size_t count = 0;
  std::vector<std::uint32_t> of_item;
  std::vector<std::string> key;        // for reports: "value", or "field=value" with several fields
  std::vector<std::string> hash_name;  // what --method hash hashes: the smallest node's key
};
Groups build_groups(const ItemTable& table, const SplitOptions& options);

// Per item: split index, fold (-1 none).
struct Assignment {
  std::vector<std::int16_t> split;
  std::vector<std::int32_t> fold;
  std::vector<char> held_out;  // per item: placed by --holdout, outside the ratios
};

// What the report needs besides the assignment.
struct Facts {
  std::vector<std::int64_t> weight;          // per item: 1, or microseconds
  std::vector<std::uint32_t> class_begin;    // classes renumbered by name
  std::vector<std::uint32_t> classes;
  std::vector<std::string> class_names;      // sorted
};
Facts item_facts(const ItemTable& table, const SplitOptions& options);

// Decides every item's split and fold; fills the report's kept/holdout/conflict fields.
Assignment assign(const SplitOptions& options, const ItemTable& table, const Groups& groups, const Facts& facts,
                  SplitReport& report);

// Tallies per split, class and fold, large groups, sparse classes.
void tally(const SplitOptions& options, const ItemTable& table, const Groups& groups, const Facts& facts,
           const Assignment& assignment, SplitReport& report);

// Names used by both report formats.
inline const char* method_name(SplitMethod m) { return m == SplitMethod::hash ? "hash" : "balanced"; }
inline const char* weight_name(SplitWeight w) { return w == SplitWeight::seconds ? "seconds" : "items"; }
inline std::vector<std::string> fold_names(int count) {
  std::vector<std::string> names;
  for (int f = 0; f < count; ++f) names.push_back(std::to_string(f));
  return names;
}

// With near_dup among the --group-by fields, throws clipset::Error (usage) when no item has it:
// the manifest was not annotated by dups, and every cluster would silently fall apart.
void require_near_dup_field(const SplitOptions& options, const ItemTable& table, const std::string& input_name);

// Writes every item with its split and fold. Throws clipset::Error (io) when `out` fails.
void write_items(const LineStore& lines, const Assignment& assignment, const std::vector<std::string>& names,
                 std::ostream& out, const std::string& name);

}  // namespace clipset::split_detail
