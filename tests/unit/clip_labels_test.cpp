// Labels on clips (lib/segment/clip_labels.cpp): weak labels, strong labels from covering
// annotations, annotator choice and the vote, and the clip-relative annotations a clip keeps.
// Spans are in frames at 1000 Hz, so frames read as milliseconds.

#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "segment/internal.hpp"

namespace {

using clipset::Annotation;
using clipset::Item;
using clipset::SegmentOptions;
using clipset::detail::attach_annotations;
using clipset::detail::ClipSpan;
using clipset::detail::event_list;
using clipset::detail::label_spans;
using clipset::detail::selected_annotations;
using Labels = std::vector<std::string>;

constexpr double kRate = 1000;

Annotation ann(double start, double end, std::string label, std::optional<std::string> annotator = std::nullopt,
               int pass = 1) {
  Annotation a;
  a.start = start;
  a.end = end;
  a.label = std::move(label);
  a.annotator = std::move(annotator);
  a.pass = pass;
  return a;
}

// 1 s clips back to back over `seconds`.
std::vector<ClipSpan> clips(int seconds, std::int64_t length = 1000) {
  std::vector<ClipSpan> spans;
  for (int k = 0; k * 1000 < seconds * 1000; ++k) {
    ClipSpan s;
    s.start = k * 1000;
    s.content = length;
    s.frames = length;
    spans.push_back(s);
  }
  return spans;
}

ClipSpan span(std::int64_t start, std::int64_t content, std::int64_t frames = -1) {
  ClipSpan s;
  s.start = start;
  s.content = content;
  s.frames = frames < 0 ? content : frames;
  return s;
}

Item item_with(std::vector<Annotation> annotations, Labels labels = {}) {
  Item item;
  item.id = "rec.wav";
  item.annotations = std::move(annotations);
  item.labels = std::move(labels);
  item.label_source = "annotations";
  return item;
}

SegmentOptions opts(double min_overlap = 0.5, std::string background = "none", std::string annotator = "vote") {
  SegmentOptions o;
  o.min_overlap = min_overlap;
  o.background = std::move(background);
  o.annotator = std::move(annotator);
  return o;
}

// Strong labels of the given spans from the item's annotations as `annotator` selects them.
std::vector<ClipSpan> strong(const Item& item, std::vector<ClipSpan> spans, const SegmentOptions& o = opts()) {
  const auto selected = selected_annotations(item, o.annotator);
  label_spans(spans, item, selected, true, kRate, o);
  return spans;
}

}  // namespace

TEST_CASE("strong labels: overlaps, gaps and several labels on one clip", "[segment]") {
  // 0-1: dog covers 0.7 of the clip; 1-2: dog 0.2 (and 0.2 of a 1.2 s event): no;
  // 2-3: gap; 3-4: bird and dog both cover it; 4-5: rain covers 0.5 exactly.
  const Item item = item_with({ann(0.1, 1.2, "dog"), ann(3.0, 4.0, "dog"), ann(2.9, 4.5, "bird"), ann(4.5, 9.0, "rain")});
  const auto spans = strong(item, clips(6));
  REQUIRE(spans.size() == 6);
  CHECK(spans[0].labels == Labels{"dog"});
  CHECK(spans[1].labels.empty());
  CHECK(spans[2].labels.empty());
  CHECK(spans[3].labels == Labels{"bird", "dog"});  // sorted, each once
  CHECK(spans[4].labels == Labels{"bird", "rain"});  // bird 0.5 of the clip, rain 0.5
  CHECK(spans[5].labels == Labels{"rain"});
  for (const auto& s : spans) CHECK(s.label_source == "annotations");
}

TEST_CASE("strong labels: a short event inside a clip counts, by its own length", "[segment]") {
  // A 0.2 s bark covers only 0.2 of the clip but all of itself.
  const Item item = item_with({ann(0.4, 0.6, "bark"), ann(1.9, 2.1, "bark"), ann(2.95, 3.15, "yelp")});
  const auto spans = strong(item, clips(4));
  CHECK(spans[0].labels == Labels{"bark"});
  // Straddling 2.0: 0.1 of a 0.2 s event in each clip: exactly half, so both count.
  CHECK(spans[1].labels == Labels{"bark"});
  CHECK(spans[2].labels == Labels{"bark"});  // yelp: only 0.05 of its 0.2 s
  CHECK(spans[3].labels == Labels{"yelp"});  // 0.15 of 0.2 s
}

