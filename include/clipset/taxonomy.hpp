#pragma once
// Label hierarchies: a plain label list, "parent/child" paths, or the AudioSet ontology JSON.
// validate checks labels against one, stats rolls counts up to one of its levels, ingest and
// relabel send labels outside one to an "unknown" class. See docs/validate.md (--taxonomy).

#include <cstddef>
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
  // The nodes a count of `node` rolls up to at depth `level` (1: the roots): on every path from a
  // root down to the node, the node at that depth, or the node itself where the path is shorter.
  // Several when the node has several parents; in file order, each once. Paths through a cycle
  // of a hand-made graph stop where they would repeat a node.
  std::vector<std::size_t> ancestors_at_level(std::size_t node, std::size_t level) const;
};

// Reads a taxonomy, recognising the format: JSON (the AudioSet ontology: a list of objects with
// "id", "name", "child_ids"), a "parent/child" path per line, or a plain label per line. Blank
// lines and lines starting with '#' are skipped. Throws clipset::Error (usage) naming
// "name:line" for bad content, (io) when the file cannot be read.
Taxonomy parse_taxonomy(std::string_view text, const std::string& name);

// The names a label's counts roll up to at depth `level` (Taxonomy::ancestors_at_level); the
// label itself, unchanged, when the taxonomy does not know it.
std::vector<std::string> roll_up_label(const Taxonomy& taxonomy, const std::string& label, std::size_t level);
Taxonomy read_taxonomy(const std::string& file);

}  // namespace clipset
