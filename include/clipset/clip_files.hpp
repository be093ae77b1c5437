#pragma once
// Clip files: where a clip's file goes, how the manifest names it, and writing it so that a
// reader never sees half a file. segment and augment write clips through these rules.

#include <filesystem>
#include <optional>
#include <string>

#include "clipset/audio_process.hpp"

namespace clipset {

// `folder`/<safe_file_name(id)>.<container>: an id never names a file outside the folder.
std::filesystem::path clip_file_path(const std::filesystem::path& folder, const std::string& id,
                                     ClipEncoding::Container container);

// A clip's `path` in the manifest: as the folder was given, or relative to `root` when there is
// one (readers resolve relative paths against it); a file outside `root` keeps its absolute path.
std::string clip_manifest_path(const std::filesystem::path& file, const std::optional<std::filesystem::path>& root);

// Writes `bytes` (whose SHA-256 is `sha256`) to `path` atomically, creating its folder, unless
// an identical file is already there (and not `force`); true when it wrote. Throws
// clipset::OutputError when the folder or the file cannot be written.
bool write_clip_file(const std::filesystem::path& path, const std::string& bytes, const std::string& sha256, bool force);

}  // namespace clipset
