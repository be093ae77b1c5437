// Where clips go (lib/segment/clip_plan.cpp): fixed clips and their tail policies, event clips,
// clip ids. All in frames of the output stream.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "segment/internal.hpp"
#include "clipset/error.hpp"

namespace {

using clipset::Annotation;
using clipset::SegmentOptions;
using clipset::TailPolicy;
using clipset::detail::ClipSpan;
using clipset::detail::plan_event_clips;
using clipset::detail::plan_fixed_clips;

SegmentOptions options(double length, double hop, TailPolicy tail, double min_length = 0) {
  SegmentOptions o;
  o.length = length;
  o.hop = hop;
  o.tail = tail;
  o.min_length = min_length;
  return o;
}

const char* tail_name(TailPolicy t) { return t == TailPolicy::pad ? "pad" : t == TailPolicy::drop ? "drop" : "keep"; }

// The documented rule (docs/segment.md, "The last partial clip"), in frames: floor((T - L) / H)
// + 1 full clips when T >= L; what is left after them is covered by one more clip starting at
// the next hop (pad: zero-filled to L; keep: short, when at least min-length; drop: nothing).
// Hops here are whole frames, so the formula is exact.
struct Expected {
  std::vector<std::int64_t> starts;
  std::int64_t tail_start = -1;  // -1: no tail clip
  std::int64_t tail_content = 0;
};

Expected expected_plan(std::int64_t T, std::int64_t L, std::int64_t H, TailPolicy tail, std::int64_t min_length) {
  Expected e;
  const std::int64_t full = T >= L ? (T - L) / H + 1 : 0;
  for (std::int64_t k = 0; k < full; ++k) e.starts.push_back(k * H);
  const std::int64_t covered = full > 0 ? (full - 1) * H + L : 0;  // end of the last full clip
  const std::int64_t next = full * H;
  const bool left = T > covered && T > next;  // audio after the full clips that the next hop reaches
  if (left) {
    const std::int64_t content = T - next;
    if (tail == TailPolicy::pad || (tail == TailPolicy::keep && content >= min_length)) {
      e.tail_start = next;
      e.tail_content = content;
    }
  }
  return e;
}

void check_plan(std::int64_t T, std::int64_t L, std::int64_t H, TailPolicy tail, std::int64_t min_length = 0) {
  const double rate = 1000;  // frames are milliseconds
  CAPTURE(T, L, H, tail_name(tail), min_length);
  const Expected e = expected_plan(T, L, H, tail, min_length);
  std::vector<ClipSpan> spans;
  const bool short_drop = e.starts.empty() && e.tail_start < 0;
  if (short_drop && T > 0 && (tail == TailPolicy::drop || tail == TailPolicy::keep)) {
    CHECK_THROWS_AS(plan_fixed_clips(T, rate, options(L / rate, H / rate, tail, min_length / rate)), clipset::Error);
    return;
  }
  REQUIRE_NOTHROW(spans = plan_fixed_clips(T, rate, options(L / rate, H / rate, tail, min_length / rate)));
  const std::size_t expected_count = e.starts.size() + (e.tail_start >= 0 ? 1 : 0);
  CHECK(spans.size() == expected_count);
  if (spans.size() != expected_count) return;
  for (std::size_t k = 0; k < e.starts.size(); ++k) {
    CAPTURE(k);
    CHECK(spans[k].start == e.starts[k]);
    CHECK(spans[k].content == L);
    CHECK(spans[k].frames == L);
  }
  if (e.tail_start >= 0) {
    const ClipSpan& t = spans.back();
    CHECK(t.start == e.tail_start);
    CHECK(t.content == e.tail_content);
    CHECK(t.frames == (tail == TailPolicy::pad ? L : e.tail_content));
    CHECK(t.start + t.content == T);  // the tail reaches the end of the recording
  }
  for (const ClipSpan& s : spans) {
    CHECK(s.start >= 0);
    CHECK(s.start + s.content <= T);
    CHECK(s.content <= s.frames);
  }
}

}  // namespace

