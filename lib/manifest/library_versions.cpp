// The JSON libraries' versions, for clipset --version: nlohmann/json is header-only (the version
// compiled in); simdjson's kernel is picked at run time for this CPU, so it is named too.

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <string>

#include "clipset/manifest.hpp"

namespace clipset {

std::vector<std::pair<std::string, std::string>> json_library_versions() {
  return {{"simdjson", std::to_string(simdjson::SIMDJSON_VERSION_MAJOR) + "." + std::to_string(simdjson::SIMDJSON_VERSION_MINOR) + "." +
                           std::to_string(simdjson::SIMDJSON_VERSION_REVISION) + " (" +
                           simdjson::get_active_implementation()->name() + " kernel)"},
          {"nlohmann/json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." + std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                std::to_string(NLOHMANN_JSON_VERSION_PATCH)}};
}

}  // namespace clipset
