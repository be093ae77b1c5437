#pragma once
// augment's parts: drawing a copy's recipe, making its record.

#include <cstddef>
#include <vector>

#include "clipset/augment.hpp"
#include "clipset/augment_recipe.hpp"

namespace clipset::detail {

// A background recording of the pool: its manifest path and length.
struct Background {
  std::string id;
  std::string path;
  double duration = 0;
};
// The pool's usable items (a path and a positive duration), in manifest order.
std::vector<Background> background_pool(const std::vector<Item>& noise);

// Longest time shift, as a fraction of the clip's length.
inline constexpr double kMaxShiftFraction = 0.25;

// Where a copy of `item` reads its audio: the recording it was cut from (to shift, and for a
// virtual clip), else its own file. Throws clipset::Error (data, empty subject) when it has none.
AugmentRecipe input_of(const Item& item, const AugmentOptions& options);

// Copy `index` (1-based) of `item`: its record, with the recipe in `augmented_from` and
// `augment`. Every draw depends on the seed, the item's id and the index only. `input_seconds`
// is the length of the recording the copy reads, when known: the window then stays inside it.
// Throws clipset::Error (data, empty subject) when the item has no audio to copy.
Item make_copy(const Item& item, std::size_t index, const AugmentOptions& options, const std::vector<Background>& pool,
               std::optional<double> input_seconds);

// The group key an item and its copies share: an item grouped by nothing but its own id gets
// that id as its `group` (so copy and original have the key "group=<id>").
void pin_group(Item& item);

}  // namespace clipset::detail
