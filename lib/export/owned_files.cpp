// The files an export wrote, listed in DIR/.clipset-files, so that a re-export removes what it
// no longer names and never anything else.

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "internal.hpp"

namespace clipset::detail {

namespace {

namespace fs = std::filesystem;

constexpr const char* kListFile = ".clipset-files";

// A line of the list as a path inside the out folder; empty when it could point anywhere else
// (the list is a file a person can edit).
fs::path inside(const std::string& line) {
  const fs::path path(line);
  if (line.empty() || path.is_absolute()) return {};
  for (const auto& part : path) {
    if (part == ".." || part == "." || part.empty()) return {};
  }
  return path;
}

std::string list_text(const std::set<fs::path>& files) {
  std::string text;
  for (const auto& file : files) text += file.string() + "\n";
  return text;
}

}  // namespace

OwnedFiles::OwnedFiles(const fs::path& out_dir) : cwd_(fs::current_path()), out_dir_((cwd_ / out_dir).lexically_normal()) {
  std::ifstream in(out_dir_ / kListFile);
  std::string line;
  while (std::getline(in, line)) {
    if (const fs::path path = inside(line); !path.empty()) listed_.insert(path);
  }
}

fs::path OwnedFiles::relative(const fs::path& file) const { return (cwd_ / file).lexically_normal().lexically_relative(out_dir_); }

void OwnedFiles::claim(const std::vector<fs::path>& planned) {
  bool grew = false;
  for (const auto& file : planned) {
    if (const fs::path path = inside(relative(file).string()); !path.empty()) grew = listed_.insert(path).second || grew;
  }
  if (grew) write_if_changed(out_dir_ / kListFile, list_text(listed_));
}

std::size_t OwnedFiles::settle(const std::vector<fs::path>& kept) {
  std::set<fs::path> now;
  for (const auto& file : kept) {
    if (const fs::path path = inside(relative(file).string()); !path.empty()) now.insert(path);
  }
  std::size_t removed = 0;
  for (const auto& path : listed_) {
    if (now.count(path) != 0) continue;
    const fs::path file = out_dir_ / path;
    struct stat st{};
    // Only files and links: a folder by that name now is not the file the export wrote.
    if (::lstat(file.c_str(), &st) != 0 || !(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) continue;
    if (::unlink(file.c_str()) != 0) continue;
    ++removed;
    // Folders the export made and left empty go too (rmdir refuses any that is not empty).
    for (fs::path dir = path.parent_path(); !dir.empty() && ::rmdir((out_dir_ / dir).c_str()) == 0;) dir = dir.parent_path();
  }
  listed_ = std::move(now);
  write_if_changed(out_dir_ / kListFile, list_text(listed_));
  return removed;
}

}  // namespace clipset::detail
