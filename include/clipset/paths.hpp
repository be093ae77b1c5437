#pragma once
// Paths that manifest records hold.

#include <filesystem>
#include <string>

namespace clipset {

// A path a record holds (its file, its source), resolved against `root` when it is relative;
// an empty root leaves it as it is (relative to the working directory).
std::filesystem::path resolve_path(const std::string& path, const std::filesystem::path& root);

}  // namespace clipset
