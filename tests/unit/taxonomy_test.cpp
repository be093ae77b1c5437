// Taxonomies (validate --taxonomy, stats --level, ingest and relabel --unknown): the three file
// formats, lookups, and counts rolled up to a level.

#include <catch2/catch.hpp>

#include "clipset/error.hpp"
#include "clipset/taxonomy.hpp"

TEST_CASE("taxonomy: a plain list, one label per line, comments and blanks skipped", "[labels][taxonomy]") {
  const auto t = clipset::parse_taxonomy("# classes\ndog\n\n  cat  \r\ndog\n", "labels.txt");
  CHECK(t.format == clipset::Taxonomy::Format::list);
  REQUIRE(t.nodes.size() == 2);
  CHECK(t.find("dog").has_value());
  CHECK(t.find("cat").has_value());
  CHECK_FALSE(t.find("bird").has_value());
  CHECK(t.nodes[0].children.empty());
}

TEST_CASE("taxonomy: parent/child paths make a tree, named by the last part or the whole path", "[labels][taxonomy]") {
  const auto t = clipset::parse_taxonomy("animal/dog\nanimal/cat\nanimal/dog/puppy\nvehicle\n", "tax.txt");
  CHECK(t.format == clipset::Taxonomy::Format::paths);
  REQUIRE(t.nodes.size() == 5);
  const auto animal = *t.find("animal");
  const auto puppy = *t.find("puppy");
  CHECK(*t.find("animal/dog/puppy") == puppy);
  CHECK(t.nodes[animal].children.size() == 2);
  CHECK(t.is_ancestor(animal, puppy));
  CHECK_FALSE(t.is_ancestor(puppy, animal));
  CHECK_FALSE(t.is_ancestor(*t.find("vehicle"), puppy));
  CHECK_THROWS_WITH(clipset::parse_taxonomy("a//b\n", "tax.txt"), "tax.txt:1: empty label in 'a//b'");
}

TEST_CASE("taxonomy: the AudioSet ontology JSON, by id and by name, several parents", "[labels][taxonomy]") {
  const std::string ontology = R"([
    {"id": "/m/0jbk", "name": "Animal", "child_ids": ["/m/068hy", "/m/01280g"]},
    {"id": "/m/068hy", "name": "Domestic animals, pets", "child_ids": ["/m/0bt9lr"]},
    {"id": "/m/01280g", "name": "Wild animals", "child_ids": ["/m/0bt9lr"]},
    {"id": "/m/0bt9lr", "name": "Dog", "child_ids": [], "description": "kept aside"}
  ])";
  const auto t = clipset::parse_taxonomy(ontology, "ontology.json");
  CHECK(t.format == clipset::Taxonomy::Format::audioset);
  REQUIRE(t.nodes.size() == 4);
  CHECK(t.find("/m/0bt9lr") == t.find("Dog"));
  CHECK(t.nodes[*t.find("Dog")].parents.size() == 2);
  CHECK(t.is_ancestor(*t.find("Animal"), *t.find("Dog")));
  CHECK_THROWS_WITH(clipset::parse_taxonomy(R"([{"id": "/m/1", "name": "A", "child_ids": ["/m/2"]}])", "o.json"),
                    "o.json: /m/1: child id '/m/2' is not in the ontology");
  CHECK_THROWS_WITH(clipset::parse_taxonomy(R"([{"name": "A"}])", "o.json"), "o.json: entry 1: needs a string 'id' and a string 'name'");
  CHECK_THROWS_AS(clipset::parse_taxonomy("[1,", "o.json"), clipset::Error);
}

// Found by fuzz/fuzz_taxonomy: a number too large for a double is not a parse error to nlohmann
// but out_of_range, which escaped as a foreign exception (validate --taxonomy died with it).
TEST_CASE("taxonomy: a number out of range in the ontology JSON is a bad file, not a crash", "[labels][taxonomy]") {
  CHECK_THROWS_WITH(clipset::parse_taxonomy(R"([{"id": "/m/1", "name": "A", "x": 1e400}])", "o.json"),
                    "o.json: a number out of range (number overflow parsing '1e400')");
  try {
    clipset::parse_taxonomy("[4444444444.44440444444e445]", "o.json");
    FAIL("no exception");
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::usage);
  }
}