TEST_CASE("strong labels: a point label counts in the clip it falls in", "[segment]") {
  const Item item = item_with({ann(0.5, 0.5, "click"), ann(2.0, 2.0, "knock"), ann(3.999, 3.999, "tick")});
  const auto spans = strong(item, clips(4));
  CHECK(spans[0].labels == Labels{"click"});
  CHECK(spans[1].labels.empty());              // 2.0 is the start of clip 2, not the end of clip 1
  CHECK(spans[2].labels == Labels{"knock"});
  CHECK(spans[3].labels == Labels{"tick"});
}

TEST_CASE("strong labels: the --min-overlap boundary", "[segment]") {
  // Events longer than the clip: the fraction is of the clip.
  SECTION("default 0.5: exactly half counts, just under does not") {
    const Item item = item_with({ann(0.5, 3.0, "a"), ann(1.501, 5.0, "b")});
    const auto spans = strong(item, clips(2));
    CHECK(spans[0].labels == Labels{"a"});        // 0.5 of clip 0
    CHECK(spans[1].labels == Labels{"a"});        // b: 0.499 of clip 1
  }
  SECTION("0.6") {
    const Item item = item_with({ann(0.5, 3.0, "a"), ann(0.4, 3.0, "b")});
    const auto spans = strong(item, clips(1), opts(0.6));
    CHECK(spans[0].labels == Labels{"b"});
  }
  SECTION("0: any overlap counts, touching does not") {
    const Item item = item_with({ann(0.999, 3.0, "a"), ann(1.0, 3.0, "b")});
    const auto spans = strong(item, clips(1), opts(0.0));
    CHECK(spans[0].labels == Labels{"a"});
  }
  SECTION("1: only full cover") {
    const Item item = item_with({ann(0.0, 1.0, "a"), ann(0.001, 2.0, "b"), ann(0.2, 0.3, "c")});
    const auto spans = strong(item, clips(1), opts(1.0));
    CHECK(spans[0].labels == Labels{"a", "c"});  // c is covered entirely (the shorter one)
  }
  SECTION("a short event's boundary is half of the event") {
    const Item item = item_with({ann(0.9, 1.1, "x"), ann(1.91, 2.11, "y")});
    const auto spans = strong(item, clips(3));
    CHECK(spans[0].labels == Labels{"x"});  // 0.1 of 0.2: exactly half
    CHECK(spans[1].labels == Labels{"x"});  // y: 0.09 of 0.2
    CHECK(spans[2].labels == Labels{"y"});  // 0.11 of 0.2
  }
}

TEST_CASE("strong labels: --background labels clips without one, none leaves them empty to drop", "[segment]") {
  const Item item = item_with({ann(0.0, 1.0, "dog")});
  SECTION("none") {
    const auto spans = strong(item, clips(2));
    CHECK(spans[1].labels.empty());
    CHECK(spans[1].label_source == "annotations");
  }
  SECTION("a label") {
    const auto spans = strong(item, clips(2), opts(0.5, "background"));
    CHECK(spans[0].labels == Labels{"dog"});
    CHECK(spans[0].label_source == "annotations");
    CHECK(spans[1].labels == Labels{"background"});
    CHECK(spans[1].label_source == "background");
  }
}

TEST_CASE("strong labels: two annotators and a vote", "[segment]") {
  // 0-1 both say dog; 1-2 anna dog, bob cat (1-1 ties: nothing); 2-3 only anna; 3-4 both dog and
  // bob also bird.
  const Item item = item_with({ann(0.0, 1.0, "dog", "anna"), ann(1.0, 2.0, "dog", "anna"), ann(2.0, 3.0, "dog", "anna"),
                               ann(3.0, 4.0, "dog", "anna"), ann(0.1, 1.0, "dog", "bob"), ann(1.0, 2.0, "cat", "bob"),
                               ann(3.0, 4.0, "dog", "bob"), ann(3.0, 4.0, "bird", "bob")});
  SECTION("vote: a strict majority of two is both") {
    const auto spans = strong(item, clips(4));
    CHECK(spans[0].labels == Labels{"dog"});
    CHECK(spans[1].labels.empty());
    CHECK(spans[2].labels.empty());
    CHECK(spans[3].labels == Labels{"dog"});
  }
  SECTION("--annotator anna") {
    const auto spans = strong(item, clips(4), opts(0.5, "none", "anna"));
    for (const auto& s : spans) CHECK(s.labels == Labels{"dog"});
  }
  SECTION("--annotator bob") {
    const auto spans = strong(item, clips(4), opts(0.5, "none", "bob"));
    CHECK(spans[0].labels == Labels{"dog"});
    CHECK(spans[1].labels == Labels{"cat"});
    CHECK(spans[2].labels.empty());
    CHECK(spans[3].labels == Labels{"bird", "dog"});
  }
  SECTION("--annotator of someone else: nothing selected") {
    CHECK(selected_annotations(item, "carl").empty());
  }
  SECTION("--annotator union: what anyone put there") {
    const auto spans = strong(item, clips(4), opts(0.5, "none", "union"));
    CHECK(spans[0].labels == Labels{"dog"});
    CHECK(spans[1].labels == Labels{"cat", "dog"});
    CHECK(spans[2].labels == Labels{"dog"});
    CHECK(spans[3].labels == Labels{"bird", "dog"});
  }
}

