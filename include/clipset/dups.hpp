#pragma once
// `dups`: recordings that hold the same sound without being the same bytes (a re-encoded,
// louder, resampled, trimmed copy, an excerpt of a longer take). Each recording gets an audio
// fingerprint (Chromaprint's raw sub-fingerprints, from the decoded audio), an index over their
// values finds candidate pairs, an offset search scores each pair by the bits its fingerprints
// share, and matched pairs join into clusters. See docs/dups.md.

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clipset/manifest.hpp"

namespace clipset {

class SoundFile;

// ------------------------------------------------------------------------------ fingerprints

// Short sounds' print: a log-mel spectrogram (32 bands from 100 to 3800 Hz, a frame every 10 ms)
// floored 80 dB under its peak, each band's mean taken out, in steps of 0.5 dB; `shape` holds the
// band means less their average (the spectral shape, for finding candidates).
inline constexpr std::size_t kShortBands = 32;
struct ShortSpectrogram {
  std::size_t frames = 0;
  std::vector<std::int8_t> cells;  // frames * kShortBands
  std::array<std::int8_t, kShortBands> shape{};
};
// Recordings up to this long get a ShortSpectrogram besides their fingerprint.
inline constexpr double kShortSoundMaxSeconds = 8.0;

// One recording's fingerprint: a 32-bit sub-fingerprint every fingerprint_step() seconds (each
// describing about 2.7 s of audio from there), the decoded length, and for a short recording
// its spectrogram.
struct AudioFingerprint {
  std::vector<std::uint32_t> values;
  double seconds = 0;
  ShortSpectrogram spectrogram;
};

// Seconds between sub-fingerprints: Chromaprint's default algorithm at 11025 Hz, 1365 samples.
double fingerprint_step();
// Chromaprint's name and version as loaded at run time, for --version.
std::vector<std::pair<std::string, std::string>> fingerprint_library_versions();

// Names what changes a fingerprint ("chromaprint 1.5.1 algorithm 1 rate 11025 ..."): cache files
// of another definition are never read.
std::string fingerprint_definition();

// The fingerprint of a whole recording, decoded, mixed to mono and resampled to Chromaprint's
// rate in blocks through the recording stream. `name` is the subject of errors. A recording too
// short for one sub-fingerprint (about 2.5 s, see docs/dups.md) gets an empty `values`. Throws
// clipset::Error (data) when the audio does not decode.
AudioFingerprint fingerprint_audio(SoundFile& audio, const std::string& name);

// Fingerprints kept on disk by the recording's SHA-256, one small file each under
// dir/<digest of the definition>/, written atomically: runs at once and shards share a folder.
class FingerprintCache {
 public:
  explicit FingerprintCache(std::filesystem::path dir);  // empty: no cache
  bool enabled() const noexcept { return !folder_.empty(); }
  // nullopt when absent or unreadable (a damaged file is recomputed and replaced).
  std::optional<AudioFingerprint> load(const std::string& sha256) const;
  // Throws clipset::Error (io) when the file cannot be written.
  void store(const std::string& sha256, const AudioFingerprint& fingerprint) const;

