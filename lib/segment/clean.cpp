// segment --clean: the clip files an earlier run with other settings left beside the new ones.

#include <unistd.h>

#include <cerrno>
#include <set>
#include <system_error>

#include "clipset/error.hpp"
#include "clipset/segment.hpp"

namespace clipset {

namespace fs = std::filesystem;

namespace {

// Only what segment itself writes is ever removed.
bool is_clip_container(const fs::path& file) {
  const std::string ext = file.extension().string();
  for (const auto container : {ClipEncoding::Container::wav, ClipEncoding::Container::flac}) {
    if (ext == "." + container_name(container)) return true;
  }
  return false;
}

// `folder` lies strictly inside `top` (both as walked from `top`, so lexical is enough).
bool strictly_inside(const fs::path& folder, const fs::path& top) {
  const fs::path rel = folder.lexically_normal().lexically_relative(top.lexically_normal());
  return !rel.empty() && rel != "." && *rel.begin() != ".." && rel.filename() != "";
}

// Removes `folder` and then its parents, never `top` or anything outside it, while they are empty.
std::size_t remove_empty_folders(fs::path folder, const fs::path& top) {
  std::size_t removed = 0;
  for (fs::path at = folder; strictly_inside(at, top); at = at.parent_path()) {
    if (::rmdir(at.c_str()) != 0) break;  // not empty (ENOTEMPTY), or not ours to remove
    ++removed;
  }
  return removed;
}

}  // namespace

CleanSummary clean_clip_folder(const fs::path& out_dir, const NamedFiles& named) {
  CleanSummary summary;
  UnnamedFiles unnamed = files_no_record_names(out_dir, named);
  summary.problems = std::move(unnamed.unreadable);
  std::set<fs::path> parents;
  for (const fs::path& file : unnamed.files) {
    if (!is_clip_container(file)) continue;
    std::error_code ec;
    if (!fs::remove(file, ec) || ec) {
      summary.problems.emplace_back(file, ec ? errno_reason(ec.value()) : "vanished while cleaning");
      continue;
    }
    summary.removed.push_back(file);
    parents.insert(file.parent_path());
  }
  // Deepest first, so a folder whose only content was an emptied sub-folder goes too.
  for (auto it = parents.rbegin(); it != parents.rend(); ++it) summary.removed_folders += remove_empty_folders(*it, out_dir);
  return summary;
}

}  // namespace clipset
