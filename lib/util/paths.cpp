#include "clipset/paths.hpp"

namespace clipset {

std::filesystem::path resolve_path(const std::string& path, const std::filesystem::path& root) {
  std::filesystem::path p(path);
  if (p.is_absolute() || root.empty()) return p;
  return root / p;
}

}  // namespace clipset
