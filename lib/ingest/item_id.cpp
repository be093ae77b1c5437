// Item ids: readable, filesystem-safe and the same on every machine.

#include "clipset/hash.hpp"
#include "clipset/ingest.hpp"

namespace clipset {

namespace {
bool is_safe(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}
}  // namespace

// Folders join with "__"; other unsafe bytes become '_'. Where that loses information (an
// unsafe byte, or a "__" already in the path), an 8-hex digest of the exact path is appended,
// so two different paths never share an id.
std::string make_item_id(const std::filesystem::path& relative) {
  const std::string path = relative.generic_string();
  std::string id;
  bool lossy = path.find("__") != std::string::npos || path.empty() || path[0] == '-';
  for (const char c : path) {
    if (c == '/') {
      id += "__";
    } else if (is_safe(c)) {
      id += c;
    } else {
      id += '_';
      lossy = true;
    }
  }
  if (lossy) id += "-" + sha256_hex(path).substr(0, 8);
  if (!id.empty() && id[0] == '-') id.insert(0, "_");  // never an option-like file name
  return id;
}

}  // namespace clipset
