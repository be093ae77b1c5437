// The hash method reproduces TensorFlow Speech Commands' published which_set() exactly
// (tests/data/speech_commands_which_set.json: 200 names, boundary cases included).

#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "clipset/split.hpp"
#include "split/partition.hpp"
#include "clipset/units.hpp"

namespace {
using Json = nlohmann::json;
}

TEST_CASE("split: hash method: all 200 Speech Commands names land in their published set", "[split][hash]") {
  std::ifstream in(std::string(CLIPSET_TEST_DATA) + "/speech_commands_which_set.json");
  REQUIRE(in);
  const Json fixture = Json::parse(in);
  // --names validation,testing,training --ratios 10,10,80: the bands in the order of which_set().
  const std::vector<std::string> names{"validation", "testing", "training"};
  const auto ratios = clipset::parse_ratios("10,10,80");
  std::size_t checked = 0;
  for (const auto& c : fixture["cases"]) {
    const auto filename = c["filename"].get<std::string>();
    INFO(filename);
    const std::string name = clipset::nohash_name(filename);
    CHECK(name == c["hash_name"].get<std::string>());
    const auto hash = clipset::name_hash(name);
    CHECK(hash == c["sha1_mod_2^27"].get<std::uint32_t>());
    CHECK(clipset::hash_percentage(hash) == c["percentage_hash"].get<double>());
    CHECK(names[clipset::hash_part(clipset::hash_percentage(hash), ratios)] == c["expected_set"].get<std::string>());
    ++checked;
  }
  CHECK(checked == 200);
}

TEST_CASE("split: hash method: bands follow the ratios in order, zero-ratio parts get nothing", "[split][hash]") {
  const std::vector<double> r{0.8, 0.1, 0.1};
  CHECK(clipset::hash_part(0.0, r) == 0);
  CHECK(clipset::hash_part(79.999, r) == 0);
  CHECK(clipset::hash_part(80.0, r) == 1);
  CHECK(clipset::hash_part(90.0, r) == 2);
  CHECK(clipset::hash_part(100.0, r) == 2);
  const std::vector<double> holdout_only{0.9, 0.1, 0.0};
  CHECK(clipset::hash_part(99.0, holdout_only) == 1);
  CHECK(clipset::hash_part(100.0, holdout_only) == 1);  // the very top is not the empty last band
  CHECK(clipset::hash_part(50.0, {0.0, 1.0}) == 1);
}

TEST_CASE("split: nohash_name: file name, cut at the first _nohash_", "[split][hash]") {
  CHECK(clipset::nohash_name("yes/295d3f7d_nohash_0.wav") == "295d3f7d");
  CHECK(clipset::nohash_name("/abs/a_nohash_b_nohash_c.wav") == "a");
  CHECK(clipset::nohash_name("x_NOHASH_0.wav") == "x_NOHASH_0.wav");
  CHECK(clipset::nohash_name("dir/plain.wav") == "plain.wav");
  CHECK(clipset::nohash_name("_nohash_0.wav").empty());
  CHECK(clipset::nohash_name("") == "");
}
