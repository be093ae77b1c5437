#pragma once
// The dups module's internals: the candidate index and the alignment of two fingerprints
// (tests include it as "dups/internal.hpp").

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <tuple>
#include <utility>
#include <vector>

#include "clipset/dups.hpp"
#include "clipset/recording_stream.hpp"

namespace clipset::dups_detail {

// A value that more fingerprint positions share than this is left out of the index: long silence
// and hum give the same value everywhere and would pair everything with everything.
constexpr std::size_t kMaxPosting = 256;
// A pair is a candidate when it shares at least this many values at one offset (or next to it).
constexpr std::size_t kMinSharedValues = 2;
// The candidate offsets of a pair checked over the whole overlap, most shared values first.
constexpr std::size_t kOffsetsChecked = 3;

// Seconds of audio one sub-fingerprint describes: 20 chroma frames of 4096 samples, 1365 apart,
// at 11025 Hz. A recording shorter than this has no sub-fingerprint at all.
double fingerprint_span();

// One value shared by fingerprints a < b: a's position minus b's.
struct Hit {
  std::uint32_t a = 0, b = 0;
  std::int32_t offset = 0;
  bool operator<(const Hit& o) const { return std::tie(a, b, offset) < std::tie(o.a, o.b, o.offset); }
};
// Every shared value of every pair, sorted by pair then offset.
std::vector<Hit> shared_values(const std::vector<AudioFingerprint>& prints, std::size_t max_posting);

// The offsets of one pair's hits (a run of equal a, b) worth checking, best first.
std::vector<std::int32_t> candidate_offsets(const Hit* begin, const Hit* end);

// b's value j set against a's value j + offset, over their overlap.
struct Alignment {
  std::int32_t offset = 0;
  std::size_t a_begin = 0, b_begin = 0, length = 0;  // length 0: no overlap
  double bit_error = 1;
};
Alignment align(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b, std::int32_t offset);

// ------------------------------------------------------------------- short sounds

// Frames a short sound needs to be compared (0.3 s).
constexpr std::size_t kMinShortFrames = 30;
// Seconds between spectrogram frames.
double short_hop();
// The print of a short recording, mono at `rate`.
ShortSpectrogram short_spectrogram(const std::vector<float>& mono, int rate);

// b's frame j set against a's frame j + a_begin - b_begin, at the best offset.
struct ShortAlignment {
  double correlation = -1;
  std::size_t a_begin = 0, b_begin = 0, length = 0;  // length 0: none compared
};
// Pearson correlation of a's frames from a_begin and b's from b_begin, `frames` of each (0 when
// either is flat or frames is 0).
double frames_correlation(const ShortSpectrogram& a, const ShortSpectrogram& b, std::size_t a_begin, std::size_t b_begin,
                          std::size_t frames);
// Offsets leave at least 70 % of the shorter one overlapping; max_shift >= 0 also keeps them within
// that many frames of 0.
ShortAlignment align_short(const ShortSpectrogram& a, const ShortSpectrogram& b, std::int64_t max_shift = -1);
// Pairs (i < j) of sounds sharing a bucket in some table, sorted, each once.
std::vector<std::pair<std::uint32_t, std::uint32_t>> short_candidates(const std::vector<const ShortSpectrogram*>& sounds);

// Sub-fingerprints two recordings must share to overlap by `seconds` of audio.
std::size_t min_overlap_values(double seconds);

// ------------------------------------------------------------------- checking fingerprint matches

// How far the check searches around the offset the fingerprints matched at: a step either side
// and the rounding of the stretches to steps.
constexpr double kCheckShiftSeconds = 0.25;
// The check's stretches are judged in this many parts, each at the offset of the whole: a copy
// agrees in every part, two takes that drift apart in tempo (aligned in the middle) not at the ends.
constexpr std::size_t kCheckParts = 4;

// The stream fingerprints (and the spectrograms that check them) are made from: mono at
// Chromaprint's rate.
RecordingStreamOptions fingerprint_stream_options();

// The recording's file, opened for decoding. Throws clipset::Error (data or io) when it is
// missing, not a regular file or not audio.
SoundFile open_recording(const DupsRecording& recording, const std::filesystem::path& root);

// Keeps the fingerprint matches whose stretches (their first kCheckSeconds) have spectrograms
// correlating at least options.match.min_correlation in each of kCheckParts parts, setting their
// `check`; drops the others
// (counted in result.refuted). A match whose audio cannot be read again is kept unchecked.
void check_fingerprint_matches(std::vector<FingerprintMatch>& matches, const std::vector<DupsRecording>& recordings,
                               const DupsOptions& options, DupsResult& result);

}  // namespace clipset::dups_detail
