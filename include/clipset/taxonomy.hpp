#pragma once
// Label hierarchies: a plain label list, "parent/child" paths, or the AudioSet ontology JSON.
// validate checks labels against one, stats rolls counts up to one of its levels, ingest and
// relabel send labels outside one to an "unknown" class. See docs/validate.md (--taxonomy).

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clipset {

// A label hierarchy. A label is known by its name and, for the AudioSet ontology, its id too.
// Several parents are allowed (the AudioSet ontology is a graph, not a tree).
struct Taxonomy {
  struct Node {
    std::string name;
    std::string id;  // AudioSet "/m/..." id, or the full path for a path list; may equal name
    std::vector<std::size_t> parents;
    std::vector<std::size_t> children;
  };
  enum class Format { list, paths, audioset };

  Format format = Format::list;
  std::vector<Node> nodes;  // in file order
  std::map<std::string, std::size_t, std::less<>> by_label;  // name and id -> node (first wins)
  std::map<std::string, std::size_t, std::less<>> by_lower_name;  // lower-cased name -> node (first wins)

  // The node a manifest label names, or nullopt.
  std::optional<std::size_t> find(std::string_view label) const;
  // The node a label would name but for letter case ("bird" for "Bird"), or nullopt.
  std::optional<std::size_t> find_ignoring_case(std::string_view label) const;
  // The node a misspelt label most likely means: the same but for letter case, else the name
  // nearest by edit_distance (clipset/text.hpp), ignoring case, within 1 for names of up to 4
  // bytes and 2 beyond; the first in file order on a tie; nullopt when none is that near.
  std::optional<std::size_t> find_near(std::string_view label) const;
  // Whether `ancestor` is a strict ancestor of `node`.
  bool is_ancestor(std::size_t ancestor, std::size_t node) const;
};

// Counts rolled up to depth `level` of a taxonomy (1: its roots, nodes without parents). A node's
// count goes, for every path from a root down to it, to the node at that depth on the path, or to
// the node itself where the path is shorter: several nodes when it has several parents. A node no
// root reaches (a cycle in a hand-made graph) counts as itself. Cost: one pass over the edges per
// depth up to `level` when made, then a walk over the node's ancestors per call, so deep chains
// and graphs with many paths neither recurse nor enumerate paths.
class TaxonomyRollup {
 public:
  static constexpr std::size_t kMaxLevel = 64;
  // Keeps a reference to the taxonomy. Throws clipset::Error (usage) for a level of 0 or above kMaxLevel.
  TaxonomyRollup(const Taxonomy& taxonomy, std::size_t level);
  // The nodes, in file order, each once.
  std::vector<std::size_t> ancestors(std::size_t node) const;
  // Their names; the label itself, unchanged, when the taxonomy does not know it.
  std::vector<std::string> roll_up(const std::string& label) const;

 private:
  const Taxonomy* taxonomy_;
  std::size_t level_;
  std::vector<std::uint64_t> depths_;  // per node, bit d-1: some root path reaches it at depth d <= level
  std::vector<bool> reachable_;        // some root path reaches it at all
};

// The most parts a "parent/child/..." line may have.
inline constexpr std::size_t kMaxTaxonomyPathDepth = 1000;

// Reads a taxonomy, recognising the format: JSON (the AudioSet ontology: a list of objects with
// "id", "name", "child_ids"), a "parent/child" path per line, or a plain label per line. Blank
// lines and lines starting with '#' are skipped. Throws clipset::Error (usage) naming
// "name:line" for bad content, (io) when the file cannot be read.
Taxonomy parse_taxonomy(std::string_view text, const std::string& name);

Taxonomy read_taxonomy(const std::string& file);

}  // namespace clipset
