#include "version_text.hpp"

#include "clipset/audio.hpp"
#include "clipset/dups.hpp"
#include "clipset/manifest.hpp"

namespace clipset::app {

std::string version_text() {
  std::string text = std::string("clipset ") + CLIPSET_VERSION;
  const std::string describe = CLIPSET_GIT_DESCRIBE;
  if (!describe.empty()) text += " (git " + describe + ")";
  text += "\n";
  auto add = [&](const std::vector<std::pair<std::string, std::string>>& libraries) {
    for (const auto& [name, version] : libraries) text += "  " + name + " " + version + "\n";
  };
  add(audio_library_versions());
  add(fingerprint_library_versions());
  add(json_library_versions());
  text.pop_back();  // CLI11 adds the last newline
  return text;
}

}  // namespace clipset::app
