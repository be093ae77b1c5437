#include "clipset/paths.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/text.hpp"

namespace clipset {

std::filesystem::path resolve_path(const std::string& path, const std::filesystem::path& root) {
  std::filesystem::path p(path);
  if (p.is_absolute() || root.empty()) return p;
  return root / p;
}

std::string non_regular_kind(unsigned mode) {
  if (S_ISREG(mode)) return {};
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a file";
}

void require_regular_file(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    // ELOOP: a cycle of symbolic links; name it as such, not as a missing file.
    throw_io(path.string(), errno == ELOOP ? "a loop of symbolic links" : errno_reason(errno));
  }
  if (S_ISDIR(info.st_mode)) throw_io(path.string(), "is a directory");
  if (const std::string kind = non_regular_kind(info.st_mode); !kind.empty()) {
    throw_data(path.string(), "not a regular file (" + kind + ")");
  }
}

namespace {
constexpr std::size_t kDigestSuffix = 9;  // "-" and 8 hex digits

bool is_forbidden_byte(unsigned char c) { return c < 0x20 || c == 0x7f || c == '/' || c == '\\'; }
}  // namespace

std::string safe_file_name(std::string_view text) {
  std::string name;
  bool changed = false;
  if (text.empty() || text.front() == '-' || text.front() == '.') {
    name += '_';  // never hidden, never option-like, never "." or ".."
    changed = true;
  }
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0 || (length == 1 && is_forbidden_byte(static_cast<unsigned char>(text[i])))) {
      name += '_';
      changed = true;
      ++i;
    } else {
      name.append(text.substr(i, length));
      i += length;
    }
  }
  if (name.size() > kSafeNameMax) changed = true;
  if (!changed) return name;
  // Room for the digest; `name` is valid UTF-8, so back up to the start of a character.
  std::size_t cut = std::min(name.size(), kSafeNameMax - kDigestSuffix);
  while (cut < name.size() && (static_cast<unsigned char>(name[cut]) & 0xc0) == 0x80) --cut;
  name.resize(cut);
  return name + "-" + sha256_hex(text).substr(0, 8);
}

}  // namespace clipset
