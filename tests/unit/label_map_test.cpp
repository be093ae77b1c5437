// Label maps (ingest --map): lines, comments, and each malformed line named with its reason.

#include <catch2/catch.hpp>

#include <sstream>

#include "clipset/error.hpp"
#include "clipset/labels.hpp"

namespace {

clipset::LabelMap map_of(const std::string& text) {
  std::istringstream in(text);
  return clipset::parse_label_map(in, "map.tsv");
}

std::string error_of(const std::string& text) {
  try {
    map_of(text);
  } catch (const clipset::Error& e) {
    return e.subject() + ": " + e.reason();
  }
  return "";
}

}  // namespace

TEST_CASE("parse_label_map: label TAB taxonomy label, comments and blank lines skipped", "[labels][map]") {
  const auto map = map_of("# folder -> AudioSet\r\n\ndog\tDog\nhound\tDog\nsiren\t/m/03kmc9\r\n  cat \t Cat \n");
  CHECK(map == clipset::LabelMap{{"dog", "Dog"}, {"hound", "Dog"}, {"siren", "/m/03kmc9"}, {"cat", "Cat"}});
  CHECK(map_of("dog\tDog\ndog\tDog\n").size() == 1);  // the same line twice is harmless
}

TEST_CASE("parse_label_map names each malformed line", "[labels][map]") {
  CHECK(error_of("dog Dog\n") == "map.tsv:1: expected 'label<TAB>taxonomy label', found no tab");
  CHECK(error_of("dog\tDog\textra\n") == "map.tsv:1: expected one tab, found several");
  CHECK(error_of("ok\tOk\n\tDog\n") == "map.tsv:2: a label and its taxonomy label must both be given");
  CHECK(error_of("dog\t \n") == "map.tsv:1: a label and its taxonomy label must both be given");
  CHECK(error_of("dog\tDog\ndog\tCanine\n") == "map.tsv:2: 'dog' is mapped to 'Dog' already, and here to 'Canine'");
}
