// ingest() as a library call: label precedence, groups, duplicates, --update reuse, jobs.

#include <catch2/catch.hpp>

#include "clipset/hash.hpp"
#include "clipset/ingest.hpp"
#include "support/audio_fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace clipset;
using clipset::test::TempDir;
using clipset::test::ToneSpec;
using clipset::test::write_file;
using clipset::test::write_tone;

namespace {

struct Run {
  std::vector<Item> items;
  std::vector<Rejection> rejected;
  std::vector<std::string> warnings;
  IngestSummary summary;
};

Run run(const IngestOptions& options) {
  Run r;
  IngestCallbacks callbacks;
  callbacks.item = [&](const Item& item, std::size_t) { r.items.push_back(item); };
  callbacks.rejected = [&](const Rejection& rej) { r.rejected.push_back(rej); };
  callbacks.warning = [&](const std::string& w) { r.warnings.push_back(w); };
  r.summary = ingest(options, callbacks);
  return r;
}

const Item& find(const Run& r, const std::string& id) {
  for (const auto& item : r.items) {
    if (item.id == id) return item;
  }
  FAIL("no item " << id);
  throw std::logic_error("unreachable");
}

IngestOptions options_for(const TempDir& dir) {
  IngestOptions options;
  options.roots = {dir / "lake"};
  options.jobs = 1;
  return options;
}

}  // namespace

TEST_CASE("ingest: labels come from the sheet, then annotations, then the folder", "[ingest]") {
  TempDir dir;
  write_tone(dir / "lake/dog/a.wav");
  write_tone(dir / "lake/dog/b.wav", ToneSpec{.frequency = 500});
  write_tone(dir / "lake/uploads/maria/c.wav", ToneSpec{.frequency = 600});
  write_tone(dir / "lake/sessions/d.wav", ToneSpec{.frequency = 700});
  write_tone(dir / "lake/top.wav", ToneSpec{.frequency = 800});
  write_file(dir / "lake/sessions/d.anna.txt", "0.1\t0.4\tbird\n0.5\t0.9\tsiren\n0.6\t0.6\t\n");
  write_file(dir / "lake/sheet.csv", "path,label,recorder\ndog/b.wav,,pixel\nuploads/maria/c.wav,cat;dog,iphone\n");
  auto options = options_for(dir);
  options.sheets = {dir / "lake/sheet.csv"};
  const Run r = run(options);
  REQUIRE(r.items.size() == 5);
  CHECK(r.rejected.empty());

  const Item& a = find(r, "dog__a.wav");
  CHECK(a.labels == std::vector<std::string>{"dog"});
  CHECK(a.label_source == "folder");
  CHECK(a.meta.empty());

  const Item& b = find(r, "dog__b.wav");  // empty label cell keeps the folder label
  CHECK(b.labels == std::vector<std::string>{"dog"});
  CHECK(b.label_source == "folder");
  CHECK(b.meta["recorder"] == "pixel");

  const Item& c = find(r, "uploads__maria__c.wav");
  CHECK(c.labels == std::vector<std::string>{"cat", "dog"});
  CHECK(c.label_source == "sheet");

  const Item& d = find(r, "sessions__d.wav");
  CHECK(d.labels == std::vector<std::string>{"bird", "siren"});
  CHECK(d.label_source == "annotations");
  REQUIRE(d.annotations.size() == 3);
  CHECK(d.annotations[0].annotator == std::optional<std::string>("anna"));
  CHECK(d.annotations[2].start == Approx(0.6));

  const Item& top = find(r, "top.wav");
  CHECK(top.labels.empty());
  CHECK(top.label_source == "none");

  SECTION("label depth and no folder labels") {
    write_tone(dir / "lake/bird/field/e.wav");
    auto deep = options;
    deep.label_depth = 2;
    CHECK(find(run(deep), "bird__field__e.wav").labels == std::vector<std::string>{"bird"});
    auto none = options;
    none.folder_labels = FolderLabels::none;
    CHECK(find(run(none), "bird__field__e.wav").label_source == "none");
  }
}

