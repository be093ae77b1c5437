// Clip files, one rule for every command that writes them.

#include "clipset/clip_files.hpp"

#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/manifest.hpp"
#include "clipset/paths.hpp"

namespace clipset {

namespace fs = std::filesystem;

fs::path clip_file_path(const fs::path& folder, const std::string& id, ClipEncoding::Container container) {
  return folder / (safe_file_name(id) + "." + container_name(container));
}

std::string clip_manifest_path(const fs::path& file, const std::optional<fs::path>& root) {
  if (!root) return file.lexically_normal().generic_string();
  std::error_code ec;
  const fs::path abs = fs::absolute(file, ec).lexically_normal();
  const fs::path rel = abs.lexically_relative(fs::absolute(*root, ec).lexically_normal());
  if (rel.empty() || *rel.begin() == "..") return abs.generic_string();
  return rel.generic_string();
}

bool write_clip_file(const fs::path& path, const std::string& bytes, const std::string& sha256, bool force) {
  std::error_code ec;
  if (!force && fs::file_size(path, ec) == bytes.size() && !ec && sha256_file(path).sha256 == sha256) return false;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw_output(path.parent_path().string(), "cannot create folder: " + errno_reason(ec.value()));
  AtomicOutput out(path.string(), false);
  out.stream().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.commit();
  return true;
}

}  // namespace clipset