TEST_CASE("strong labels: three annotators, two make a majority", "[segment]") {
  const Item item = item_with({ann(0, 1, "dog", "anna"), ann(0, 1, "dog", "bob"), ann(0, 1, "cat", "carl"),
                               ann(1, 2, "dog", "anna"), ann(1, 2, "cat", "bob"), ann(1, 2, "bird", "carl"),
                               ann(2, 3, "x", "anna"), ann(2, 3, "x", "bob"), ann(2, 3, "x", "carl")});
  const auto spans = strong(item, clips(3));
  CHECK(spans[0].labels == Labels{"dog"});
  CHECK(spans[1].labels.empty());
  CHECK(spans[2].labels == Labels{"x"});
}

TEST_CASE("strong labels: one annotator's two annotations of one label are one vote", "[segment]") {
  const Item item = item_with({ann(0.0, 0.5, "dog", "anna"), ann(0.5, 1.0, "dog", "anna"), ann(5.0, 6.0, "cat", "bob")});
  const auto spans = strong(item, clips(1));
  CHECK(spans[0].labels.empty());  // anna's dog is 1 of 2 annotators
}

TEST_CASE("strong labels: an unattributed track counts as one annotator", "[segment]") {
  const Item item = item_with({ann(0.0, 1.0, "dog"), ann(0.0, 1.0, "dog", "anna")});
  CHECK(selected_annotations(item, "vote").size() == 2);
  CHECK(strong(item, clips(1))[0].labels == Labels{"dog"});
  CHECK(strong(item, clips(1), opts(0.5, "none", "anna"))[0].labels == Labels{"dog"});
}

TEST_CASE("only each annotator's first pass is used", "[segment]") {
  const Item item = item_with({ann(0.0, 1.0, "dog", "anna", 1), ann(0.0, 1.0, "cat", "anna", 2), ann(0.0, 1.0, "cat", "anna", 3),
                               ann(0.0, 1.0, "dog", "bob", 1), ann(1.0, 2.0, "cat", "bob", 2)});
  const auto anna = selected_annotations(item, "anna");
  REQUIRE(anna.size() == 1);
  CHECK(anna[0].label == "dog");
  CHECK(selected_annotations(item, "vote").size() == 2);
  const auto spans = strong(item, clips(2));
  CHECK(spans[0].labels == Labels{"dog"});
  CHECK(spans[1].labels.empty());  // bob's second pass does not count
}

TEST_CASE("weak labels: every clip gets the item's labels and label_source", "[segment]") {
  Item item = item_with({ann(0.0, 0.5, "dog")}, {"dog", "outdoor"});
  item.label_source = "sheet";
  auto spans = clips(3);
  label_spans(spans, item, selected_annotations(item, "vote"), false, kRate, opts());
  for (const auto& s : spans) {
    CHECK(s.labels == Labels{"dog", "outdoor"});
    CHECK(s.label_source == "sheet");
  }
  Item unlabelled;
  unlabelled.id = "u.wav";
  label_spans(spans, unlabelled, {}, false, kRate, opts());
  CHECK(spans[0].labels.empty());
  CHECK(spans[0].label_source == "none");
}

TEST_CASE("strong labels of a padded clip are judged on its audio", "[segment]") {
  // The tail clip holds 0.4 s of audio (and 0.6 s of zeros); an event over all of that audio
  // covers it.
  const Item item = item_with({ann(2.0, 2.4, "dog")});
  std::vector<ClipSpan> spans{span(2000, 400, 1000)};
  spans = strong(item, spans);
  CHECK(spans[0].labels == Labels{"dog"});
}

