// Recursive, deterministic folder walk that cannot loop.

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <set>
#include <utility>

#include "clipset/error.hpp"
#include "clipset/ingest.hpp"
#include "clipset/paths.hpp"
#include "clipset/text.hpp"

namespace fs = std::filesystem;

namespace clipset {

namespace {

// Files that travel with recordings and are never audio: label tracks and sheets, notes,
// editors' peak and analysis caches, OS litter.
constexpr std::array kSidecarExtensions = {
    ".txt", ".csv", ".tsv", ".json", ".jsonl", ".md", ".xml", ".yaml", ".yml", ".pdf", ".html",
    ".srt", ".vtt", ".lab", ".textgrid", ".pkf", ".reapeaks", ".asd", ".sfk", ".peak", ".aup", ".aup3",
    ".ini", ".db", ".log",
};
constexpr std::array kSidecarNames = {"thumbs.db", "desktop.ini", "icon\r"};

using DirKey = std::pair<dev_t, ino_t>;

struct Walker {
  const ScanOptions& options;
  ScanResult& result;
  std::set<DirKey> visited{};
  std::size_t root_index = 0;

  bool excluded(const fs::path& relative, bool is_dir) const {
    const std::string rel = relative.generic_string();
    const std::string name = relative.filename().string();
    for (const auto& pattern : options.exclude) {
      const bool match = pattern.find('/') == std::string::npos ? glob_match(pattern, name) : glob_match(pattern, rel);
      if (match) return true;
    }
    if (is_dir || options.include.empty()) return false;
    for (const auto& pattern : options.include) {
      const bool match = pattern.find('/') == std::string::npos ? glob_match(pattern, name) : glob_match(pattern, rel);
      if (match) return false;
    }
    return true;
  }

  // Symlinked folders found while walking, walked once the real folders are done.
  std::vector<std::pair<fs::path, fs::path>> linked_folders{};

  void walk(const fs::path& dir, const fs::path& relative) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
      result.warnings.push_back(dir.string() + ": " + errno_reason(errno));
      return;
    }
    if (!visited.insert({st.st_dev, st.st_ino}).second) return;  // seen through another path

    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      names.push_back(it->path().filename().string());
    }
    if (ec) {
      // Recordings may be in there: a rejection (counted, in --rejects, fatal under --strict),
      // not just a warning.
      add_audio(dir, relative, "cannot read folder: " + errno_reason(ec.value()));
      return;
    }
    std::sort(names.begin(), names.end());  // byte order: the same on every machine and locale

    for (const auto& name : names) {
      if (name.empty() || name[0] == '.') continue;
      const fs::path path = dir / name;
      const fs::path rel = relative / name;
      struct stat link {};
      struct stat entry {};
      const bool is_link = ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode);
      if (::stat(path.c_str(), &entry) != 0) {
        const int err = errno;
        // A broken link where a recording should be (a dropped git-annex or DVC object).
        if (!is_sidecar_file(name) && !excluded(rel, false)) {
          add_audio(path, rel, err == ELOOP ? "a loop of symbolic links"
                               : is_link  ? "broken symbolic link (its target does not exist)"
                                          : errno_reason(err));
        }
        continue;
      }
      if (S_ISDIR(entry.st_mode)) {
        if (excluded(rel, true)) continue;
        if (is_link) {
          linked_folders.emplace_back(path, rel);
        } else {
          walk(path, rel);
        }
      } else if (S_ISREG(entry.st_mode)) {
        if (to_lower(fs::path(name).extension().string()) == ".txt") {
          result.label_tracks.push_back({path, rel, root_index, {}});
        } else if (!is_sidecar_file(name) && !excluded(rel, false)) {
          add_audio(path, rel, {});
        }
      } else if (!is_sidecar_file(name) && !excluded(rel, false)) {
        add_audio(path, rel, "not a regular file (" + non_regular_kind(entry.st_mode) + ")");
      }
    }
  }

  void walk_root(const fs::path& root) {
    walk(root, fs::path());
    // Links may lead to more links: take them in the order found until none are left.
    for (std::size_t i = 0; i < linked_folders.size(); ++i) {
      const auto [path, rel] = linked_folders[i];
      walk(path, rel);
    }
    linked_folders.clear();
  }

  void add_audio(const fs::path& path, const fs::path& rel, std::string problem) {
    result.audio.push_back({path, rel, root_index, std::move(problem)});
  }

};

}  // namespace

bool is_sidecar_file(const fs::path& name) {
  const std::string lower_name = to_lower(name.filename().string());
  if (std::find(kSidecarNames.begin(), kSidecarNames.end(), lower_name) != kSidecarNames.end()) return true;
  const std::string ext = to_lower(name.extension().string());
  return std::find(kSidecarExtensions.begin(), kSidecarExtensions.end(), ext) != kSidecarExtensions.end();
}

ScanResult scan_roots(const std::vector<fs::path>& roots, const ScanOptions& options) {
  ScanResult result;
  Walker walker{options, result};
  for (std::size_t i = 0; i < roots.size(); ++i) {
    const fs::path& root = roots[i];
    std::error_code ec;
    const auto status = fs::status(root, ec);
    if (ec || !fs::exists(status)) throw_io(root.string(), "no such file or directory");
    walker.root_index = i;
    if (fs::is_directory(status)) {
      walker.walk_root(root);
    } else if (fs::is_regular_file(status)) {
      // A single file given on the command line is ingested as it is.
      result.audio.push_back({root, root.filename(), i, {}});
    } else {
      throw_io(root.string(), "not a folder or a regular file");
    }
  }
  return result;
}

}  // namespace clipset