TEST_CASE("taxonomy: labels roll up to their ancestors at a level, several parents give several", "[labels][taxonomy]") {
  const std::string ontology = R"([
    {"id": "/m/0jbk", "name": "Animal", "child_ids": ["/m/068hy", "/m/01280g"]},
    {"id": "/m/068hy", "name": "Domestic animals, pets", "child_ids": ["/m/0bt9lr"]},
    {"id": "/m/01280g", "name": "Wild animals", "child_ids": ["/m/0bt9lr", "/m/wolf"]},
    {"id": "/m/0bt9lr", "name": "Dog", "child_ids": ["/m/bark"]},
    {"id": "/m/bark", "name": "Bark", "child_ids": []},
    {"id": "/m/wolf", "name": "Wolf", "child_ids": []},
    {"id": "/m/vehicle", "name": "Vehicle", "child_ids": []}
  ])";
  const auto t = clipset::parse_taxonomy(ontology, "ontology.json");
  using Names = std::vector<std::string>;
  CHECK(clipset::TaxonomyRollup(t, 1).roll_up("Bark") == Names{"Animal"});
  // Bark sits at depth 4 on two paths: level 2 reaches both of Dog's parents, in file order.
  CHECK(clipset::TaxonomyRollup(t, 2).roll_up("/m/bark") == Names{"Domestic animals, pets", "Wild animals"});
  CHECK(clipset::TaxonomyRollup(t, 3).roll_up("Bark") == Names{"Dog"});
  CHECK(clipset::TaxonomyRollup(t, 4).roll_up("Bark") == Names{"Bark"});
  // Above the level a label counts as itself; unknown labels stay as they are.
  CHECK(clipset::TaxonomyRollup(t, 5).roll_up("Wolf") == Names{"Wolf"});
  CHECK(clipset::TaxonomyRollup(t, 2).roll_up("Vehicle") == Names{"Vehicle"});
  CHECK(clipset::TaxonomyRollup(t, 1).roll_up("meow") == Names{"meow"});
}

TEST_CASE("taxonomy: paths roll up by their prefixes, a cycle in a hand-made graph ends", "[labels][taxonomy]") {
  const auto t = clipset::parse_taxonomy("animal/dog/puppy\nanimal/cat\nvehicle/car\n", "tax.txt");
  using Names = std::vector<std::string>;
  CHECK(clipset::TaxonomyRollup(t, 1).roll_up("puppy") == Names{"animal"});
  CHECK(clipset::TaxonomyRollup(t, 2).roll_up("animal/dog/puppy") == Names{"dog"});
  CHECK(clipset::TaxonomyRollup(t, 1).roll_up("car") == Names{"vehicle"});
  const auto cyclic = clipset::parse_taxonomy(R"([{"id": "a", "name": "A", "child_ids": ["b"]},
                                                 {"id": "b", "name": "B", "child_ids": ["a"]}])", "cycle.json");
  CHECK_FALSE(clipset::TaxonomyRollup(cyclic, 1).roll_up("B").empty());
}

TEST_CASE("taxonomy: a deep chain and a graph of many paths roll up without recursion or path enumeration", "[labels][taxonomy]") {
  // 200,000 generations of the AudioSet format: a recursive walk would overflow the stack.
  std::string chain = "[";
  for (int i = 0; i < 200000; ++i) {
    chain += std::string(i ? "," : "") + "{\"id\": \"n" + std::to_string(i) + "\", \"name\": \"n" + std::to_string(i) +
             "\", \"child_ids\": [" + (i + 1 < 200000 ? "\"n" + std::to_string(i + 1) + "\"" : "") + "]}";
  }
  const auto deep = clipset::parse_taxonomy(chain + "]", "deep.json");
  using Names = std::vector<std::string>;
  CHECK(clipset::TaxonomyRollup(deep, 3).roll_up("n199999") == Names{"n2"});
  // A path line deeper than the cap is refused by its line, before any memory is spent on it.
  std::string path = "a";
  for (std::size_t i = 1; i <= clipset::kMaxTaxonomyPathDepth; ++i) path += "/a";
  CHECK_THROWS_WITH(clipset::parse_taxonomy("x/y\n" + path + "\n", "tax.txt"), "tax.txt:2: 1001 levels, more than the 1000 a path may have");
  // 60 layers of two nodes, each linked to both of the layer above: 2^60 root paths.
  std::string json = "[";
  for (int layer = 0; layer < 60; ++layer) {
    for (int k = 0; k < 2; ++k) {
      const std::string id = "l" + std::to_string(layer) + "_" + std::to_string(k);
      std::string children;
      if (layer + 1 < 60) children = "\"l" + std::to_string(layer + 1) + "_0\", \"l" + std::to_string(layer + 1) + "_1\"";
      json += std::string(json.size() > 1 ? "," : "") + "{\"id\": \"" + id + "\", \"name\": \"" + id + "\", \"child_ids\": [" + children + "]}";
    }
  }
  const auto wide = clipset::parse_taxonomy(json + "]", "wide.json");
  CHECK(clipset::TaxonomyRollup(wide, 2).roll_up("l59_1") == Names{"l1_0", "l1_1"});
  CHECK_THROWS_WITH(clipset::TaxonomyRollup(wide, 0), "a taxonomy level between 1 and 64");
  CHECK_THROWS_WITH(clipset::TaxonomyRollup(wide, 65), "a taxonomy level between 1 and 64");
}