TEST_CASE("clips keep the overlapping annotations, shifted to clip time and cut to the clip", "[segment]") {
  Annotation spectral = ann(0.5, 1.7, "dog", "anna", 1);
  spectral.low_hz = 300;
  spectral.high_hz = 4000;
  spectral.extra["confidence"] = 0.9;
  const std::vector<Annotation> selected{spectral, ann(1.2, 1.2, "click", "anna"), ann(3.5, 4.0, "far", "anna"),
                                         ann(0.0, 0.3, "early", "bob"), ann(0.999, 1.0, "edge", "bob")};
  auto spans = clips(2);
  attach_annotations(spans, selected, kRate);

  REQUIRE(spans[0].annotations.size() == 3);
  const auto& a0 = spans[0].annotations[0];
  CHECK(a0.label == "dog");
  CHECK(a0.start == 0.5);
  CHECK(a0.end == 1.0);
  CHECK(a0.annotator == std::optional<std::string>("anna"));
  CHECK(a0.pass == 1);
  CHECK(a0.low_hz == std::optional<double>(300));
  CHECK(a0.high_hz == std::optional<double>(4000));
  CHECK(a0.extra.value("confidence", 0.0) == 0.9);
  CHECK(spans[0].annotations[1].label == "early");
  CHECK(spans[0].annotations[1].start == 0.0);
  CHECK(spans[0].annotations[1].end == 0.3);
  CHECK(spans[0].annotations[2].label == "edge");
  CHECK(spans[0].annotations[2].start == 0.999);
  CHECK(spans[0].annotations[2].end == 1.0);

  REQUIRE(spans[1].annotations.size() == 2);
  CHECK(spans[1].annotations[0].label == "dog");
  CHECK(spans[1].annotations[0].start == 0.0);
  CHECK(spans[1].annotations[0].end == 0.7);  // rounded to the microsecond: no 0.7000000000000002
  CHECK(spans[1].annotations[1].label == "click");
  CHECK(spans[1].annotations[1].start == 0.2);
  CHECK(spans[1].annotations[1].end == 0.2);
  for (const auto& s : spans) {
    for (const auto& a : s.annotations) {
      CHECK(a.start >= 0);
      CHECK(a.end <= 1.0);
      CHECK(a.start <= a.end);
    }
  }
}

TEST_CASE("clip annotations: overlapping clips each keep their cut, a padded clip cuts at its audio", "[segment]") {
  std::vector<ClipSpan> spans{span(0, 1000), span(500, 1000), span(1000, 300, 1000)};
  attach_annotations(spans, {ann(0.75, 1.25, "x")}, kRate);
  REQUIRE(spans[0].annotations.size() == 1);
  CHECK(spans[0].annotations[0].start == 0.75);
  CHECK(spans[0].annotations[0].end == 1.0);
  REQUIRE(spans[1].annotations.size() == 1);
  CHECK(spans[1].annotations[0].start == 0.25);
  CHECK(spans[1].annotations[0].end == 0.75);
  REQUIRE(spans[2].annotations.size() == 1);
  CHECK(spans[2].annotations[0].start == 0.0);
  CHECK(spans[2].annotations[0].end == 0.25);
}