TEST_CASE("fixed clips: counts for every tail policy match the formula", "[segment]") {
  // T, L, H in frames (rate 1000: milliseconds). The exact-fit overlapping rows (T - L a multiple
  // of H with H < L) are in the [bug] test below.
  struct Row {
    std::int64_t T, L, H;
  };
  const std::vector<Row> rows{
      // no overlap
      {1000, 1000, 1000}, {3000, 1000, 1000}, {3500, 1000, 1000}, {3001, 1000, 1000}, {3999, 1000, 1000},
      {999, 1000, 1000},  {1, 1000, 1000},    {500, 1000, 1000},  {1000, 250, 250},   {1100, 250, 250},
      // overlap, something left after the last full clip
      {2200, 1000, 500},  {2700, 1000, 500},  {2100, 1000, 250},  {1001, 1000, 500},  {1350, 1000, 300},
      {3750, 1000, 300},  {900, 1000, 500},   {10500, 2000, 700},
      // gaps (hop longer than the clip)
      {2200, 1000, 1500}, {2500, 1000, 1500}, {1400, 1000, 1500}, {1600, 1000, 1500}, {5000, 1000, 3000},
      {4500, 1000, 3000},
  };
  for (const Row& r : rows) {
    for (const TailPolicy tail : {TailPolicy::pad, TailPolicy::drop, TailPolicy::keep}) {
      check_plan(r.T, r.L, r.H, tail);
      if (tail == TailPolicy::keep) {
        check_plan(r.T, r.L, r.H, tail, 100);
        check_plan(r.T, r.L, r.H, tail, 400);
        check_plan(r.T, r.L, r.H, tail, 999);
      }
    }
  }
}

TEST_CASE("fixed clips: the full-clip count is floor((T - L) / H) + 1", "[segment]") {
  // The same check in seconds, at a real rate, straight from the docs' formula.
  const double rate = 16000;
  for (const double T : {1.0, 1.5, 2.0, 2.75, 10.0, 61.3}) {
    for (const double L : {0.5, 1.0}) {
      for (const double H : {0.25, 0.5, 1.0, 1.25}) {
        CAPTURE(T, L, H);
        const auto spans = plan_fixed_clips(std::llround(T * rate), rate, options(L, H, TailPolicy::drop));
        CHECK(static_cast<double>(spans.size()) == std::floor((T - L) / H + 1e-9) + 1);
      }
    }
  }
}

TEST_CASE("fixed clips: a recording that the full clips cover exactly gets no tail clip", "[segment][regression]") {
  // BUG: with overlap (hop < length) and T - L a multiple of the hop, nothing is left after the
  // last full clip, yet pad/keep add a partial clip at the next hop whose audio the last full
  // clip already holds. docs/segment.md: "plus the tail clip under pad (and keep) when something
  // is left". E.g. T = 2 s, L = 1 s, H = 0.5 s: clips at 0, 0.5, 1.0 cover [0, 2]; clipset adds a
  // 4th clip at 1.5 s (0.5 s of audio + 0.5 s of zeros).
  struct Row {
    std::int64_t T, L, H;
  };
  for (const Row r : {Row{2000, 1000, 500}, Row{1000, 1000, 500}, Row{1750, 1000, 250}, Row{10000, 2000, 500}}) {
    for (const TailPolicy tail : {TailPolicy::pad, TailPolicy::keep}) {
      check_plan(r.T, r.L, r.H, tail);
    }
  }
}

TEST_CASE("fixed clips: clip k starts at round(k * hop * rate), with no drift over an hour", "[segment]") {
  SECTION("half-frame hops round half away from zero") {
    // 0.25 s at 22050 Hz = 5512.5 frames.
    const auto spans = plan_fixed_clips(22050 * 10, 22050, options(1.0, 0.25, TailPolicy::drop));
    REQUIRE(spans.size() == 37);
    CHECK(spans[0].start == 0);
    CHECK(spans[1].start == 5513);
    CHECK(spans[2].start == 11025);
    CHECK(spans[3].start == 16538);
    for (std::size_t k = 0; k < spans.size(); ++k) {
      CHECK(spans[k].start == std::llround(static_cast<double>(k) * 5512.5));
      CHECK(spans[k].frames == 22050);
    }
  }
  SECTION("0.1 s hops at 16 kHz over an hour") {
    const double rate = 16000;
    const auto spans = plan_fixed_clips(3600 * 16000, rate, options(1.0, 0.1, TailPolicy::drop));
    REQUIRE(spans.size() == 35991);
    for (std::size_t k = 0; k < spans.size(); ++k) {
      if (spans[k].start != static_cast<std::int64_t>(k) * 1600) {
        FAIL("clip " << k << " starts at " << spans[k].start);
      }
    }
  }
  SECTION("1/3 s hops at 16 kHz: each start within half a frame of k * hop * rate") {
    const double hop = 1.0 / 3.0;
    const auto spans = plan_fixed_clips(16000 * 600, 16000, options(1.0, hop, TailPolicy::drop));
    REQUIRE(spans.size() == 1798);
    for (std::size_t k = 0; k < spans.size(); ++k) {
      const double exact = static_cast<double>(k) * 16000.0 / 3.0;
      if (std::abs(static_cast<double>(spans[k].start) - exact) > 0.5 + 1e-6) FAIL("clip " << k << " starts at " << spans[k].start);
    }
  }
  SECTION("44.1 kHz, 1 s clips, 0.5 s hop") {
    const auto spans = plan_fixed_clips(44100 * 3 + 17, 44100, options(1.0, 0.5, TailPolicy::keep));
    REQUIRE(spans.size() == 6);
    CHECK(spans[4].start == 88200);
    CHECK(spans[5].start == 110250);
    CHECK(spans[5].content == 44100 * 3 + 17 - 110250);
    CHECK(spans[5].frames == spans[5].content);
  }
  SECTION("hop 0 means hop = length") {
    const auto spans = plan_fixed_clips(5000, 1000, options(1.0, 0, TailPolicy::pad));
    REQUIRE(spans.size() == 5);
    CHECK(spans[4].start == 4000);
  }
}

