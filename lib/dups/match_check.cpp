// Fingerprint matches checked against the sound. Chromaprint describes 2.7 s of chroma every
// 0.12 s, which cannot tell two takes of one tonal pattern apart: two sirens sweeping the same
// band at nearly the same rate (a few per cent apart) share their values as closely as a copy
// does. Their spectrograms, 10 ms a frame, can: the stretches drift apart by tens of
// milliseconds, a sweep moves several bands in that time, and the correlation falls well under a
// copy's. So each recording with a fingerprint match is decoded once more, up to the end of its
// last matched stretch, and the first kCheckSeconds of each pair's stretches are compared as
// short sounds are, part by part: a tempo drift shows at the ends (docs/dups.md, "Checking
// fingerprint matches").

#include <algorithm>
#include <cmath>
#include <map>

#include "clipset/audio.hpp"
#include "clipset/dups.hpp"
#include "clipset/error.hpp"
#include "clipset/thread_pool.hpp"
#include "internal.hpp"

namespace clipset::dups_detail {

namespace {

// The stretches of one recording to compare, each once (copies of one recording mostly share
// theirs), as [start, start + frames) of the fingerprint stream.
struct RecordingStretches {
  std::map<std::pair<std::int64_t, std::int64_t>, std::size_t> index;  // (start, frames) -> stretch
  std::vector<ClipRange> ranges;
};

struct Plan {
  std::map<std::size_t, RecordingStretches> by_recording;
  std::vector<std::pair<std::size_t, std::size_t>> stretch_of_match;  // (a's, b's); fingerprint matches only
};

std::size_t add_stretch(RecordingStretches& r, double start, double seconds) {
  const double rate = static_cast<double>(fingerprint_stream_options().sample_rate);
  const auto first = static_cast<std::int64_t>(std::llround(start * rate));
  const auto frames = static_cast<std::int64_t>(std::llround(seconds * rate));
  const auto [it, added] = r.index.try_emplace({first, frames}, r.ranges.size());
  if (added) r.ranges.push_back({first, frames, frames});
  return it->second;
}

Plan plan_checks(const std::vector<FingerprintMatch>& matches) {
  Plan plan;
  plan.stretch_of_match.resize(matches.size());
  for (std::size_t k = 0; k < matches.size(); ++k) {
    const FingerprintMatch& m = matches[k];
    if (m.method != MatchMethod::fingerprint) continue;
    const double seconds = std::min({m.a_end - m.a_start, m.b_end - m.b_start, kCheckSeconds});
    plan.stretch_of_match[k] = {add_stretch(plan.by_recording[m.a], m.a_start, seconds),
                                add_stretch(plan.by_recording[m.b], m.b_start, seconds)};
  }
  return plan;
}

// The spectrograms of one recording's stretches; none when its audio cannot be read again.
std::vector<ShortSpectrogram> stretch_spectrograms(const DupsRecording& recording, const std::vector<ClipRange>& ranges,
                                                   const std::filesystem::path& root) {
  const int rate = static_cast<int>(fingerprint_stream_options().sample_rate);
  std::vector<ShortSpectrogram> spectrograms(ranges.size());
  try {
    SoundFile audio = open_recording(recording, root);
    RecordingStream stream(audio, fingerprint_stream_options(), recording.path);
    cut_ranges(stream, ranges, [&](std::size_t k, const float* frames, std::int64_t have) {
      spectrograms[k] = short_spectrogram(std::vector<float>(frames, frames + have), rate);
    });
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::internal) throw;
    return {};
  }
  return spectrograms;
}

// The least correlation among the parts of the stretches, at the offset where the whole
// correlates best.
double part_agreement(const ShortSpectrogram& a, const ShortSpectrogram& b, std::int64_t shift) {
  const ShortAlignment at = align_short(a, b, shift);
  if (at.length < kCheckParts) return at.correlation;
  double least = 1;
  for (std::size_t p = 0; p < kCheckParts; ++p) {
    const std::size_t from = at.length * p / kCheckParts, to = at.length * (p + 1) / kCheckParts;
    least = std::min(least, frames_correlation(a, b, at.a_begin + from, at.b_begin + from, to - from));
  }
  return least;
}

}  // namespace

void check_fingerprint_matches(std::vector<FingerprintMatch>& matches, const std::vector<DupsRecording>& recordings,
                               const DupsOptions& options, DupsResult& result) {
  const Plan plan = plan_checks(matches);
  std::vector<std::size_t> order;  // recordings to decode, in manifest order
  for (const auto& entry : plan.by_recording) order.push_back(entry.first);
  std::vector<std::vector<ShortSpectrogram>> spectrograms(recordings.size());  // by recording
  ordered_parallel_for(
      order.size(), options.jobs,
      [&](std::size_t k) { return stretch_spectrograms(recordings[order[k]], plan.by_recording.at(order[k]).ranges, options.root); },
      [&](std::size_t k, std::vector<ShortSpectrogram> s) { spectrograms[order[k]] = std::move(s); });

  // Fingerprint alignment already fixed the offset to a step or so: the search stays near it.
  const auto shift = static_cast<std::int64_t>(std::ceil(kCheckShiftSeconds / short_hop()));
  std::vector<FingerprintMatch> kept;
  ordered_parallel_for(
      matches.size(), options.jobs,
      [&](std::size_t k) {
        FingerprintMatch m = matches[k];
        const auto& of_a = spectrograms[m.a];
        const auto& of_b = spectrograms[m.b];
        if (m.method == MatchMethod::fingerprint && !of_a.empty() && !of_b.empty()) {
          const auto& [sa, sb] = plan.stretch_of_match[k];
          // A stretch the stream ended before (the file changed since it was fingerprinted) stays unchecked.
          if (of_a[sa].frames >= kMinShortFrames && of_b[sb].frames >= kMinShortFrames) m.check = part_agreement(of_a[sa], of_b[sb], shift);
        }
        return m;
      },
      [&](std::size_t, const FingerprintMatch& m) {
        if (m.method == MatchMethod::fingerprint && m.check < 0) {
          ++result.unchecked;  // kept: a leak costs more than a needless merge
        } else if (m.method == MatchMethod::fingerprint && m.check < options.match.min_correlation) {
          ++result.refuted;
          return;
        }
        kept.push_back(m);
      });
  matches = std::move(kept);
}

}  // namespace clipset::dups_detail
