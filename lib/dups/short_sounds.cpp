// Short sounds (a word, a bark): too short for a Chromaprint sub-fingerprint, compared by their
// log-mel spectrograms instead. Each band's mean is taken out (gain, and the tilt a codec or a
// phone's microphone puts on the spectrum), and two spectrograms are set against each other at
// every offset that leaves most of the shorter one overlapping: the best Pearson correlation is
// the score. Candidates come from the spectral shape (the mean band levels) hashed by random
// hyperplanes into several tables: pairs sharing a bucket in any table are compared.

#include <algorithm>
#include <cmath>
#include <tuple>

#include "clipset/dups.hpp"
#include "clipset/features.hpp"
#include "clipset/prng.hpp"
#include "clipset/thread_pool.hpp"
#include "internal.hpp"

namespace clipset::dups_detail {

namespace {

constexpr double kFloorDb = 80;     // levels more than this under the peak count as the floor
constexpr double kCellDb = 0.5;     // a stored cell's step
constexpr std::size_t kTables = 12;  // hash tables over the spectral shape
constexpr int kKeyBits = 8;          // hyperplanes per table
constexpr std::size_t kMaxBucket = 2000;  // a bucket this full says little: its pairs are skipped
constexpr double kMinOverlapShare = 0.7;  // of the shorter sound

LogMelOptions short_options() {
  LogMelOptions o;
  o.window_seconds = 0.025;
  o.hop_seconds = 0.010;
  o.mel_bands = static_cast<int>(kShortBands);
  o.min_hz = 100;   // below: rumble and handling noise
  o.max_hz = 3800;  // above: what AMR-NB (8 kHz) removes
  return o;
}

std::int8_t cell(double db) { return static_cast<std::int8_t>(std::clamp(std::lround(db / kCellDb), -127L, 127L)); }

// Random hyperplanes, the same on every run (a fixed seed).
const std::vector<float>& hyperplanes() {
  static const std::vector<float> planes = [] {
    Prng prng(0x5eedd0f5, 21);
    std::vector<float> p(kTables * kKeyBits * kShortBands);
    for (auto& v : p) v = static_cast<float>(static_cast<double>(prng.next() >> 11) / 9007199254740992.0 * 2 - 1);
    return p;
  }();
  return planes;
}

std::uint32_t table_key(const ShortSpectrogram& s, std::size_t table) {
  const float* plane = hyperplanes().data() + table * kKeyBits * kShortBands;
  std::uint32_t key = 0;
  for (int bit = 0; bit < kKeyBits; ++bit, plane += kShortBands) {
    double dot = 0;
    for (std::size_t b = 0; b < kShortBands; ++b) dot += plane[b] * s.shape[b];
    key |= static_cast<std::uint32_t>(dot > 0) << bit;
  }
  return key;
}

}  // namespace

double short_hop() { return short_options().hop_seconds; }

ShortSpectrogram short_spectrogram(const std::vector<float>& mono, int rate) {
  LogMelExtractor extractor(rate, short_options());
  const FeatureMatrix db = extractor.spectrogram(mono.data(), mono.size());
  ShortSpectrogram s;
  s.frames = db.rows;
  if (db.rows == 0) return s;
  const double peak = *std::max_element(db.values.begin(), db.values.end());
  std::vector<double> floored(db.values.size());
  std::transform(db.values.begin(), db.values.end(), floored.begin(), [&](double v) { return std::max(v, peak - kFloorDb); });
  std::vector<double> mean(kShortBands, 0);
  for (std::size_t t = 0; t < db.rows; ++t) {
    for (std::size_t b = 0; b < kShortBands; ++b) mean[b] += floored[t * kShortBands + b] / static_cast<double>(db.rows);
  }
  double overall = 0;
  for (const double m : mean) overall += m / kShortBands;
  s.cells.resize(floored.size());
  for (std::size_t k = 0; k < floored.size(); ++k) s.cells[k] = cell(floored[k] - mean[k % kShortBands]);
  for (std::size_t b = 0; b < kShortBands; ++b) s.shape[b] = cell(mean[b] - overall);
  return s;
}

double frames_correlation(const ShortSpectrogram& a, const ShortSpectrogram& b, std::size_t a_begin, std::size_t b_begin,
                          std::size_t frames) {
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  const std::int8_t* x = a.cells.data() + a_begin * kShortBands;
  const std::int8_t* y = b.cells.data() + b_begin * kShortBands;
  const std::size_t cells = frames * kShortBands;
  for (std::size_t k = 0; k < cells; ++k) {
    sx += x[k], sy += y[k], sxx += x[k] * x[k], syy += y[k] * y[k], sxy += x[k] * y[k];
  }
  const double c = static_cast<double>(cells);
  const double den = std::sqrt((sxx - sx * sx / c) * (syy - sy * sy / c));
  return den > 0 ? (sxy - sx * sy / c) / den : 0;
}

ShortAlignment align_short(const ShortSpectrogram& a, const ShortSpectrogram& b, std::int64_t max_shift) {
  ShortAlignment best;
  const auto na = static_cast<std::int64_t>(a.frames), nb = static_cast<std::int64_t>(b.frames);
  const auto need = static_cast<std::int64_t>(std::ceil(kMinOverlapShare * static_cast<double>(std::min(na, nb))));
  std::int64_t lowest = need - nb, highest = na - need;
  if (max_shift >= 0) lowest = std::max(lowest, -max_shift), highest = std::min(highest, max_shift);
  for (std::int64_t offset = lowest; offset <= highest; ++offset) {  // b's frame j is a's j + offset
    const std::int64_t a0 = std::max<std::int64_t>(0, offset), b0 = a0 - offset;
    const std::int64_t n = std::min(na - a0, nb - b0);
    const double r = frames_correlation(a, b, static_cast<std::size_t>(a0), static_cast<std::size_t>(b0), static_cast<std::size_t>(n));
    if (r > best.correlation) best = {r, static_cast<std::size_t>(a0), static_cast<std::size_t>(b0), static_cast<std::size_t>(n)};
  }
  return best;
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> short_candidates(const std::vector<const ShortSpectrogram*>& sounds) {
  std::vector<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> entries;  // (table, key, sound)
  for (std::size_t i = 0; i < sounds.size(); ++i) {
    for (std::size_t t = 0; t < kTables; ++t) {
      entries.emplace_back(static_cast<std::uint32_t>(t), table_key(*sounds[i], t), static_cast<std::uint32_t>(i));
    }
  }
  std::sort(entries.begin(), entries.end());
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::size_t begin = 0; begin < entries.size();) {
    std::size_t end = begin + 1;
    const auto same = [&](std::size_t k) {
      return std::get<0>(entries[k]) == std::get<0>(entries[begin]) && std::get<1>(entries[k]) == std::get<1>(entries[begin]);
    };
    while (end < entries.size() && same(end)) ++end;
    if (end - begin <= kMaxBucket) {
      for (std::size_t x = begin; x < end; ++x) {
        for (std::size_t y = x + 1; y < end; ++y) pairs.emplace_back(std::get<2>(entries[x]), std::get<2>(entries[y]));
      }
    }
    begin = end;
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

}  // namespace clipset::dups_detail

namespace clipset {

using namespace dups_detail;

std::vector<FingerprintMatch> match_short_sounds(const std::vector<const ShortSpectrogram*>& sounds, double min_correlation, unsigned jobs) {
  std::vector<const ShortSpectrogram*> usable;
  std::vector<std::size_t> index;
  for (std::size_t i = 0; i < sounds.size(); ++i) {
    if (sounds[i] != nullptr && sounds[i]->frames >= kMinShortFrames) {
      usable.push_back(sounds[i]);
      index.push_back(i);
    }
  }
  const auto pairs = short_candidates(usable);
  std::vector<FingerprintMatch> matches;
  const double hop = short_hop();
  ordered_parallel_for(
      pairs.size(), jobs, [&](std::size_t p) { return align_short(*usable[pairs[p].first], *usable[pairs[p].second]); },
      [&](std::size_t p, const ShortAlignment& at) {
        if (at.length == 0 || at.correlation < min_correlation) return;
        FingerprintMatch m;
        m.method = MatchMethod::spectrogram;
        m.a = index[pairs[p].first];
        m.b = index[pairs[p].second];
        m.score = at.correlation;
        m.a_start = static_cast<double>(at.a_begin) * hop;
        m.b_start = static_cast<double>(at.b_begin) * hop;
        m.a_end = m.a_start + static_cast<double>(at.length) * hop;
        m.b_end = m.b_start + static_cast<double>(at.length) * hop;
        matches.push_back(m);
      });
  return matches;
}

}  // namespace clipset