TEST_CASE("events: the selected annotations in time order, a vote merges the same event", "[segment]") {
  const std::vector<Annotation> selected{ann(5.0, 5.2, "dog", "anna"), ann(1.0, 1.3, "dog", "anna"), ann(1.1, 1.4, "dog", "bob"),
                                         ann(1.2, 1.25, "cat", "bob"), ann(7.0, 7.1, "dog", "bob")};
  SECTION("vote: an event stays when a strict majority of the annotators marked it") {
    // anna and bob both marked the dog at 1.0-1.4; the cat, the dog at 5.0 and the dog at 7.0
    // were each marked by one of two annotators (issue 22, item 9).
    const auto events = event_list(selected, "vote");
    REQUIRE(events.size() == 1);
    CHECK(events[0].label == "dog");
    CHECK(events[0].start == 1.0);
    CHECK(events[0].end == 1.4);
    CHECK_FALSE(events[0].annotator.has_value());
  }
  SECTION("vote with three annotators: two of three are enough") {
    std::vector<Annotation> three = selected;
    three.push_back(ann(7.05, 7.2, "dog", "cleo"));
    three.push_back(ann(1.2, 1.3, "cat", "cleo"));
    three.push_back(ann(9.0, 9.5, "bird", "cleo"));
    const auto events = event_list(three, "vote");
    REQUIRE(events.size() == 3);
    CHECK((events[0].label == "dog" && events[0].start == 1.0));
    CHECK((events[1].label == "cat" && events[1].start == 1.2 && events[1].end == 1.3));  // bob and cleo
    CHECK((events[2].label == "dog" && events[2].start == 7.0 && events[2].end == 7.2));  // bob and cleo
  }
  SECTION("union: every annotator's events, overlapping ones of a label merged") {
    const auto events = event_list(selected, "union");
    REQUIRE(events.size() == 4);
    CHECK(events[0].label == "dog");
    CHECK(events[0].start == 1.0);
    CHECK(events[0].end == 1.4);
    CHECK_FALSE(events[0].annotator.has_value());
    CHECK(events[1].label == "cat");
    CHECK(events[2].start == 5.0);
    CHECK(events[2].annotator == std::optional<std::string>("anna"));
    CHECK(events[3].start == 7.0);
  }
  SECTION("one annotator: nothing merged") {
    const auto events = event_list(selected_annotations(item_with(selected), "bob"), "bob");
    REQUIRE(events.size() == 3);
    CHECK(events[0].start == 1.1);
    CHECK(events[1].start == 1.2);
    CHECK(events[2].start == 7.0);
  }
}

namespace {
Annotation with_salience(Annotation a, const char* salience) {
  a.salience = salience;
  return a;
}
}  // namespace

TEST_CASE("clip salience: of the annotations its labels came from, when they agree (issue 20)", "[segment][tags]") {
  // 0-1 dog fg; 1-2 siren bg; 2-3 dog fg and siren bg: mixed; 3-4 untagged bird; 4-5 anna fg,
  // bob untagged: fg; 5-6 a bg event that covers too little: not its salience.
  const Item item = item_with({with_salience(ann(0, 1, "dog"), "fg"), with_salience(ann(1, 2, "siren"), "bg"),
                               with_salience(ann(2, 3, "dog"), "fg"), with_salience(ann(2, 3, "siren"), "bg"),
                               ann(3, 4, "bird"), with_salience(ann(4, 5, "owl"), "fg"), ann(4, 5, "owl"),
                               ann(5, 6, "car"), with_salience(ann(5.9, 6.5, "cat"), "bg")});
  const auto spans = strong(item, clips(6), opts(0.5, "none", "vote"));
  REQUIRE(spans.size() == 6);
  const std::optional<std::string> none;
  CHECK(spans[0].salience == std::optional<std::string>("fg"));
  CHECK(spans[1].salience == std::optional<std::string>("bg"));
  CHECK(spans[2].salience == none);
  CHECK(spans[3].salience == none);
  CHECK(spans[4].salience == std::optional<std::string>("fg"));
  CHECK(spans[5].labels == Labels{"car"});
  CHECK(spans[5].salience == none);

  SECTION("weak clips take the recording's salience") {
    Item weak = item;
    weak.salience = "bg";
    auto w = clips(2);
    label_spans(w, weak, {}, false, kRate, opts());
    CHECK(w[0].salience == std::optional<std::string>("bg"));
  }
  SECTION("a salience keeps only its annotations; untagged ones are of neither") {
    const auto fg = selected_annotations(item, "vote", "fg");
    REQUIRE(fg.size() == 3);
    for (const auto& a : fg) CHECK(a.salience == std::optional<std::string>("fg"));
    CHECK(selected_annotations(item, "vote", "bg").size() == 3);
  }
  SECTION("merged vote events keep a salience only when both had it") {
    const Item two = item_with({with_salience(ann(0, 1, "dog", "anna"), "fg"), with_salience(ann(0.5, 1.5, "dog", "bob"), "fg"),
                                with_salience(ann(3, 4, "cat", "anna"), "fg"), with_salience(ann(3.5, 4, "cat", "bob"), "bg")});
    const auto events = event_list(selected_annotations(two, "vote"), "vote");
    REQUIRE(events.size() == 2);
    CHECK(events[0].salience == std::optional<std::string>("fg"));
    CHECK(events[1].salience == none);
  }
}
