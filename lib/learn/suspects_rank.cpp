// Confident learning (Northcutt et al., "Confident Learning: Estimating Uncertainty in Dataset
// Labels", 2021): a class's threshold is the mean out-of-fold probability its own clips get; a
// clip is a suspect when its own class falls short of its threshold while another class reaches
// its own. Suspects are ranked by self-confidence: the lower the probability of the given label,
// the more suspect.

#include <algorithm>
#include <numeric>
#include <optional>

#include "suspects_internal.hpp"

namespace clipset::detail {

namespace {

std::vector<ClassThreshold> thresholds(const LearnDataset& data, const std::vector<std::vector<double>>& p,
                                       const std::vector<bool>& usable) {
  std::vector<ClassThreshold> out(data.classes.size());
  for (std::size_t c = 0; c < out.size(); ++c) out[c].label = data.classes[c];
  for (std::size_t i = 0; i < data.items.size(); ++i) {
    if (!usable[i]) continue;
    const auto c = static_cast<std::size_t>(data.items[i].label);
    ++out[c].clips;
    out[c].threshold += p[i][c];
  }
  for (ClassThreshold& t : out) t.threshold = t.clips ? t.threshold / double(t.clips) : 1.0;
  return out;
}

// The class suggested instead of the given one: the most probable of those reaching their
// threshold; none when the given class reaches its own or no other class reaches its.
std::optional<std::size_t> suggestion(const std::vector<double>& p, std::size_t given, const std::vector<ClassThreshold>& t) {
  if (p[given] >= t[given].threshold) return std::nullopt;
  std::optional<std::size_t> best;
  for (std::size_t c = 0; c < p.size(); ++c) {
    if (c == given || p[c] < t[c].threshold) continue;
    if (!best || p[c] > p[*best]) best = c;
  }
  return best;
}

}  // namespace

Ranking rank_suspects(const LearnDataset& data, const std::vector<std::vector<double>>& probabilities,
                      const std::vector<bool>& usable) {
  Ranking ranking;
  ranking.classes = thresholds(data, probabilities, usable);
  for (std::size_t i = 0; i < data.items.size(); ++i) {
    if (!usable[i]) continue;
    const std::vector<double>& p = probabilities[i];
    const auto given = static_cast<std::size_t>(data.items[i].label);
    ++ranking.scored;
    if (std::max_element(p.begin(), p.end()) - p.begin() == static_cast<std::ptrdiff_t>(given)) ++ranking.correct;
    const auto suggested = suggestion(p, given, ranking.classes);
    if (!suggested) continue;
    ++ranking.classes[given].suspects;
    ranking.rows.push_back(i);
    Suspect s;
    s.id = data.items[i].id;
    s.given = data.classes[given];
    s.suggested = data.classes[*suggested];
    s.given_probability = p[given];
    s.suggested_probability = p[*suggested];
    s.score = 1.0 - p[given];
    ranking.suspects.push_back(std::move(s));
  }
  // Most suspect first; on a tie the larger margin, then manifest order: the same for any --jobs.
  std::vector<std::size_t> order(ranking.suspects.size());
  std::iota(order.begin(), order.end(), 0);
  const auto& s = ranking.suspects;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (s[a].score != s[b].score) return s[a].score > s[b].score;
    return s[a].suggested_probability - s[a].given_probability > s[b].suggested_probability - s[b].given_probability;
  });
  Ranking sorted = ranking;
  for (std::size_t k = 0; k < order.size(); ++k) {
    sorted.suspects[k] = ranking.suspects[order[k]];
    sorted.suspects[k].rank = k + 1;
    sorted.rows[k] = ranking.rows[order[k]];
  }
  return sorted;
}

}  // namespace clipset::detail
