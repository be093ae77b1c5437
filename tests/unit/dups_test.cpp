// The dups module without the binary: alignment and candidates on made-up fingerprints, the index
// at scale, clusters, the cache, and Chromaprint on generated audio and its altered copies.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "clipset/audio.hpp"
#include "clipset/dups.hpp"
#include "dups/internal.hpp"
#include "support/audio_fixtures.hpp"
#include "support/signals.hpp"
#include "support/temp_dir.hpp"

namespace {

using clipset::AudioFingerprint;
using clipset::FingerprintMatch;
using namespace clipset::dups_detail;

std::vector<std::uint32_t> random_values(std::size_t n, std::uint64_t seed) {
  std::vector<std::uint32_t> v(n);
  std::uint64_t state = seed * 2654435761ULL + 1;
  for (auto& x : v) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    x = static_cast<std::uint32_t>(state >> 32);
  }
  return v;
}

// Flips `bits` bits of every `every`-th value: a copy that kept the other values exactly.
std::vector<std::uint32_t> damaged(std::vector<std::uint32_t> v, std::size_t every, int bits) {
  for (std::size_t k = 0; k < v.size(); k += every) {
    for (int b = 0; b < bits; ++b) v[k] ^= 1u << ((k * 7 + static_cast<std::size_t>(b) * 5) % 32);
  }
  return v;
}

AudioFingerprint print_of(std::vector<std::uint32_t> values) {
  AudioFingerprint p;
  p.seconds = static_cast<double>(values.size()) * clipset::fingerprint_step() + fingerprint_span();
  p.values = std::move(values);
  return p;
}

AudioFingerprint fingerprint_file(const std::filesystem::path& file) {
  clipset::SoundFile audio = clipset::SoundFile::open(file);
  return clipset::fingerprint_audio(audio, file.string());
}

}  // namespace

TEST_CASE("dups align: the share of differing bits at an offset, over the overlap only", "[dups]") {
  const auto a = random_values(100, 1);
  std::vector<std::uint32_t> b(a.begin() + 30, a.begin() + 70);  // an excerpt: b[j] = a[j + 30]
  const Alignment at = align(a, b, 30);
  CHECK(at.length == 40);
  CHECK(at.a_begin == 30);
  CHECK(at.b_begin == 0);
  CHECK(at.bit_error == 0.0);
  const Alignment off = align(a, b, 31);
  CHECK(off.bit_error > 0.4);
  CHECK(align(a, b, 100).length == 0);
  CHECK(align(a, b, -40).length == 0);
}

TEST_CASE("dups candidates: neighbouring offsets count together, best first", "[dups]") {
  const std::vector<Hit> hits{{0, 1, -3}, {0, 1, 5}, {0, 1, 6}, {0, 1, 6}, {0, 1, 40}};
  const auto offsets = candidate_offsets(hits.data(), hits.data() + hits.size());
  REQUIRE(offsets.size() == 2);
  CHECK(offsets[0] == 5);  // 3 hits at 4..6, and 3 at 5..7: the smaller offset first
  CHECK(offsets[1] == 6);
  const std::vector<Hit> lonely{{0, 1, 3}, {0, 1, 9}};
  CHECK(candidate_offsets(lonely.data(), lonely.data() + lonely.size()).empty());
}

TEST_CASE("dups overlap: seconds of shared audio as sub-fingerprints", "[dups]") {
  CHECK(min_overlap_values(1.0) == 1);
  CHECK(min_overlap_values(fingerprint_span()) == 1);
  CHECK(min_overlap_values(fingerprint_span() + clipset::fingerprint_step()) == 2);
  CHECK(min_overlap_values(3.5) == 8);
}

TEST_CASE("dups match: shifted, damaged excerpts match with their ranges, unrelated prints never", "[dups]") {
  std::vector<AudioFingerprint> prints;
  for (std::uint64_t seed = 0; seed < 40; ++seed) prints.push_back(print_of(random_values(60, seed + 10)));
  const auto original = random_values(200, 99);
  prints.push_back(print_of(original));                                                              // 40
  prints.push_back(print_of(damaged(std::vector<std::uint32_t>(original.begin() + 50, original.begin() + 90), 2, 5)));  // 41
  prints.push_back(print_of(damaged(original, 1, 3)));  // 42: every value touched: no candidate, not found
  clipset::MatchOptions options;
  const auto matches = clipset::match_fingerprints(prints, options);
  REQUIRE(matches.size() == 1);
  const FingerprintMatch& m = matches[0];
  CHECK(m.a == 40);
  CHECK(m.b == 41);
  CHECK(m.score > 0.9);
  CHECK(m.a_start == Approx(50 * clipset::fingerprint_step()));
  CHECK(m.b_start == 0.0);
  CHECK(m.a_end - m.a_start == Approx(m.b_end - m.b_start));
  SECTION("the same pairs whatever the number of threads") {
    options.jobs = 2;
    const auto again = clipset::match_fingerprints(prints, options);
    REQUIRE(again.size() == 1);
    CHECK(again[0].a == 40);
    CHECK(again[0].score == m.score);
  }
  SECTION("an overlap shorter than min_overlap is no match") {
    options.min_overlap = 40 * clipset::fingerprint_step() + fingerprint_span() + 1;
    CHECK(clipset::match_fingerprints(prints, options).empty());
  }
}

