#pragma once
// Pieces of suspects shared between its source files (not part of the public API).

#include <string>
#include <vector>

#include "clipset/suspects.hpp"
#include "curve_internal.hpp"

namespace clipset::detail {

// The clips to score: learning-curve's items (class, group, audio), and per item its origin and
// its line text without `suspect`.
struct SuspectsData {
  LearnDataset learn;
  std::vector<ClipOrigin> origins;
  std::vector<std::string> texts;
};

// Reads every line; counts and names what is left out in result. Throws clipset::Error (usage)
// when no item has a split, fewer than two classes can be scored, or the rates differ.
SuspectsData read_suspects_data(const SuspectsOptions& options, std::istream& manifest, const std::string& name,
                                const SuspectsCallbacks& callbacks, SuspectsResult& result);

// Each group (by its key) to one of `folds` folds, so that no recording is scored by a model that
// saw it: the largest groups first (ties in an order drawn from `seed`), each to the fold with
// the fewest clips of its class so far. fold_of[i] for item i; items of unusable rows get a fold too.
std::vector<std::size_t> assign_folds(const LearnDataset& data, std::size_t folds, std::uint64_t seed);

// Out-of-fold class probabilities, rows x classes: row i from a model trained on the other folds'
// usable rows. Rows not usable stay zero.
std::vector<std::vector<double>> out_of_fold_probabilities(const LearnDataset& data, const FeatureMatrix& features,
                                                           const std::vector<bool>& usable,
                                                           const std::vector<std::size_t>& fold_of, std::size_t folds,
                                                           const SuspectsOptions& options,
                                                           const SuspectsCallbacks& callbacks);

// The confident-learning ranking of scored rows (usable): per-class thresholds, suspects most
// suspect first (without record and origin).
struct Ranking {
  std::vector<ClassThreshold> classes;
  std::vector<std::size_t> rows;  // the suspects' rows, most suspect first
  std::vector<Suspect> suspects;
  std::size_t scored = 0, correct = 0;
};
Ranking rank_suspects(const LearnDataset& data, const std::vector<std::vector<double>>& probabilities,
                      const std::vector<bool>& usable);

}  // namespace clipset::detail
