// Pairs of fingerprints that hold the same sound. Candidates: sub-fingerprint values two
// fingerprints share, counted per pair and offset (re-encoded copies keep a good share of their
// values bit for bit; unrelated audio shares almost none at one offset). Each candidate offset is
// then checked over the whole overlap by the share of differing bits.

#include <algorithm>
#include <bit>
#include <cmath>

#include "clipset/dups.hpp"
#include "clipset/thread_pool.hpp"
#include "internal.hpp"

namespace clipset {

namespace dups_detail {

namespace {

struct Posting {
  std::uint32_t value;
  std::uint32_t print;
  std::uint32_t position;
};

std::vector<Posting> postings_of(const std::vector<AudioFingerprint>& prints) {
  std::vector<Posting> postings;
  std::size_t total = 0;
  for (const auto& p : prints) total += p.values.size();
  postings.reserve(total);
  for (std::size_t i = 0; i < prints.size(); ++i) {
    const auto& values = prints[i].values;
    for (std::size_t k = 0; k < values.size(); ++k) {
      postings.push_back({values[k], static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(k)});
    }
  }
  std::sort(postings.begin(), postings.end(), [](const Posting& x, const Posting& y) {
    return std::tie(x.value, x.print, x.position) < std::tie(y.value, y.print, y.position);
  });
  return postings;
}

}  // namespace

std::vector<Hit> shared_values(const std::vector<AudioFingerprint>& prints, std::size_t max_posting) {
  const auto postings = postings_of(prints);
  std::vector<Hit> hits;
  for (std::size_t begin = 0; begin < postings.size();) {
    std::size_t end = begin + 1;
    while (end < postings.size() && postings[end].value == postings[begin].value) ++end;
    if (end - begin <= max_posting) {  // a value half the lake has (silence) tells nothing
      for (std::size_t x = begin; x < end; ++x) {
        for (std::size_t y = x + 1; y < end; ++y) {
          if (postings[x].print == postings[y].print) continue;
          hits.push_back({postings[x].print, postings[y].print,
                          static_cast<std::int32_t>(postings[x].position) - static_cast<std::int32_t>(postings[y].position)});
        }
      }
    }
    begin = end;
  }
  std::sort(hits.begin(), hits.end());
  return hits;
}

Alignment align(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b, std::int32_t offset) {
  // b's value j lines up with a's value j + offset.
  const std::int64_t a_begin = std::max<std::int64_t>(0, offset);
  const std::int64_t b_begin = a_begin - offset;
  const std::int64_t n = std::min<std::int64_t>(static_cast<std::int64_t>(a.size()) - a_begin, static_cast<std::int64_t>(b.size()) - b_begin);
  Alignment result;
  result.offset = offset;
  if (n <= 0) return result;
  std::uint64_t differing = 0;
  for (std::int64_t k = 0; k < n; ++k) differing += static_cast<std::uint64_t>(std::popcount(a[a_begin + k] ^ b[b_begin + k]));
  result.a_begin = static_cast<std::size_t>(a_begin);
  result.b_begin = static_cast<std::size_t>(b_begin);
  result.length = static_cast<std::size_t>(n);
  result.bit_error = static_cast<double>(differing) / (32.0 * static_cast<double>(n));
  return result;
}

std::vector<std::int32_t> candidate_offsets(const Hit* begin, const Hit* end) {
  std::vector<std::pair<std::int32_t, std::size_t>> at;  // (offset, hits), offsets ascending
  for (const Hit* h = begin; h != end; ++h) {
    if (at.empty() || at.back().first != h->offset) at.emplace_back(h->offset, 0);
    ++at.back().second;
  }
  // Hits at neighbouring offsets count together: a copy shifted by part of a step shares values
  // at two offsets next to each other.
  std::vector<std::pair<std::size_t, std::int32_t>> counted;  // (hits near the offset, offset)
  for (std::size_t i = 0; i < at.size(); ++i) {
    std::size_t near = at[i].second;
    if (i > 0 && at[i - 1].first == at[i].first - 1) near += at[i - 1].second;
    if (i + 1 < at.size() && at[i + 1].first == at[i].first + 1) near += at[i + 1].second;
    if (near >= kMinSharedValues) counted.emplace_back(near, at[i].first);
  }
  std::sort(counted.begin(), counted.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  std::vector<std::int32_t> offsets;
  for (std::size_t k = 0; k < counted.size() && k < kOffsetsChecked; ++k) offsets.push_back(counted[k].second);
  return offsets;
}

std::size_t min_overlap_values(double seconds) {
  const double span = fingerprint_span();
  if (seconds <= span) return 1;
  return static_cast<std::size_t>(std::ceil((seconds - span) / fingerprint_step() - 1e-9)) + 1;
}

}  // namespace dups_detail

using namespace dups_detail;

namespace {

// The best alignment of a pair near its candidate offsets, as a match if it is one.
std::optional<FingerprintMatch> verify(const std::vector<AudioFingerprint>& prints, const Hit* begin, const Hit* end,
                                       const MatchOptions& options) {
  const auto& a = prints[begin->a].values;
  const auto& b = prints[begin->b].values;
  Alignment best;
  for (const std::int32_t offset : candidate_offsets(begin, end)) {
    for (std::int32_t shift = -1; shift <= 1; ++shift) {
      const Alignment at = align(a, b, offset + shift);
      if (at.length > 0 && (best.length == 0 || at.bit_error < best.bit_error)) best = at;
    }
  }
  if (best.length == 0 || best.length < min_overlap_values(options.min_overlap) || best.bit_error > options.max_bit_error) {
    return std::nullopt;
  }
  const double step = fingerprint_step();
  const double seconds = static_cast<double>(best.length - 1) * step + fingerprint_span();
  FingerprintMatch match;
  match.a = begin->a;
  match.b = begin->b;
  match.score = 1.0 - best.bit_error;
  match.a_start = static_cast<double>(best.a_begin) * step;
  match.b_start = static_cast<double>(best.b_begin) * step;
  match.a_end = std::min(match.a_start + seconds, prints[match.a].seconds);
  match.b_end = std::min(match.b_start + seconds, prints[match.b].seconds);
  return match;
}

}  // namespace

std::vector<FingerprintMatch> match_fingerprints(const std::vector<AudioFingerprint>& prints, const MatchOptions& options) {
  const std::vector<Hit> hits = shared_values(prints, kMaxPosting);
  // Runs of one pair, verified on `jobs` threads in pair order.
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  for (std::size_t begin = 0; begin < hits.size();) {
    std::size_t end = begin + 1;
    while (end < hits.size() && hits[end].a == hits[begin].a && hits[end].b == hits[begin].b) ++end;
    if (end - begin >= kMinSharedValues) runs.emplace_back(begin, end);
    begin = end;
  }
  std::vector<FingerprintMatch> matches;
  ordered_parallel_for(
      runs.size(), options.jobs,
      [&](std::size_t r) { return verify(prints, hits.data() + runs[r].first, hits.data() + runs[r].second, options); },
      [&](std::size_t, std::optional<FingerprintMatch> match) {
        if (match) matches.push_back(*match);
      });
  return matches;
}

std::vector<std::size_t> cluster_roots(std::size_t n, const std::vector<FingerprintMatch>& matches) {
  std::vector<std::size_t> parent(n);
  for (std::size_t i = 0; i < n; ++i) parent[i] = i;
  const auto find = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const auto& m : matches) {
    const std::size_t ra = find(m.a), rb = find(m.b);
    if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);  // the smaller index stays the root
  }
  std::vector<std::size_t> roots(n);
  for (std::size_t i = 0; i < n; ++i) roots[i] = find(i);
  return roots;
}

}  // namespace clipset
