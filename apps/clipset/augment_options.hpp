#pragma once
// What a copy is made of (--copies, --shift, --gain, --speed, --noise, --snr), shared by augment
// and learning-curve --augment, which makes the same copies in memory.

#include <string>

#include <CLI/CLI.hpp>

#include "cli_common.hpp"
#include "clipset/augment.hpp"

namespace clipset::app {

struct AugmentRecipeArgs {
  unsigned copies = 1;
  bool shift = false;
  std::string gain;
  std::string speed;
  std::string noise;
  std::string snr;
  // Whether any option changes a copy (a copy with none would equal its original).
  bool any() const { return shift || !gain.empty() || !speed.empty() || !noise.empty(); }
};

void add_augment_recipe_options(CLI::App& command, AugmentRecipeArgs& args);

// Fills the recipe part of `options`; the --noise manifest is read, its bad lines reported.
void apply_augment_recipe(const AugmentRecipeArgs& args, AugmentOptions& options, Reporter& report);

}  // namespace clipset::app
