// A program built against the installed clipset library (tests/install/install_test.sh): reads a
// manifest line (simdjson), parses a sample rate, and names the audio libraries it runs with.
#include <iostream>
#include <sstream>

#include "clipset/audio.hpp"
#include "clipset/manifest.hpp"
#include "clipset/units.hpp"

int main() {
  std::istringstream in("{\"id\":\"dog_1\",\"path\":\"dog/1.wav\",\"labels\":[\"dog\"]}\n");
  clipset::ManifestReader reader(in, "inline");
  const auto item = reader.next();
  if (!item || item->labels.size() != 1) return 1;
  std::cout << item->id << " " << item->labels[0] << " " << clipset::parse_sample_rate("16k") << "\n";
  for (const auto& [name, version] : clipset::audio_library_versions()) std::cout << name << " " << version << "\n";
  return 0;
}