TEST_CASE("fixed clips: --tail drop with a short recording throws with a reason", "[segment]") {
  try {
    plan_fixed_clips(9600, 16000, options(1.0, 1.0, TailPolicy::drop));  // 0.6 s
    FAIL("no error");
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::data);
    CHECK(e.reason() == "shorter than one clip (0.6s < 1s) and {{tail}} drop");
  }
  // A recording of exactly one clip is fine.
  CHECK(plan_fixed_clips(16000, 16000, options(1.0, 1.0, TailPolicy::drop)).size() == 1);
}

TEST_CASE("fixed clips: --tail keep keeps a short recording when it reaches --min-length", "[segment]") {
  SECTION("kept short") {
    const auto spans = plan_fixed_clips(8000, 16000, options(1.0, 1.0, TailPolicy::keep, 0.3));
    REQUIRE(spans.size() == 1);
    CHECK(spans[0].start == 0);
    CHECK(spans[0].content == 8000);
    CHECK(spans[0].frames == 8000);
  }
  SECTION("exactly --min-length is kept") {
    const auto spans = plan_fixed_clips(8000, 16000, options(1.0, 1.0, TailPolicy::keep, 0.5));
    CHECK(spans.size() == 1);
  }
  SECTION("shorter than --min-length: rejected with a reason") {
    try {
      plan_fixed_clips(3200, 16000, options(1.0, 1.0, TailPolicy::keep, 0.5));
      FAIL("no error");
    } catch (const clipset::Error& e) {
      CHECK(e.kind() == clipset::ErrorKind::data);
      CHECK(e.reason().find("{{min_length}}") != std::string::npos);
      CHECK(e.reason().find("0.2s") != std::string::npos);
    }
  }
  SECTION("a tail shorter than --min-length is left out, the full clips stay") {
    const auto spans = plan_fixed_clips(16000 * 2 + 1600, 16000, options(1.0, 1.0, TailPolicy::keep, 0.25));
    CHECK(spans.size() == 2);
  }
  SECTION("pad gives a short recording one zero-filled clip") {
    const auto spans = plan_fixed_clips(8000, 16000, options(1.0, 1.0, TailPolicy::pad));
    REQUIRE(spans.size() == 1);
    CHECK(spans[0].content == 8000);
    CHECK(spans[0].frames == 16000);
  }
}

TEST_CASE("fixed clips: an empty recording under --tail drop is rejected like any short one", "[segment][regression]") {
  // BUG (minor): plan_fixed_clips(0 frames) returns no clips without an error under --tail drop,
  // so a 0-frame recording disappears silently (counted as segmented, no clips, no reason).
  // docs/segment.md: "drop: ... a recording shorter than one clip is rejected with a reason".
  CHECK_THROWS_AS(plan_fixed_clips(0, 16000, options(1.0, 1.0, TailPolicy::drop)), clipset::Error);
}