TEST_CASE("ingest: groups from --group-by, the sheet's group column, or the id", "[ingest]") {
  TempDir dir;
  write_tone(dir / "lake/dog/a.wav");
  write_tone(dir / "lake/dog/b.wav", ToneSpec{.frequency = 500});
  write_tone(dir / "lake/dog/c.wav", ToneSpec{.frequency = 600});
  write_file(dir / "lake/sheet.csv", "file,recorder,group\na.wav,pixel,s1\nb.wav,,s2\n");
  auto options = options_for(dir);
  options.sheets = {dir / "lake/sheet.csv"};
  SECTION("default: sheet group, else id") {
    const Run r = run(options);
    CHECK(find(r, "dog__a.wav").group == "s1");
    CHECK(find(r, "dog__b.wav").group == "s2");
    CHECK(find(r, "dog__c.wav").group == "dog__c.wav");
  }
  SECTION("--group-by a meta field, with fallbacks counted") {
    options.group_by = "meta.recorder";
    const Run r = run(options);
    CHECK(find(r, "dog__a.wav").group == "pixel");
    CHECK(find(r, "dog__b.wav").group == "s2");
    CHECK(find(r, "dog__c.wav").group == "dog__c.wav");
    CHECK(r.summary.group_fallbacks == 2);
  }
}

TEST_CASE("ingest: content duplicates point at the first item", "[ingest]") {
  TempDir dir;
  write_tone(dir / "lake/a/x.wav");
  write_tone(dir / "lake/b/y.wav");
  const Run r = run(options_for(dir));
  REQUIRE(r.items.size() == 2);
  CHECK_FALSE(r.items[0].duplicate_of);
  CHECK(r.items[1].duplicate_of == std::optional<std::string>("a__x.wav"));
  CHECK(r.summary.duplicates == 1);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].find("same content as a__x.wav") != std::string::npos);
}

TEST_CASE("ingest: --update takes over unchanged files without reading them", "[ingest]") {
  TempDir dir;
  write_tone(dir / "lake/dog/a.wav");
  write_tone(dir / "lake/dog/b.wav", ToneSpec{.frequency = 500});
  auto options = options_for(dir);
  Run first = run(options);
  REQUIRE(first.items.size() == 2);

  // A planted digest proves the unchanged file was not hashed again; a user's field survives.
  first.items[0].sha256 = std::string(64, 'f');
  first.items[0].extra["reviewed"] = true;
  first.items[1].extra["reviewed"] = false;
  Item gone = first.items[1];
  gone.path = (dir / "lake/dog/gone.wav").string();
  gone.id = "dog__gone.wav";
  first.items.push_back(gone);
  write_tone(dir / "lake/dog/b.wav", ToneSpec{.seconds = 2.0, .frequency = 500});  // changed
  write_tone(dir / "lake/dog/new.wav");

  options.previous = first.items;
  const Run second = run(options);
  REQUIRE(second.items.size() == 3);
  CHECK(second.summary.reused == 1);
  CHECK(second.summary.vanished == 1);
  CHECK(find(second, "dog__a.wav").sha256 == std::string(64, 'f'));
  CHECK(find(second, "dog__a.wav").extra["reviewed"] == true);
  CHECK(find(second, "dog__b.wav").duration == Approx(2.0));
  CHECK(find(second, "dog__b.wav").extra["reviewed"] == false);
  CHECK(find(second, "dog__new.wav").sha256 != std::string(64, 'f'));
  bool warned = false;
  for (const auto& w : second.warnings) warned = warned || w.find("gone.wav: in the earlier manifest") != std::string::npos;
  CHECK(warned);
}

TEST_CASE("ingest: the same items whatever the number of jobs", "[ingest]") {
  TempDir dir;
  for (int i = 0; i < 24; ++i) {
    write_tone(dir / ("lake/c" + std::to_string(i % 3) + "/f" + std::to_string(i) + ".wav"),
               ToneSpec{.seconds = 0.2, .frequency = 200.0 + i * 10});
  }
  write_file(dir / "lake/c0/bad.wav", "not audio");
  auto options = options_for(dir);
  options.quality = true;
  std::vector<std::string> outputs;
  for (unsigned jobs : {1u, 2u, 5u}) {
    options.jobs = jobs;
    const Run r = run(options);
    std::string lines;
    for (const auto& item : r.items) lines += item_to_line(item) + "\n";
    for (const auto& rej : r.rejected) lines += rej.path + ": " + rej.reason + "\n";
    outputs.push_back(lines);
  }
  CHECK(outputs[0] == outputs[1]);
  CHECK(outputs[0] == outputs[2]);
}
