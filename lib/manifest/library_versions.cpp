// The JSON library's version, for clipset --version (header-only, so the one compiled in).

#include <nlohmann/json.hpp>

#include <string>

#include "clipset/manifest.hpp"

namespace clipset {

std::vector<std::pair<std::string, std::string>> json_library_versions() {
  return {{"nlohmann/json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." + std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                std::to_string(NLOHMANN_JSON_VERSION_PATCH)}};
}

}  // namespace clipset
