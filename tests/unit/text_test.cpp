// The shared text helpers: display width, padding, terminal escaping, aligned columns, CSV
// fields, lower-casing.

#include "clipset/text.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using clipset::aligned_columns;
using clipset::csv_field;
using clipset::display_width;
using clipset::pad_left;
using clipset::pad_right;
using clipset::terminal_safe;

TEST_CASE("display width counts terminal columns, not bytes or code points", "[text]") {
  CHECK(display_width("") == 0);
  CHECK(display_width("dog") == 3);
  CHECK(display_width("café") == 4);            // é precomposed: 2 bytes, 1 column
  CHECK(display_width("cafe\xcc\x81") == 4);    // e + U+0301 combining acute: 0 columns
  CHECK(display_width("鳥") == 2);               // CJK: wide
  CHECK(display_width("鳥a") == 3);
  CHECK(display_width("한") == 2);               // Hangul syllable U+D55C
  CHECK(display_width("\xe1\x84\x80") == 2);    // Hangul choseong U+1100
  CHECK(display_width("ＡＢ") == 4);             // fullwidth forms U+FF21
  CHECK(display_width("\xef\xbf\xa0") == 2);    // U+FFE0 fullwidth cent
  CHECK(display_width("\xf0\xa0\x80\x80") == 2);  // U+20000, CJK extension B
  CHECK(display_width("\xef\xb8\xb0") == 2);    // U+FE30, CJK compatibility form
  CHECK(display_width("🐦") == 2);
  CHECK(display_width("a\xe2\x80\x8b" "b") == 2);  // U+200B zero width space
  CHECK(display_width("\xef\xbb\xbf" "a") == 1);   // U+FEFF byte order mark
  CHECK(display_width("Ω") == 1);
  CHECK(display_width("\xe3\x80\xbf") == 1);  // U+303F half fill space: narrow amid the wide block
}

TEST_CASE("display width counts each invalid UTF-8 byte as one column", "[text]") {
  CHECK(display_width("\xff") == 1);
  CHECK(display_width("a\xc3") == 2);              // a sequence cut short at the end
  CHECK(display_width("\xe9\xb3" "a") == 3);       // cut short before an ASCII letter
  CHECK(display_width("\xc0\xaf") == 2);           // overlong '/'
  CHECK(display_width("\xed\xa0\x80") == 3);       // a surrogate
  CHECK(display_width("\xf4\x90\x80\x80") == 4);   // above U+10FFFF
  CHECK(display_width("\x80\x80") == 2);           // stray continuation bytes
}

TEST_CASE("padding fills to display columns on either side", "[text]") {
  CHECK(pad_right("dog", 6) == "dog   ");
  CHECK(pad_left("dog", 6) == "   dog");
  CHECK(pad_right("café", 6) == "café  ");
  CHECK(pad_left("鳥", 6) == "    鳥");
  CHECK(pad_right("鳥", 1) == "鳥");  // wider than asked: unchanged, never cut
  CHECK(pad_left("", 2) == "  ");
  CHECK(pad_right("dog", 0) == "dog");
}

TEST_CASE("terminal_safe escapes what would drive the terminal and keeps the rest", "[text]") {
  CHECK(terminal_safe("café 鳥 dog") == "café 鳥 dog");
  CHECK(terminal_safe("a\tb\nc\rd") == "a\\tb\\nc\\rd");
  CHECK(terminal_safe("\x1b[31mred") == "\\x1b[31mred");
  CHECK(terminal_safe(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(terminal_safe("\x7f") == "\\x7f");
  CHECK(terminal_safe("\xc2\x9b" "2J") == "\\u009b2J");          // C1 CSI
  CHECK(terminal_safe("abc\xe2\x80\xae" "def") == "abc\\u202edef");  // right-to-left override
  CHECK(terminal_safe("\xff" "a\xc3") == "\\xffa\\xc3");
  CHECK(terminal_safe("back\\slash") == "back\\slash");
  CHECK(terminal_safe(terminal_safe("\x1b\xff")) == terminal_safe("\x1b\xff"));  // once is enough
}

TEST_CASE("aligned columns line up by display width", "[text]") {
  const std::vector<std::vector<std::string>> rows{{"class", "items"}, {"café", "3"}, {"鳥", "12"}, {"dog", "100"}};
  const auto lines = aligned_columns(rows, {false, true});
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "class  items");
  CHECK(lines[1] == "café       3");
  CHECK(lines[2] == "鳥        12");
  CHECK(lines[3] == "dog      100");
  for (const auto& line : lines) CHECK(display_width(line) == 12);
}

TEST_CASE("aligned columns escape control characters and drop trailing spaces", "[text]") {
  const auto lines = aligned_columns({{"a\nb", "x"}, {"long name", ""}, {"c"}}, {false, false});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "a\\nb       x");
  CHECK(lines[1] == "long name");
  CHECK(lines[2] == "c");
}

TEST_CASE("CSV fields are quoted only when RFC 4180 or a trimming reader needs it", "[text]") {
  CHECK(csv_field("") == "");
  CHECK(csv_field("dog") == "dog");
  CHECK(csv_field("café 鳥") == "café 鳥");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("cr\r") == "\"cr\r\"");
  CHECK(csv_field(" lead") == "\" lead\"");
  CHECK(csv_field("trail\t") == "\"trail\t\"");
  CHECK(csv_field("in side") == "in side");
}

TEST_CASE("to_lower lowers ASCII letters only", "[text]") {
  CHECK(clipset::to_lower("WAV.Mp3") == "wav.mp3");
  CHECK(clipset::to_lower("CAFÉ") == "cafÉ");  // É's UTF-8 bytes pass through untouched
  CHECK(clipset::to_lower("\xff\xc9") == "\xff\xc9");
}

TEST_CASE("trim removes ASCII whitespace at both ends", "[text]") {
  CHECK(clipset::trim(" \t\v\f dog \r\n") == "dog");
  CHECK(clipset::trim("   ").empty());
  CHECK(clipset::trim("a b") == "a b");
}

TEST_CASE("is_valid_utf8 accepts well-formed text only", "[text]") {
  CHECK(clipset::is_valid_utf8("café 鳥 🐦"));
  CHECK_FALSE(clipset::is_valid_utf8("\xc3"));
  CHECK_FALSE(clipset::is_valid_utf8("\xc0\xaf"));
  CHECK_FALSE(clipset::is_valid_utf8("\xed\xa0\x80"));
  CHECK_FALSE(clipset::is_valid_utf8("\xf4\x90\x80\x80"));
}

TEST_CASE("edit_distance: insertions, deletions, substitutions, swapped neighbours", "[text]") {
  CHECK(clipset::edit_distance("", "") == 0);
  CHECK(clipset::edit_distance("dog", "") == 3);
  CHECK(clipset::edit_distance("", "dog") == 3);
  CHECK(clipset::edit_distance("dog", "dog") == 0);
  CHECK(clipset::edit_distance("dgo", "dog") == 1);      // a swap
  CHECK(clipset::edit_distance("dog", "dogs") == 1);     // an insertion
  CHECK(clipset::edit_distance("siren", "sirne") == 1);
  CHECK(clipset::edit_distance("kitten", "sitting") == 3);
  CHECK(clipset::edit_distance("ca", "abc") == 3);       // optimal string alignment: no edit of a swapped pair
  CHECK(clipset::edit_distance("Dog", "dog") == 1);      // bytes: case counts
}