TEST_CASE("dups match: a value every fingerprint has (silence) is no evidence", "[dups]") {
  std::vector<AudioFingerprint> prints;
  for (std::uint64_t seed = 0; seed < kMaxPosting + 10; ++seed) {
    auto values = random_values(30, seed + 1000);
    std::fill(values.begin(), values.begin() + 4, 0x12345678u);
    prints.push_back(print_of(values));
  }
  CHECK(clipset::match_fingerprints(prints, {}).empty());
}

TEST_CASE("dups clusters: union-find roots at the smallest index", "[dups]") {
  std::vector<FingerprintMatch> pairs(3);
  pairs[0].a = 3, pairs[0].b = 5;
  pairs[1].a = 1, pairs[1].b = 5;
  pairs[2].a = 0, pairs[2].b = 2;
  CHECK(clipset::cluster_roots(7, pairs) == std::vector<std::size_t>{0, 1, 0, 1, 4, 1, 6});
}

TEST_CASE("dups cache: a stored fingerprint comes back, a damaged file or a foreign key is no hit", "[dups]") {
  clipset::test::TempDir dir;
  const clipset::FingerprintCache cache(dir.path() / "cache");
  const std::string sha(64, 'c');
  const AudioFingerprint print = print_of(random_values(17, 5));
  CHECK(!cache.load(sha));
  cache.store(sha, print);
  const auto back = cache.load(sha);
  REQUIRE(back);
  CHECK(back->values == print.values);
  CHECK(back->seconds == print.seconds);
  CHECK(!cache.load("../../etc/passwd"));
  // Cut the file short: no hit, and a store replaces it.
  std::filesystem::path file;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (entry.path().extension() == ".fp") file = entry.path();
  }
  REQUIRE(!file.empty());
  std::filesystem::resize_file(file, std::filesystem::file_size(file) - 3);
  CHECK(!cache.load(sha));
  cache.store(sha, print);
  CHECK(cache.load(sha));
  CHECK(!clipset::FingerprintCache("").enabled());
}

TEST_CASE("dups fingerprint: a recording, its louder copy and a part of it cut late match, another melody does not", "[dups]") {
  clipset::test::TempDir dir;
  const auto tune = clipset::test::melody(1, 12, 22050);
  std::vector<float> quiet(tune);
  for (auto& v : quiet) v *= 0.5f;
  clipset::test::write_samples(dir.path() / "a.wav", tune, 22050);
  clipset::test::write_samples(dir.path() / "quiet.wav", quiet, 22050);
  clipset::test::write_samples(dir.path() / "b.wav", clipset::test::melody(2, 12, 22050), 22050);
  const std::vector<float> late(tune.begin() + 22050 * 3 + 1234, tune.end());
  clipset::test::write_samples(dir.path() / "late.wav", late, 22050);
  std::vector<AudioFingerprint> prints;
  for (const char* name : {"a.wav", "quiet.wav", "b.wav", "late.wav"}) prints.push_back(fingerprint_file(dir.path() / name));
  CHECK(prints[0].seconds == Approx(12).margin(0.01));
  CHECK(prints[0].values.size() > 70);
  const auto matches = clipset::match_fingerprints(prints, {});
  INFO("checks " << matches[0].check << " " << matches[1].check);
  REQUIRE(matches.size() == 3);
  CHECK((matches[0].a == 0 && matches[0].b == 1));
  CHECK((matches[1].a == 0 && matches[1].b == 3));
  CHECK(matches[1].a_start == Approx(3.06).margin(0.2));
  CHECK((matches[2].a == 1 && matches[2].b == 3));
}

