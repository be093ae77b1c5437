// `validate` without the binary: taxonomy parsing, which checks run, and each check's findings
// on small manifests written here (files in a TempDir where a check needs them).

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/validate.hpp"
#include "support/audio_fixtures.hpp"
#include "support/temp_dir.hpp"

namespace {

using Json = nlohmann::ordered_json;
using clipset::ValidateOptions;

// "LINE severity[check] subject: message", the shape of the app's human line without the file.
std::vector<std::string> findings_of(const ValidateOptions& options, const std::string& manifest) {
  std::istringstream in(manifest);
  const auto result = clipset::validate_manifest(options, in, "m.jsonl");
  std::vector<std::string> out;
  for (const auto& f : result.findings) {
    out.push_back(std::to_string(f.line) + " " + clipset::severity_name(f.severity) + "[" + clipset::validate_checks()[f.check].id +
                  "] " + (f.subject.empty() ? "" : f.subject + ": ") + f.message);
  }
  return out;
}

std::string line(Json record) {
  if (!record.contains("labels")) record["labels"] = Json::array();
  record["manifest_version"] = 1;
  return record.dump() + "\n";
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("validate: which checks run follows the options, --select and --ignore", "[validate]") {
  using clipset::check_index;
  ValidateOptions o;
  auto on = clipset::enabled_checks(o);
  CHECK(on[check_index("schema")]);
  CHECK(on[check_index("missing-file")]);
  CHECK_FALSE(on[check_index("hash-mismatch")]);
  CHECK_FALSE(on[check_index("decode-error")]);
  CHECK_FALSE(on[check_index("unknown-label")]);
  CHECK_FALSE(on[check_index("starved-class")]);
  CHECK_FALSE(on[check_index("split-ratio")]);

  ValidateOptions selected;
  selected.select = {"hash-mismatch", "schema"};
  on = clipset::enabled_checks(selected);
  CHECK(selected.hash);  // selecting the check turns hashing on
  CHECK(on[check_index("hash-mismatch")]);
  CHECK_FALSE(on[check_index("missing-file")]);

  ValidateOptions ignored;
  ignored.ignore = {"group-leak"};
  CHECK_FALSE(clipset::enabled_checks(ignored)[check_index("group-leak")]);

  ValidateOptions needs;
  needs.select = {"starved-class"};
  CHECK_THROWS_WITH(clipset::enabled_checks(needs), "{{select}} starved-class: needs {{min_per_class}} N");
  ValidateOptions unknown;
  unknown.ignore = {"frobnicate"};
  CHECK_THROWS_WITH(clipset::enabled_checks(unknown), "frobnicate: no such check (see 'clipset help validate')");
}

TEST_CASE("validate schema: unreadable lines and schema violations, with line numbers", "[validate]") {
  const std::string manifest = line({{"id", "a"}}) + "\n" + "[1]\n" + R"({"id":"b","sample_rate":"16k","labels":[]})" + "\n" +
                               line({{"id", "c d"}, {"sha256", "ABC"}, {"channels", 0}}) + R"({"id":"e"})" + "\n" + "{oops\n";
  ValidateOptions o;
  CHECK(findings_of(o, manifest) == Lines{
                                        "3 error[schema] expected a JSON object, got an array",
                                        "4 error[schema] field 'sample_rate' must be an integer, got a string",
                                        "5 error[schema] c d: field 'id' must be made of A-Z a-z 0-9 . _ - only",
                                        "5 error[schema] c d: field 'sha256' must be 64 lowercase hex digits",
                                        "5 error[schema] c d: field 'channels' must be at least 1",
                                        "6 error[schema] e: field 'labels' is missing",
                                        "7 error[schema] not valid JSON (column 2: syntax error while parsing object key - invalid literal; last "
                                        "read: '{o'; expected string literal)",
                                    });
}

TEST_CASE("validate: duplicate ids, and duplicate content (an error only across splits)", "[validate]") {
  const std::string sha(64, 'a');
  const std::string manifest = line({{"id", "a"}, {"sha256", sha}, {"split", "train"}}) +
                               line({{"id", "a"}, {"sha256", sha}, {"split", "train"}}) +
                               line({{"id", "b"}, {"path", "x/b.wav"}, {"sha256", sha}, {"split", "train"}}) +
                               line({{"id", "c"}, {"path", "x/c.wav"}, {"sha256", sha}, {"split", "test"}});
  ValidateOptions o;
  o.ignore = {"missing-file"};
  CHECK(findings_of(o, manifest) == Lines{
                                        "2 error[duplicate-id] a: id already used on line 1",
                                        "3 warning[duplicate-content] x/b.wav: same content as 'a' (line 1)",
                                        "4 error[duplicate-content] x/c.wav: same content as 'a' (line 1), in split test while that is "
                                        "in train (leakage)",
                                    });
}

TEST_CASE("validate: clips of two source recordings with one sha256 (issue 21), an error across splits", "[validate]") {
  const std::string sha(64, 'b');
  const auto clip = [&](const std::string& id, const std::string& source, double start, const char* split) {
    Json record{{"id", id}, {"source", {{"id", source}, {"path", source + ".wav"}, {"sha256", sha}, {"start", start}, {"duration", 1}}}};
    if (split != nullptr) record["split"] = split;
    return line(record);
  };
  ValidateOptions o;
  o.select = {"duplicate-content", "source-leak"};
  SECTION("virtual clips of a recording and of its copy in train and val") {
    const std::string manifest = clip("a_0", "a", 0, "train") + clip("a_1", "a", 1, "train") + clip("copy_0", "copy", 0, "val");
    CHECK(findings_of(o, manifest) ==
          Lines{"3 error[duplicate-content] copy.wav: source recording with the same content (source.sha256) as 'a' (line 1), their "
                "clips in train (2 items) and val (1 item) (leakage)"});
  }
  SECTION("in one split, or not split at all: a warning") {
    CHECK(findings_of(o, clip("a_0", "a", 0, "train") + clip("copy_0", "copy", 5, "train")) ==
          Lines{"2 warning[duplicate-content] copy.wav: source recording with the same content (source.sha256) as 'a' (line 1)"});
    CHECK(findings_of(o, clip("a_0", "a", 0, nullptr) + clip("copy_0", "copy", 0, nullptr)).size() == 1);
  }
  SECTION("clips of one source id are a source leak, not a content duplicate") {
    CHECK(findings_of(o, clip("a_0", "a", 0, "train") + clip("a_1", "a", 1, "val")) ==
          Lines{"2 error[source-leak] a: clips of this source recording in train (1 item) and val (1 item)"});
  }
}

TEST_CASE("validate: near-duplicate recordings (near_dup from clipset dups) in several splits", "[validate]") {
  const auto clip = [](const std::string& id, const std::string& source, const char* near_dup, const char* split) {
    Json record{{"id", id}, {"split", split}, {"source", {{"id", source}, {"path", source + ".wav"}, {"start", 0}, {"duration", 1}}}};
    if (near_dup != nullptr) record["near_dup"] = near_dup;
    return line(record);
  };
  ValidateOptions o;
  o.select = {"near-duplicate"};
  const std::string manifest = clip("a_0", "a", "a", "train") + clip("a_1", "a", "a", "train") + clip("copy_0", "copy", "a", "test") +
                               clip("b_0", "b", "b", "train") + clip("b_1", "b", "b", "val") +  // one recording: a source leak
                               clip("c_0", "c", nullptr, "val") + clip("d_0", "d", "c", "test");
  CHECK(findings_of(o, manifest) == Lines{"3 error[near-duplicate] a: near-duplicate recordings in train (2 items) and test (1 item)"});
  o.select = {"near-duplicate", "source-leak"};
  CHECK(findings_of(o, manifest) == Lines{"3 error[near-duplicate] a: near-duplicate recordings in train (2 items) and test (1 item)",
                                          "5 error[source-leak] b: clips of this source recording in train (1 item) and val (1 item)"});
}

TEST_CASE("validate: group and source leaks are named once, on the line of the second split", "[validate]") {
  const std::string manifest =
      line({{"id", "a1"}, {"group", "rec-a"}, {"split", "train"}, {"source", {{"id", "a"}, {"path", "a.wav"}, {"start", 0}, {"duration", 1}}}}) +
      line({{"id", "a2"}, {"group", "rec-a"}, {"split", "train"}, {"source", {{"id", "a"}, {"path", "a.wav"}, {"start", 1}, {"duration", 1}}}}) +
      line({{"id", "a3"}, {"group", "rec-a"}, {"split", "test"}, {"source", {{"id", "a"}, {"path", "a.wav"}, {"start", 2}, {"duration", 1}}}}) +
      line({{"id", "b1"}, {"group", "rec-b"}, {"split", "val"}}) + line({{"id", "b2"}, {"group", "rec-b"}}) +
      line({{"id", "c1"}, {"group", "rec-c"}, {"split", "val"}}) + line({{"id", "c2"}, {"group", "rec-c"}, {"split", "test"}}) +
      line({{"id", "c3"}, {"group", "rec-c"}, {"split", "train"}});
  ValidateOptions o;
  o.select = {"group-leak", "source-leak"};
  CHECK(findings_of(o, manifest) == Lines{
                                        "3 error[group-leak] rec-a: group in train (2 items) and test (1 item)",
                                        "3 error[source-leak] a: clips of this source recording in train (2 items) and test (1 item)",
                                        "7 error[group-leak] rec-c: group in val (1 item), test (1 item) and train (1 item)",
                                    });
}

TEST_CASE("validate: labels against a taxonomy: unknown, unused, and --leaf-only", "[validate]") {
  ValidateOptions o;
  o.taxonomy = clipset::parse_taxonomy("animal/dog\nanimal/cat\nvehicle/car\nvehicle/bus\n", "tax.txt");
  o.leaf_only = true;
  const std::string manifest = line({{"id", "a"}, {"labels", {"dog"}}}) + line({{"id", "b"}, {"labels", {"animal", "cat"}}}) +
                               line({{"id", "c"}, {"labels", {"vehicle"}}}) + line({{"id", "d"}, {"labels", {"dgo"}}});
  CHECK(findings_of(o, manifest) == Lines{
                                        "2 error[non-leaf-label] b: labelled with both 'animal' and its descendant 'cat'",
                                        "3 error[non-leaf-label] c: label 'vehicle' is not a leaf of the taxonomy",
                                        "4 error[unknown-label] d: label 'dgo' is not in the taxonomy (did you mean 'dog'?)",
                                        "0 warning[unused-label] car: no item uses this label",
                                        "0 warning[unused-label] bus: no item uses this label",
                                    });
  o.leaf_only = false;
  o.warn_only = {"unknown-label"};
  CHECK(findings_of(o, manifest)[0] == "4 warning[unknown-label] d: label 'dgo' is not in the taxonomy (did you mean 'dog'?)");
  // A label that differs only in letter case is named with the taxonomy's spelling (issue 22, item 10).
  o.warn_only = {};
  CHECK(findings_of(o, line({{"id", "e"}, {"labels", {"Dog"}}}))[0] ==
        "1 error[unknown-label] e: label 'Dog' is not in the taxonomy (did you mean 'dog'? labels match with letter case)");
  // A typo within the edit distance limit is named; a label far from every name is not.
  CHECK(findings_of(o, line({{"id", "f"}, {"labels", {"vehicel"}}}))[0] ==
        "1 error[unknown-label] f: label 'vehicel' is not in the taxonomy (did you mean 'vehicle'?)");
  CHECK(findings_of(o, line({{"id", "g"}, {"labels", {"zebra"}}}))[0] == "1 error[unknown-label] g: label 'zebra' is not in the taxonomy");
}

TEST_CASE("validate: starved classes overall and per split", "[validate]") {
  std::string manifest;
  for (int i = 0; i < 10; ++i) {
    manifest += line({{"id", "d" + std::to_string(i)}, {"labels", {"dog"}}, {"split", i < 8 ? "train" : "test"}});
  }
  for (int i = 0; i < 3; ++i) manifest += line({{"id", "c" + std::to_string(i)}, {"labels", {"cat"}}, {"split", "train"}});
  ValidateOptions o;
  o.min_per_class = 4;
  o.select = {"starved-class"};
  CHECK(findings_of(o, manifest) == Lines{"0 error[starved-class] cat: 3 items, fewer than {{min_per_class}} 4"});
  o.per_split = true;
  o.min_per_class = 2;
  CHECK(findings_of(o, manifest) == Lines{"0 error[starved-class] cat: 0 items in split test, fewer than {{min_per_class}} 2"});
}

TEST_CASE("validate: split shares against --ratios with a tolerance", "[validate]") {
  std::string manifest;
  for (int i = 0; i < 20; ++i) {
    manifest += line({{"id", std::to_string(i)}, {"split", i < 14 ? "train" : i < 17 ? "val" : i < 19 ? "test" : "extra"}});
  }
  ValidateOptions o;
  o.ratios = {0.8, 0.1, 0.1};
  o.ratio_tolerance = 0.05;
  o.select = {"split-ratio"};
  CHECK(findings_of(o, manifest) == Lines{
                                        "0 error[split-ratio] train: share 0.700 (14 items of 20), {{ratios}} asks 0.800 +- 0.050",
                                        "0 error[split-ratio] extra: 1 item in a split that {{names}} does not list",
                                    });
  CHECK(findings_of(o, line({{"id", "x"}})) == Lines{"0 error[split-ratio] no item has a split (run clipset split first)"});
}

TEST_CASE("validate: bad annotations", "[validate]") {
  const std::string manifest = line({{"id", "r"},
                                     {"duration", 4.0},
                                     {"annotations",
                                      {{{"start", 1.0}, {"end", 2.0}, {"label", "dog"}, {"annotator", "anna"}},
                                       {{"start", 3.0}, {"end", 2.5}, {"label", "cat"}},
                                       {{"start", 3.5}, {"end", 4.5}, {"label", "dog"}},
                                       {{"start", 0.5}, {"end", 1.0}, {"label", "dog"}, {"annotator", "a.b"}}}}});
  ValidateOptions o;
  o.select = {"bad-annotation"};
  CHECK(findings_of(o, manifest) == Lines{
                                        "1 error[bad-annotation] r: annotation 2 ('cat') ends at 2.5 s, before its start 3 s",
                                        "1 error[bad-annotation] r: annotation 3 ('dog') lies outside the recording (3.5 s to 4.5 s, the "
                                        "recording is 4 s long)",
                                        "1 error[bad-annotation] r: annotation 4 ('dog') has an unknown annotator format 'a.b' (expected "
                                        "a name without '.', '/' or spaces, as in <file>.<annotator>.txt)",
                                    });
}

TEST_CASE("validate files: missing, size, hash, decode and audio, the same whatever --jobs", "[validate]") {
  clipset::test::TempDir dir;
  clipset::test::ToneSpec spec;
  spec.seconds = 0.5;
  for (const char* name : {"a.wav", "b.wav", "c.wav", "d.wav"}) clipset::test::write_tone(dir / name, spec);
  const auto digest = clipset::sha256_file(dir / "a.wav");
  auto own = [&](const std::string& id, const std::string& path, std::uint64_t bytes, const std::string& sha, std::int64_t rate) {
    return line({{"id", id}, {"path", path}, {"bytes", bytes}, {"sha256", sha}, {"sample_rate", rate}, {"channels", 1}, {"frames", 8000}});
  };
  const std::string manifest = own("a", "a.wav", digest.bytes, digest.sha256, 16000) +
                               own("b", "b.wav", digest.bytes + 2, digest.sha256, 16000) +
                               own("c", "c.wav", digest.bytes, std::string(64, '0'), 22050) +
                               own("gone", "gone.wav", 10, std::string(64, '1'), 16000) +
                               line({{"id", "v1"}, {"source", {{"id", "d"}, {"path", "d.wav"}, {"start", 0}, {"duration", 0.25}}}}) +
                               line({{"id", "v2"}, {"source", {{"id", "d"}, {"path", "d.wav"}, {"start", 0.25}, {"duration", 0.5}}}}) +
                               line({{"id", "v3"}, {"source", {{"id", "e"}, {"path", "e.wav"}, {"start", 0}, {"duration", 1}}}});
  ValidateOptions o;
  o.root = dir.path().string();
  o.hash = true;
  o.decode = true;
  o.ignore = {"duplicate-content"};
  const Lines expected{
      "2 error[size-mismatch] b.wav: " + std::to_string(digest.bytes) + " bytes, the manifest says " + std::to_string(digest.bytes + 2) +
          " (file changed after ingest)",
      "3 error[hash-mismatch] c.wav: sha256 differs from the manifest (file changed after ingest)",
      "3 error[audio-mismatch] c.wav: sample_rate 16000 in the file, 22050 in the manifest",
      "4 error[missing-file] gone.wav: no such file or directory",
      "6 error[audio-mismatch] v2: source range 0.25 s to 0.75 s ends after d.wav (0.5 s long)",
      "7 error[missing-file] e.wav: no such file or directory (the source recording of 1 virtual clip)",
  };
  for (unsigned jobs : {1u, 3u}) {
    o.jobs = jobs;
    CHECK(findings_of(o, manifest) == expected);
  }
}

TEST_CASE("validate --single-label: a multi-label finding for every item with several labels", "[validate]") {
  ValidateOptions o;
  o.select = {"multi-label"};
  o.single_label = true;
  const std::string manifest = line({{"id", "a"}, {"labels", {"dog"}}}) + line({{"id", "b"}, {"labels", {"dog", "siren"}}}) +
                               line({{"id", "c"}, {"labels", Json::array()}});
  CHECK(findings_of(o, manifest) == Lines{"2 error[multi-label] b: 2 labels ('dog', 'siren') in a single-label dataset"});
  o.single_label = false;  // selecting the check turns the switch on
  CHECK(findings_of(o, manifest).size() == 1);
}

TEST_CASE("validate --open-set: test needs open-set examples, and every test class must be in train", "[validate]") {
  ValidateOptions o;
  o.select = {"open-set"};
  const auto item = [](const char* id, const char* label, const char* split) {
    return line({{"id", id}, {"labels", {label}}, {"split", split}});
  };
  const std::string closed = item("a", "dog", "train") + item("b", "unknown", "train") + item("c", "dog", "test") +
                             item("d", "owl", "test") + item("e", "owl", "val");
  CHECK(findings_of(o, closed) ==
        Lines{"0 error[open-set] test: split test (2 items) holds no item labelled 'unknown' or 'background': the model is never "
              "tested on sounds outside its classes",
              "0 error[open-set] owl: class 'owl' has 1 item in split test and none in train: the model cannot have learnt it "
              "(label it unknown, or collect training examples)"});
  // Open-set labels are never "unseen in train"; other names for train and test follow --names.
  o.open_set_labels = {"owl"};
  CHECK(findings_of(o, closed).empty());
  o.names = {"fit", "holdout"};
  CHECK(findings_of(o, closed) == Lines{"0 error[open-set] holdout: no items in split holdout: the open set cannot be checked (split first, or give {{names}})"});
}

TEST_CASE("validate --allow-license: licences read as SPDX ids, missing ones are findings", "[validate]") {
  ValidateOptions o;
  o.select = {"license"};
  o.allowed_licenses = {"CC0-1.0", "CC-BY-4.0"};
  const std::string manifest = line({{"id", "a"}, {"labels", {"dog"}}, {"meta", {{"license", "cc by 4.0"}}}}) +
                               line({{"id", "b"}, {"labels", {"dog"}}, {"meta", {{"license", "CC BY-NC 4.0"}}}}) +
                               line({{"id", "c"}, {"labels", {"dog"}}});
  CHECK(findings_of(o, manifest) ==
        Lines{"2 error[license] b: licence 'CC BY-NC 4.0' (CC-BY-NC-4.0) is not allowed (allowed: CC0-1.0, CC-BY-4.0)",
              "3 error[license] c: no licence (meta.license is missing)"});
  o.warn_only = {"license"};
  CHECK(findings_of(o, manifest)[0].rfind("2 warning[license]", 0) == 0);
}