 private:
  std::filesystem::path file_of(const std::string& sha256) const;
  std::filesystem::path folder_;
};

// ------------------------------------------------------------------------------ matching

struct MatchOptions {
  // A pair matches when its best alignment differs in at most this share of fingerprint bits
  // (unrelated audio: 0.5 on average, rarely under 0.3 at its best offset; a re-encoded copy:
  // under 0.1) over at least min_overlap seconds of audio. Recordings shorter than min_overlap
  // are too short to fingerprint.
  double max_bit_error = 0.20;
  double min_overlap = 3.5;
  // Short sounds match when their spectrograms correlate at least this well at their best offset
  // (unrelated generated sounds: at most 0.7; an AMR-NB copy: 0.92); a fingerprint match stands
  // when the spectrograms of its stretches do (two different sirens: 0.76).
  double min_correlation = 0.85;
  unsigned jobs = 1;
};

// Two fingerprints that hold the same sound: a (the earlier) from a_start to a_end seconds is b
// from b_start (b_end - b_start = a_end - a_start).
enum class MatchMethod { fingerprint, spectrogram, identical };
struct FingerprintMatch {
  std::size_t a = 0, b = 0;
  // fingerprint: 1 - the share of differing bits over the aligned stretch; spectrogram: the
  // correlation; identical (the same sha256): 1.
  double score = 0;
  MatchMethod method = MatchMethod::fingerprint;
  double a_start = 0, a_end = 0, b_start = 0, b_end = 0;
  // fingerprint matches: how well the spectrograms of the matched stretches (their first
  // kCheckSeconds) agree, the least correlation of their quarters at the best offset; -1 when the
  // audio could not be read again.
  double check = -1;
};
// Seconds of a fingerprint match's stretches whose spectrograms are compared to confirm it.
inline constexpr double kCheckSeconds = 8.0;

// Every matching pair (a < b), ordered by a then b, whatever options.jobs is. Candidates come from
// an index over sub-fingerprint values (a value shared at one offset), never from all pairs.
std::vector<FingerprintMatch> match_fingerprints(const std::vector<AudioFingerprint>& prints, const MatchOptions& options);

// Pairs of short sounds (a < b) whose spectrograms correlate at least min_correlation over at
// least 70 % of the shorter one, ordered by a then b whatever jobs is; a null entry or one under
// 0.3 s is never matched. Candidates share a hash of their spectral shape in one of 12 tables.
std::vector<FingerprintMatch> match_short_sounds(const std::vector<const ShortSpectrogram*>& sounds, double min_correlation,
                                                 unsigned jobs);

// Cluster of each of n elements joined by the pairs: the smallest index in it.
std::vector<std::size_t> cluster_roots(std::size_t n, const std::vector<FingerprintMatch>& matches);

// ------------------------------------------------------------------------------ a manifest

// One recording named by the manifest (an item's own file, or the source of its clips).
struct DupsRecording {
  std::string id;
  std::string path;  // as the manifest spells it
  std::string sha256;
  std::size_t line = 0;  // first line naming it
  std::size_t items = 0;  // items cut from it (or it itself)
  double seconds = 0;
  bool fingerprinted = false;  // false: unreadable, or too short (see reason)
  std::string reason;          // why it has no fingerprint
  std::size_t cluster = 0;     // index of the cluster's first recording
};

struct DupsOptions {
  std::filesystem::path root;       // relative paths resolve here (empty: the working directory)
  std::filesystem::path cache_dir;  // empty: no fingerprint cache
  MatchOptions match;
  unsigned jobs = 1;
  bool keep_items = false;  // return the items with near_dup set (for the annotated manifest)
};

struct DupsCallbacks {
  std::function<void(const ManifestProblem&)> problem;
  std::function<void(const DupsRecording&)> unreadable;     // a recording that could not be fingerprinted
  std::function<void(std::size_t done, std::size_t total)> progress;  // recordings fingerprinted
  std::function<void(const std::string&)> cache_note;       // the cache could not be written
};

struct DupsResult {
  std::vector<DupsRecording> recordings;  // in order of first appearance
  std::vector<FingerprintMatch> matches;  // a, b index recordings; identical sha256 included (score 1)
  std::vector<Item> items;                // with keep_items: every item, near_dup set
  std::size_t cached = 0, computed = 0, unreadable = 0, too_short = 0;
  std::size_t short_sounds = 0;  // compared by their spectrograms
  // Fingerprint matches the spectrograms of their stretches refuted (dropped), and those that
  // could not be checked because the audio could not be read again (kept).
  std::size_t refuted = 0, unchecked = 0;
};

// Reads the manifest, fingerprints each recording once (through the cache), matches them, checks
// each fingerprint match against the spectrograms of its stretches (each recording with a match is
// decoded once more, up to the end of its last stretch), and clusters them. An item's near_dup is the id of its cluster's first recording. Throws clipset::Error (io)
// on a read error; unreadable recordings are reported through callbacks and the run goes on.
DupsResult find_near_duplicates(const DupsOptions& options, std::istream& manifest, const std::string& name,
                                const DupsCallbacks& callbacks);

// Clusters of at least two recordings, each as recording indices in manifest order.
std::vector<std::vector<std::size_t>> duplicate_clusters(const DupsResult& result);

}  // namespace clipset

namespace clipset {

// The result as JSON Lines records, one per line without newlines: each pair
// {"type":"pair","a":ID,"b":ID,"method":"fingerprint"|"spectrogram"|"identical","score":S,"a_start":..,"a_end":..,"b_start":..,"b_end":..}
// (fingerprint pairs add "check":R, null when unchecked),
// then each cluster {"type":"cluster","near_dup":ID,"recordings":[ID,...],"items":N}, then each
// recording that could not be compared {"type":"skipped","id":ID,"path":P,"reason":R}.
std::vector<std::string> dups_records(const DupsResult& result);
// The same for people: a table of pairs with their matched ranges, then the clusters.
std::string dups_table(const DupsResult& result);

}  // namespace clipset
