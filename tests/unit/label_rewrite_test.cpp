// The label rewrite (ingest --map/--unknown, clipset relabel): renaming, unknown labels, what is
// counted, and relabel's byte-for-byte output.

#include <catch2/catch.hpp>

#include <sstream>

#include "clipset/label_rewrite.hpp"

namespace {

using Labels = std::vector<std::string>;

clipset::Item item_with(Labels labels, Labels annotation_labels = {}) {
  clipset::Item item;
  item.id = "x";
  item.labels = std::move(labels);
  for (auto& label : annotation_labels) {
    clipset::Annotation a;
    a.label = std::move(label);
    item.annotations.push_back(a);
  }
  return item;
}

clipset::LabelRewrite rewrite_of(clipset::LabelMap map, const std::string& taxonomy, const std::string& unknown) {
  std::optional<clipset::LabelMap> m;
  if (!map.empty()) m = std::move(map);
  std::optional<clipset::Taxonomy> t;
  if (!taxonomy.empty()) t = clipset::parse_taxonomy(taxonomy, "tax.txt");
  std::optional<std::string> u;
  if (!unknown.empty()) u = unknown;
  return clipset::make_label_rewrite(std::move(m), std::move(t), std::move(u));
}

}  // namespace

TEST_CASE("label rewrite: the map renames labels and annotations, two labels mapped to one stay one", "[labels][relabel]") {
  const auto rewrite = rewrite_of({{"hound", "Dog"}, {"dog", "Dog"}}, "", "");
  clipset::LabelRewriteTally tally;
  auto item = item_with({"hound", "dog", "meow"}, {"hound", "meow"});
  CHECK(clipset::rewrite_labels(item, rewrite, tally));
  CHECK(item.labels == Labels{"Dog", "meow"});
  CHECK(item.annotations[0].label == "Dog");
  CHECK(item.annotations[1].label == "meow");
  // meow counted once although the item and an annotation both carry it.
  CHECK(tally.unmapped == std::map<std::string, std::size_t>{{"meow", 1}});
  CHECK(tally.items_changed == 1);

  // A label already spelt as a target is mapped: not named, not changed.
  auto mapped = item_with({"Dog"});
  CHECK_FALSE(clipset::rewrite_labels(mapped, rewrite, tally));
  CHECK(tally.unmapped.size() == 1);
  CHECK(tally.items_changed == 1);
}

TEST_CASE("label rewrite: labels outside the taxonomy become the unknown label, counted per original", "[labels][relabel]") {
  const auto rewrite = rewrite_of({{"hound", "Dog"}}, "animal/Dog\nanimal/Cat\n", "unknown");
  clipset::LabelRewriteTally tally;
  auto item = item_with({"hound", "meow", "purr", "Cat"}, {"purr"});
  CHECK(clipset::rewrite_labels(item, rewrite, tally));
  CHECK(item.labels == Labels{"Dog", "unknown", "Cat"});
  CHECK(item.annotations[0].label == "unknown");
  CHECK(tally.made_unknown == std::map<std::string, std::size_t>{{"meow", 1}, {"purr", 1}});
  // The unknown label itself is never outside, whatever the taxonomy says.
  auto again = item;
  CHECK_FALSE(clipset::rewrite_labels(again, rewrite, tally));
}

TEST_CASE("label rewrite: --unknown with a map alone: labels the map neither names nor targets", "[labels][relabel]") {
  const auto rewrite = rewrite_of({{"hound", "Dog"}}, "", "other");
  clipset::LabelRewriteTally tally;
  auto item = item_with({"hound", "Dog", "meow"});
  CHECK(clipset::rewrite_labels(item, rewrite, tally));
  CHECK(item.labels == Labels{"Dog", "other"});
  CHECK(tally.made_unknown == std::map<std::string, std::size_t>{{"meow", 1}});
}

TEST_CASE("relabel: changed lines keep every other member byte for byte, the rest is copied", "[labels][relabel]") {
  const std::string input =
      "{\"manifest_version\":1,\"id\":\"a\",\"labels\":[\"hound\"],\"zz\":  1.50,\"custom\":{\"k\":[1,2]}}\n"
      "{\"manifest_version\":1, \"id\":\"b\" ,\"labels\":[\"Dog\"],\"n\":1e308}\n"
      "{\"id\":\"c\",\"labels\":[\"hound\"]}\n"
      "not json\n"
      "{\"manifest_version\":1,\"id\":\"d\",\"labels\":[\"cat\"],\"annotations\":[{\"start\":0,\"end\":1,\"label\":\"hound\",\"x\":true}]}\n";
  const auto rewrite = rewrite_of({{"hound", "Dog"}}, "", "");
  for (const unsigned jobs : {1u, 2u}) {
    std::istringstream in(input);
    clipset::ManifestBlocks blocks(in, "m.jsonl");
    std::ostringstream out;
    std::vector<std::size_t> bad;
    clipset::RelabelCallbacks callbacks;
    callbacks.problem = [&](const clipset::ManifestProblem& p) { bad.push_back(p.line); };
    const auto summary = clipset::relabel_manifest(rewrite, blocks, out, "out.jsonl", jobs, false, callbacks);
    CHECK(out.str() ==
          "{\"manifest_version\":1,\"id\":\"a\",\"labels\":[\"Dog\"],\"zz\":  1.50,\"custom\":{\"k\":[1,2]}}\n"
          "{\"manifest_version\":1, \"id\":\"b\" ,\"labels\":[\"Dog\"],\"n\":1e308}\n"
          "{\"id\":\"c\",\"labels\":[\"Dog\"],\"manifest_version\":1}\n"
          "{\"manifest_version\":1,\"id\":\"d\",\"labels\":[\"cat\"],\"annotations\":[{\"start\":0.0,\"end\":1.0,\"label\":\"Dog\","
          "\"pass\":1,\"x\":true}]}\n");
    CHECK(bad == std::vector<std::size_t>{4});
    CHECK(summary.items == 4);
    CHECK(summary.bad_lines == 1);
    CHECK(summary.tally.items_changed == 3);
    CHECK(summary.per_label == std::map<std::string, std::size_t>{{"Dog", 3}, {"cat", 1}});
  }
}
