#pragma once
// Decoding one UTF-8 character at a time, for the text helpers that walk characters.

#include <cstddef>
#include <string_view>

namespace clipset::utf8 {

struct Char {
  char32_t code = 0;    // the code point; the byte itself when !valid
  std::size_t size = 1; // bytes taken from the text
  bool valid = false;   // false: a byte that starts no well-formed sequence (taken alone)
};

// The character at byte `at` of `text` (at < text.size()). Overlong forms, surrogates and
// code points above U+10FFFF are not well-formed.
Char next(std::string_view text, std::size_t at);

}  // namespace clipset::utf8
