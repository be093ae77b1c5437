// Tags after a label ("siren [fg] [hard]") and the sheet columns that say the same things.

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "clipset/labels.hpp"
#include "clipset/text.hpp"
#include "facts.hpp"

namespace clipset {

namespace {

// Sets a two-valued field; the reason when it already has the other value.
std::optional<std::string> set_choice(std::optional<std::string>& field, const std::string& value) {
  if (field && *field != value) return "tags [" + *field + "] and [" + value + "] contradict each other";
  field = value;
  return std::nullopt;
}

// One tag's word, lowercased: which field it sets; the reason when it contradicts an earlier one.
std::optional<std::string> apply_tag(const std::string& word, AnnotationFacts& facts) {
  if (word == "fg" || word == "bg") return set_choice(facts.salience, word);
  if (word == "easy" || word == "hard") return set_choice(facts.difficulty, word);
  if (std::find(facts.tags.begin(), facts.tags.end(), word) == facts.tags.end()) facts.tags.push_back(word);
  return std::nullopt;
}

// Contradicting tags leave their field unset: neither is what the annotator meant for sure.
void drop_contradictions(AnnotationFacts& facts, bool salience, bool difficulty) {
  if (salience) facts.salience.reset();
  if (difficulty) facts.difficulty.reset();
}

bool is_digits(std::string_view text, std::size_t from, std::size_t count) {
  if (text.size() < from + count) return false;
  return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from), text.begin() + static_cast<std::ptrdiff_t>(from + count),
                     [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

LabelText parse_label_text(std::string_view text) {
  LabelText out;
  const std::size_t first = text.find('[');
  if (first == std::string_view::npos) {
    out.label = std::string(text);
    return out;
  }
  std::string_view label = text.substr(0, first);
  while (!label.empty() && (label.back() == ' ' || label.back() == '\t')) label.remove_suffix(1);
  out.label = std::string(label);

  bool salience_clash = false, difficulty_clash = false;
  std::size_t at = first;
  while (at < text.size()) {
    const std::size_t open = text.find_first_not_of(" \t", at);
    if (open == std::string_view::npos) break;
    if (text[open] != '[') {
      const std::size_t next = std::min(text.find('[', open), text.size());
      out.problems.push_back("text '" + std::string(trim(text.substr(open, next - open))) + "' after a tag is ignored");
      at = next;
      continue;
    }
    const std::size_t close = text.find(']', open);
    const std::size_t reopen = text.find('[', open + 1);
    if (close == std::string_view::npos || reopen < close) {
      out.problems.push_back("tag '" + std::string(trim(text.substr(open, std::min(reopen, text.size()) - open))) +
                             "' has no closing ']'");
      at = reopen;
      continue;
    }
    const std::string word = to_lower(trim(text.substr(open + 1, close - open - 1)));
    at = close + 1;
    if (word.empty()) {
      out.problems.push_back("empty tag []");
      continue;
    }
    if (auto clash = apply_tag(word, out.facts)) {
      (word == "fg" || word == "bg" ? salience_clash : difficulty_clash) = true;
      out.problems.push_back(*clash + " (neither is kept)");
    }
  }
  drop_contradictions(out.facts, salience_clash, difficulty_clash);
  return out;
}

std::string format_label_text(std::string_view label, const AnnotationFacts& facts) {
  std::string text(label);
  const auto add = [&](const std::string& word) { text += (text.empty() ? "[" : " [") + word + "]"; };
  if (facts.salience) add(*facts.salience);
  if (facts.difficulty) add(*facts.difficulty);
  for (const auto& tag : facts.tags) add(tag);
  return text;
}

namespace labels_detail {

bool is_annotation_column(std::string_view lowered) {
  return lowered == "salience" || lowered == "difficulty" || lowered == "annotated_at" || lowered == "notes";
}

bool is_iso8601_time(std::string_view text) {
  // YYYY-MM-DD, then optionally 'T' or ' ' and a time of day: what spreadsheets and `date -I` write.
  if (!is_digits(text, 0, 4) || text.size() < 10 || text[4] != '-' || !is_digits(text, 5, 2) || text[7] != '-' ||
      !is_digits(text, 8, 2)) {
    return false;
  }
  if (text.size() == 10) return true;
  return (text[10] == 'T' || text[10] == ' ') && is_digits(text, 11, 2) && text.size() >= 16 && text[13] == ':' &&
         is_digits(text, 14, 2);
}

std::optional<std::string> set_annotation_cell(std::string_view lowered_column, const std::string& cell,
                                               AnnotationFacts& facts) {
  const std::string value = to_lower(cell);
  if (lowered_column == "salience") {
    if (value == "fg" || value == "foreground") facts.salience = "fg";
    else if (value == "bg" || value == "background") facts.salience = "bg";
    else return "salience '" + cell + "' is not fg or bg (ignored)";
  } else if (lowered_column == "difficulty") {
    if (value != "easy" && value != "hard") return "difficulty '" + cell + "' is not easy or hard (ignored)";
    facts.difficulty = value;
  } else if (lowered_column == "annotated_at") {
    if (!is_iso8601_time(cell)) return "annotated_at '" + cell + "' is not an ISO 8601 date or time (ignored)";
    facts.annotated_at = cell;
  } else if (lowered_column == "notes") {
    facts.notes = cell;
  }
  return std::nullopt;
}

}  // namespace labels_detail

}  // namespace clipset