TEST_CASE("event clips: centred on the event, moved inside the recording, in time order", "[segment]") {
  const double rate = 16000;
  const std::int64_t total = 10 * 16000;
  auto event = [](double start, double end, std::string label) {
    Annotation a;
    a.start = start;
    a.end = end;
    a.label = std::move(label);
    return a;
  };
  // Given out of time order; near both ends; one longer than the clip.
  const std::vector<Annotation> events{event(5.0, 5.2, "dog"), event(0.1, 0.2, "cat"), event(9.9, 10.0, "bird"),
                                       event(3.0, 6.0, "rain"), event(7.25, 7.25, "click")};
  const auto spans = plan_event_clips(events, total, rate, options(1.0, 0, TailPolicy::pad));
  REQUIRE(spans.size() == 5);
  // centre 0.15 s -> start -0.35 s -> clamped to 0
  CHECK(spans[0].start == 0);
  CHECK(spans[0].labels == std::vector<std::string>{"cat"});
  // rain: centre 4.5 s -> 4.0 s
  CHECK(spans[1].start == 64000);
  CHECK(spans[1].labels == std::vector<std::string>{"rain"});
  // dog: centre 5.1 s -> 4.6 s
  CHECK(spans[2].start == 73600);
  CHECK(spans[2].labels == std::vector<std::string>{"dog"});
  // a point label: centred on it
  CHECK(spans[3].start == 108000);
  // bird: centre 9.95 s -> would end at 10.45 s -> moved back to 9.0 s
  CHECK(spans[4].start == total - 16000);
  for (const auto& s : spans) {
    CHECK(s.content == 16000);
    CHECK(s.frames == 16000);
    CHECK(s.label_source == "annotations");
  }
}

TEST_CASE("event clips: an odd clip length at an odd centre", "[segment]") {
  // 0.3 s at 22050 Hz = 6615 frames; centre 1.0 s = frame 22050 -> start 22050 - 3307.
  Annotation a;
  a.start = 0.9;
  a.end = 1.1;
  a.label = "x";
  const auto spans = plan_event_clips({a}, 22050 * 3, 22050, options(0.3, 0, TailPolicy::pad));
  REQUIRE(spans.size() == 1);
  CHECK(spans[0].start == 22050 - 3307);
  CHECK(spans[0].frames == 6615);
}

TEST_CASE("event clips: a recording shorter than one clip follows the tail policy", "[segment]") {
  Annotation a;
  a.start = 0.1;
  a.end = 0.2;
  a.label = "dog";
  const std::int64_t total = 8000;  // 0.5 s at 16 kHz
  SECTION("pad: one padded clip") {
    const auto spans = plan_event_clips({a}, total, 16000, options(1.0, 0, TailPolicy::pad));
    REQUIRE(spans.size() == 1);
    CHECK(spans[0].start == 0);
    CHECK(spans[0].content == 8000);
    CHECK(spans[0].frames == 16000);
  }
  SECTION("keep: the whole short recording") {
    const auto spans = plan_event_clips({a}, total, 16000, options(1.0, 0, TailPolicy::keep, 0.25));
    REQUIRE(spans.size() == 1);
    CHECK(spans[0].frames == 8000);
  }
  SECTION("drop: rejected with a reason") {
    try {
      plan_event_clips({a}, total, 16000, options(1.0, 0, TailPolicy::drop));
      FAIL("no error");
    } catch (const clipset::Error& e) {
      CHECK(e.kind() == clipset::ErrorKind::data);
      CHECK(e.reason() == "shorter than one clip (0.5s < 1s) and {{tail}} drop");
    }
  }
  SECTION("no events: no clips, no error") {
    CHECK(plan_event_clips({}, total, 16000, options(1.0, 0, TailPolicy::drop)).empty());
  }
}

TEST_CASE("clip ids: source id and zero-padded start time, they sort in time order", "[segment]") {
  using clipset::detail::clip_id;
  CHECK(clip_id("dog__a.wav", 1.5) == "dog__a.wav_000001.500");
  CHECK(clip_id("dog__a.wav", 0) == "dog__a.wav_000000.000");
  CHECK(clip_id("x", 123.4567) == "x_000123.457");
  CHECK(clip_id("x", 3599.75) == "x_003599.750");
  CHECK(clip_id("x", 5512.0 / 22050.0 * 3) == "x_000000.750");
  // Filesystem-safe characters only, given a safe source id.
  const std::string id = clip_id("cat__b.flac-1a2b3c4d", 12.25);
  CHECK(id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == std::string::npos);

  // Sorted by name = sorted by time, also across digit-count changes (9.5 s vs 10 s, 99 vs 100).
  std::vector<double> starts;
  for (int k = 0; k < 2000; ++k) starts.push_back(k * 0.25);
  for (double s : {99999.5, 100000.0, 999999.0}) starts.push_back(s);
  std::vector<std::string> ids;
  for (double s : starts) ids.push_back(clip_id("rec.wav", s));
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
}
