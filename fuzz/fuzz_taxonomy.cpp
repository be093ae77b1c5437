// The taxonomy readers: a plain label list, "parent/child" paths, and the AudioSet ontology
// JSON (ids, names, child_ids: a graph that may hold cycles or dangling ids). Every node must
// be findable by its name, and ancestry queries must terminate.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "clipset/error.hpp"
#include "clipset/validate.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = clipset::fuzz::as_text(data, size);
  clipset::Taxonomy taxonomy;
  try {
    taxonomy = clipset::parse_taxonomy(text, "fuzz-taxonomy");
  } catch (const clipset::Error&) {
    return 0;
  }
  const std::size_t n = taxonomy.nodes.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto& node = taxonomy.nodes[i];
    if (!taxonomy.find(node.name)) std::abort();
    for (const auto p : node.parents) {
      if (p >= n) std::abort();
    }
    for (const auto c : node.children) {
      if (c >= n) std::abort();
    }
  }
  // A bounded number of ancestry queries (they walk the graph).
  for (std::size_t i = 0; i < n && i < 16; ++i) {
    for (std::size_t j = 0; j < n && j < 16; ++j) (void)taxonomy.is_ancestor(i, j);
  }
  return 0;
}
