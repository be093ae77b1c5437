#pragma once
// Paths that manifest records hold, and the one rule that turns a record's text (an id, a
// label) into a file name.

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace clipset {

// A path a record holds (its file, its source), resolved against `root` when it is relative;
// an empty root leaves it as it is (relative to the working directory).
std::filesystem::path resolve_path(const std::string& path, const std::filesystem::path& root);

// What a non-regular file is, for messages: "a folder", "a FIFO", "a character device", ...
// Empty for a regular file.
std::string non_regular_kind(unsigned mode);

// A path from a manifest is read only if it names a regular file (a symbolic link to one is
// fine): a FIFO would block forever, /dev/zero never ends. Throws clipset::Error naming the path:
// io for a missing or unreachable file ("no such file or directory") or a folder ("is a
// directory"), data for anything else that is not a regular file ("not a regular file (a
// FIFO)"). Never opens the file.
void require_regular_file(const std::filesystem::path& path);

// The longest name safe_file_name returns, in bytes: room is left for a suffix such as
// "-2.flac" within the 255 bytes a file name may have.
inline constexpr std::size_t kSafeNameMax = 200;

// Text from a manifest (an id, a label) as one file-name component that stays inside the folder
// it is joined to: never empty, ".", "..", never holding '/', '\\', NUL, control characters or
// invalid UTF-8, never starting with '-' or '.', at most kSafeNameMax bytes. Safe text is
// returned as it is; otherwise the offending bytes become '_' (a leading '_' is added where
// needed, a long name is cut at a character boundary) and "-" with 8 hex digits of the exact
// text's SHA-256 is appended, so two different texts never share a name.
std::string safe_file_name(std::string_view text);

// The files a manifest's records name, to find the files in a folder that none names (segment
// --clean, validate's orphan-file check): one rule for both.
class NamedFiles {
 public:
  // A record's path, resolved against `root` as readers resolve it.
  void add(const std::string& path, const std::filesystem::path& root);
  bool contains(const std::filesystem::path& file) const;
  std::size_t size() const noexcept { return names_.size(); }

 private:
  std::unordered_set<std::string> names_;  // absolute, lexically normal
};

struct UnnamedFiles {
  std::vector<std::filesystem::path> files;  // sorted
  std::vector<std::pair<std::filesystem::path, std::string>> unreadable;  // folders that could not be listed: reason
};

// Files under `folder` (recursively) that no record names. Names starting with '.' (temporary
// files being written, .git) are skipped with everything under them; links to folders are not
// followed; a link to a file counts as a file. Throws clipset::Error (io) when `folder` itself
// cannot be listed.
UnnamedFiles files_no_record_names(const std::filesystem::path& folder, const NamedFiles& named);

}  // namespace clipset