TEST_CASE("dups fingerprint: audio shorter than one sub-fingerprint has none", "[dups]") {
  clipset::test::TempDir dir;
  clipset::test::write_samples(dir.path() / "short.wav", clipset::test::melody(3, 2.0, 16000), 16000);
  const auto print = fingerprint_file(dir.path() / "short.wav");
  CHECK(print.values.empty());
  CHECK(print.seconds == Approx(2.0).margin(0.01));
}

namespace {

// A wail siren as the example lake makes them: a square-ish tone in a triangular sweep 600 ->
// 1400 -> 600 Hz, `start` of the way into its period at the start.
std::vector<float> siren(double period, double start, double seconds, int rate) {
  std::vector<float> out(static_cast<std::size_t>(seconds * rate));
  const double two_pi = 2 * 3.141592653589793;
  double phase = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const double u = std::fmod(static_cast<double>(i) / rate / period + start, 1.0);
    phase += (1000.0 + 400.0 * (u < 0.5 ? 4 * u - 1 : 3 - 4 * u)) / rate;
    const double tone = std::sin(two_pi * phase) + 0.3 * std::sin(3 * two_pi * phase) + 0.12 * std::sin(5 * two_pi * phase);
    out[i] = static_cast<float>(0.3 * tone);
  }
  return out;
}

clipset::DupsRecording recording_at(const std::filesystem::path& file) {
  clipset::DupsRecording r;
  r.id = r.path = file.string();
  return r;
}

FingerprintMatch whole(std::size_t a, std::size_t b, double seconds) {
  FingerprintMatch m;
  m.a = a;
  m.b = b;
  m.a_end = m.b_end = seconds;
  return m;
}

}  // namespace

TEST_CASE("dups check: two sirens 3.5 % apart in tempo are refuted, a louder copy stands, unreadable audio stays unchecked", "[dups]") {
  clipset::test::TempDir dir;
  const auto a = siren(1.597, 0.124, 5, 16000);
  std::vector<float> quiet(a);
  for (auto& v : quiet) v *= 0.5f;
  clipset::test::write_samples(dir.path() / "a.wav", a, 16000);
  clipset::test::write_samples(dir.path() / "quiet.wav", quiet, 16000);
  clipset::test::write_samples(dir.path() / "b.wav", siren(1.543, 0.686, 5, 16000), 16000);
  const std::vector<clipset::DupsRecording> recordings{recording_at(dir.path() / "a.wav"), recording_at(dir.path() / "quiet.wav"),
                                                       recording_at(dir.path() / "b.wav"), recording_at(dir.path() / "gone.wav")};
  // The fingerprints match both pairs as closely as a copy (as the example's sirens did).
  std::vector<AudioFingerprint> prints;
  for (const char* name : {"a.wav", "quiet.wav", "b.wav"}) prints.push_back(fingerprint_file(dir.path() / name));
  std::vector<FingerprintMatch> matches = clipset::match_fingerprints(prints, {});
  REQUIRE(matches.size() == 3);
  CHECK((matches[1].a == 0 && matches[1].b == 2));
  matches.erase(matches.begin() + 2);  // quiet and b: the same story
  matches.push_back(whole(0, 3, 5));
  FingerprintMatch same_bytes = whole(1, 2, 5);  // not a fingerprint match: never checked
  same_bytes.method = clipset::MatchMethod::identical;
  matches.push_back(same_bytes);
  clipset::DupsOptions options;
  options.jobs = 2;
  clipset::DupsResult result;
  check_fingerprint_matches(matches, recordings, options, result);
  INFO("checks " << matches[0].check << " " << matches[1].check);
  REQUIRE(matches.size() == 3);
  CHECK((matches[0].a == 0 && matches[0].b == 1));
  CHECK(matches[0].check > 0.99);
  CHECK((matches[1].a == 0 && matches[1].b == 3));
  CHECK(matches[1].check == -1);
  CHECK(matches[2].method == clipset::MatchMethod::identical);
  CHECK(result.refuted == 1);
  CHECK(result.unchecked == 1);
}

TEST_CASE("dups check: the offset search stays within max_shift frames", "[dups]") {
  const auto tune = clipset::test::melody(4, 3, 11025);
  const auto a = short_spectrogram(tune, 11025);
  const auto b = short_spectrogram(std::vector<float>(tune.begin() + 11025 / 5, tune.end()), 11025);  // 0.2 s later
  const auto anywhere = align_short(a, b);
  CHECK(anywhere.correlation > 0.95);
  CHECK(anywhere.a_begin == Approx(20).margin(1));
  CHECK(align_short(a, b, 25).correlation == Approx(anywhere.correlation));
  CHECK(align_short(a, b, 10).correlation < 0.8);
}
