// Files in a folder that no record of a manifest names.

#include <algorithm>
#include <system_error>

#include "clipset/error.hpp"
#include "clipset/paths.hpp"

namespace clipset {

namespace fs = std::filesystem;

namespace {

std::string normal_text(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  if (ec) absolute = path;
  return absolute.lexically_normal().generic_string();
}

bool hidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name.front() == '.';
}

}  // namespace

void NamedFiles::add(const std::string& path, const fs::path& root) {
  if (!path.empty()) names_.insert(normal_text(resolve_path(path, root)));
}

bool NamedFiles::contains(const fs::path& file) const { return names_.count(normal_text(file)) > 0; }

namespace {

// One folder's entries; its sub-folders are walked in turn, an unlistable one named and skipped.
void walk(const fs::path& folder, const NamedFiles& named, UnnamedFiles& out) {
  std::error_code ec;
  fs::directory_iterator it(folder, ec);
  if (ec) {
    out.unreadable.emplace_back(folder, errno_reason(ec.value()));
    return;
  }
  std::vector<fs::path> folders;
  for (const fs::directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      out.unreadable.emplace_back(folder, errno_reason(ec.value()));
      break;
    }
    const fs::directory_entry& entry = *it;
    if (hidden(entry.path())) continue;
    std::error_code kind;
    if (entry.is_symlink(kind)) {
      // A link counts as a file unless it leads to a folder (never followed: no loops).
      if (!fs::is_directory(entry.path(), kind) && !named.contains(entry.path())) out.files.push_back(entry.path());
    } else if (entry.is_directory(kind)) {
      folders.push_back(entry.path());
    } else if (entry.is_regular_file(kind) && !named.contains(entry.path())) {
      out.files.push_back(entry.path());
    }
  }
  std::sort(folders.begin(), folders.end());
  for (const auto& sub : folders) walk(sub, named, out);
}

}  // namespace

UnnamedFiles files_no_record_names(const fs::path& folder, const NamedFiles& named) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) throw_io(folder.string(), ec ? errno_reason(ec.value()) : "not a folder");
  UnnamedFiles out;
  walk(folder, named, out);
  if (!out.unreadable.empty() && out.unreadable.front().first == folder) throw_io(folder.string(), out.unreadable.front().second);
  std::sort(out.files.begin(), out.files.end());
  return out;
}

}  // namespace clipset
