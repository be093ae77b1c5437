#pragma once
// A manifest line's top-level members as written, so that a command can take some out and add
// its own while every other byte of the line stays as the user had it (split's `split` and
// `fold`, suspects' `suspect`).

#include <optional>
#include <string_view>
#include <vector>

namespace clipset {

struct RecordMember {
  std::string_view text;  // the member as written, with the white space around it
  std::string_view key;   // its key's raw text, without quotes
};

// The members of one JSON object's text (a leading UTF-8 BOM and white space around it allowed),
// in order; nothing when the text is not one object or a key holds an escape (its name is then
// not its text). The views point into `line`.
std::optional<std::vector<RecordMember>> record_members(std::string_view line);

}  // namespace clipset
