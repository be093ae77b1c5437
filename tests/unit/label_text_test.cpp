// Tags after a label in Audacity text ("siren [fg] [hard]") and the sheet columns that say the same.

#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "clipset/labels.hpp"

using clipset::AnnotationFacts;
using clipset::LabelText;
using clipset::parse_label_text;
using Strings = std::vector<std::string>;

TEST_CASE("label text: no tag leaves the text as it is", "[labels][tags]") {
  const LabelText t = parse_label_text("dog barking ");
  CHECK(t.label == "dog barking ");
  CHECK_FALSE(t.facts.salience);
  CHECK_FALSE(t.facts.difficulty);
  CHECK(t.facts.tags.empty());
  CHECK(t.problems.empty());
}

TEST_CASE("label text: salience, difficulty and free tags, any case", "[labels][tags]") {
  const LabelText t = parse_label_text("siren [FG] [Hard] [Night] [night]");
  CHECK(t.label == "siren");
  CHECK(t.facts.salience == "fg");
  CHECK(t.facts.difficulty == "hard");
  CHECK(t.facts.tags == Strings{"night"});
  CHECK(t.problems.empty());

  const LabelText bg = parse_label_text("dog[bg][easy]");
  CHECK(bg.label == "dog");
  CHECK(bg.facts.salience == "bg");
  CHECK(bg.facts.difficulty == "easy");
}

TEST_CASE("label text: contradicting tags keep neither and say so", "[labels][tags]") {
  const LabelText t = parse_label_text("dog [fg] [bg] [easy] [hard] [loud]");
  CHECK(t.label == "dog");
  CHECK_FALSE(t.facts.salience);
  CHECK_FALSE(t.facts.difficulty);
  CHECK(t.facts.tags == Strings{"loud"});
  CHECK(t.problems == Strings{"tags [fg] and [bg] contradict each other (neither is kept)",
                              "tags [easy] and [hard] contradict each other (neither is kept)"});
}

TEST_CASE("label text: bad tags are named and ignored, the label kept", "[labels][tags]") {
  CHECK(parse_label_text("dog [] [bg]").problems == Strings{"empty tag []"});
  CHECK(parse_label_text("dog [] [bg]").facts.salience == "bg");
  CHECK(parse_label_text("dog [ ]").problems == Strings{"empty tag []"});

  const LabelText open = parse_label_text("dog [bg");
  CHECK(open.label == "dog");
  CHECK_FALSE(open.facts.salience);
  CHECK(open.problems == Strings{"tag '[bg' has no closing ']'"});

  const LabelText nested = parse_label_text("dog [fg [hard]");
  CHECK(nested.problems == Strings{"tag '[fg' has no closing ']'"});
  CHECK(nested.facts.difficulty == "hard");

  const LabelText after = parse_label_text("dog [bg] far away");
  CHECK(after.label == "dog");
  CHECK(after.facts.salience == "bg");
  CHECK(after.problems == Strings{"text 'far away' after a tag is ignored"});
}

TEST_CASE("label text: only tags give an empty label", "[labels][tags]") {
  const LabelText t = parse_label_text("[bg]");
  CHECK(t.label.empty());
  CHECK(t.facts.salience == "bg");
}

TEST_CASE("label text: format is what parse reads back", "[labels][tags]") {
  AnnotationFacts facts;
  facts.salience = "bg";
  facts.difficulty = "hard";
  facts.tags = {"night", "rain"};
  const std::string text = clipset::format_label_text("dog", facts);
  CHECK(text == "dog [bg] [hard] [night] [rain]");
  const LabelText back = parse_label_text(text);
  CHECK(back.label == "dog");
  CHECK(back.facts.salience == facts.salience);
  CHECK(back.facts.difficulty == facts.difficulty);
  CHECK(back.facts.tags == facts.tags);
  CHECK(clipset::format_label_text("dog", AnnotationFacts{}) == "dog");
}

TEST_CASE("label text: Audacity labels keep their line for messages", "[labels][tags]") {
  const auto track = clipset::parse_audacity_labels("2\t3\tsiren [fg]\n\\\t100\t200\n0\t1\tdog [bg]\n");
  REQUIRE(track.labels.size() == 2);
  CHECK(track.labels[0].line == 3);  // sorted by start
  CHECK(track.labels[0].title == "dog [bg]");
  CHECK(track.labels[1].line == 1);
}

TEST_CASE("sheet: annotation columns are checked, kept in meta too", "[sheet][tags]") {
  std::istringstream in(
      "path,labels,salience,difficulty,annotated_at,notes\n"
      "a.wav,dog,Foreground,HARD,2026-03-01T14:05,barks twice\n"
      "b.wav,dog,bg,easy,2026-03-02,\n"
      "c.wav,dog,loud,medium,yesterday,\n");
  const clipset::Sheet sheet = clipset::parse_sheet(in, "meta.csv");
  REQUIRE(sheet.rows.size() == 3);
  const auto& a = sheet.rows[0].annotation;
  CHECK(a.salience == "fg");
  CHECK(a.difficulty == "hard");
  CHECK(a.annotated_at == "2026-03-01T14:05");
  CHECK(a.notes == "barks twice");
  CHECK(sheet.rows[0].meta["salience"] == "Foreground");
  CHECK(sheet.rows[1].annotation.salience == "bg");
  CHECK(sheet.rows[1].annotation.annotated_at == "2026-03-02");
  CHECK_FALSE(sheet.rows[1].annotation.notes);
  const auto& c = sheet.rows[2].annotation;
  CHECK_FALSE(c.salience);
  CHECK_FALSE(c.difficulty);
  CHECK_FALSE(c.annotated_at);
  REQUIRE(sheet.notices.size() == 3);
  CHECK(sheet.notices[0].line == 4);
  CHECK(sheet.notices[0].reason == "salience 'loud' is not fg or bg (ignored)");
  CHECK(sheet.notices[1].reason == "difficulty 'medium' is not easy or hard (ignored)");
  CHECK(sheet.notices[2].reason == "annotated_at 'yesterday' is not an ISO 8601 date or time (ignored)");
  CHECK(sheet.problems.empty());
}

TEST_CASE("label text: every prefix of a tangle of brackets parses, the label a prefix of it", "[labels][tags]") {
  const std::string text = "dog\t [fg] [bg]x [ [] ]] [hard [EASY] [night][Night] \xC3\xA9";
  for (std::size_t n = 0; n <= text.size(); ++n) {
    const std::string prefix = text.substr(0, n);
    const LabelText t = parse_label_text(prefix);
    INFO(prefix);
    CHECK(prefix.rfind(t.label, 0) == 0);
    if (prefix.find('[') == std::string::npos) CHECK(t.problems.empty());
    for (const auto& tag : t.facts.tags) CHECK_FALSE(tag.empty());
  }
}
