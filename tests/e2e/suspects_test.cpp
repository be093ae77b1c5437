// End-to-end tests of `clipset suspects`: on generated clips whose classes can be learnt, labels
// flipped at random come out on top of the ranking; with no flips few clips are suspects. The
// output is the input's lines with `suspect` added, the same for any --jobs; the review page
// parses and plays offline; the Audacity tracks read back; bad inputs are named.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "clipset/hash.hpp"
#include "clipset/labels.hpp"
#include "clipset/prng.hpp"
#include "support/audio_fixtures.hpp"
#include "support/learnable_audio.hpp"
#include "support/check_failure.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using clipset::test::check_failure;
using clipset::test::CommandResult;
using clipset::test::lines_of;
using clipset::test::read_file;
using clipset::test::run_clipset;
using clipset::test::run_command;
using clipset::test::TempDir;
using clipset::test::write_file;

constexpr int kRate = 16000;
const std::string kCheckPage = std::string(CLIPSET_SOURCE_DIR) + "/tests/scripts/check_review_page.py";

struct Flipped {
  std::set<std::string> ids;
  std::size_t clips = 0;
};

// 4 classes x 8 recordings x 12 half-second clips in clips/, dataset.jsonl with a split; with
// `flip_share`, that share of the labels is replaced by another class drawn at random.
Flipped make_dataset(const TempDir& t, double flip_share) {
  constexpr int kClasses = 4, kRecordings = 8, kClipsPerRecording = 12;
  clipset::Prng audio(21, 0), flips(22, 0);
  Flipped flipped;
  std::string manifest;
  for (int cls = 0; cls < kClasses; ++cls) {
    for (int rec = 0; rec < kRecordings; ++rec) {
      for (int k = 0; k < kClipsPerRecording; ++k) {
        const std::string recording = "c" + std::to_string(cls) + "_rec" + std::to_string(rec);
        const std::string id = recording + "_" + std::to_string(k);
        const std::string path = "clips/" + id + ".wav";
        clipset::test::write_samples(t / path, clipset::test::tone_in_noise(cls, audio), kRate);
        int label = cls;
        if (clipset::test::uniform(flips) < flip_share) {
          label = (cls + 1 + static_cast<int>(flips.below(kClasses - 1))) % kClasses;
          flipped.ids.insert(id);
        }
        Json r{{"id", id},
               {"path", path},
               {"sha256", clipset::sha256_file(t / path).sha256},
               {"sample_rate", kRate},
               {"channels", 1},
               {"frames", kRate / 2},
               {"duration", 0.5},
               {"labels", {"class" + std::to_string(label)}},
               {"source", {{"id", recording}, {"path", "lake/" + recording + ".wav"}, {"start", 0.5 * k}, {"duration", 0.5}}},
               {"split", rec < 6 ? "train" : "val"},
               {"meta", {{"annotator", rec % 2 ? "anna" : "ben"}}},
               {"manifest_version", 1}};
        manifest += r.dump() + "\n";
        ++flipped.clips;
      }
    }
  }
  write_file(t / "dataset.jsonl", manifest);
  return flipped;
}

CommandResult suspects(const TempDir& t, std::vector<std::string> args) {
  args.insert(args.begin(), "suspects");
  return run_clipset(args, "", t.path().string());
}

std::vector<Json> records(const std::string& out) {
  std::vector<Json> list;
  for (const auto& line : lines_of(out)) list.push_back(Json::parse(line));
  return list;
}

}  // namespace

TEST_CASE("suspects e2e: flipped labels rank first", "[e2e][suspects]") {
  TempDir t;
  const Flipped flipped = make_dataset(t, 0.05);
  REQUIRE(flipped.ids.size() >= 10);
  const auto r = suspects(t, {"dataset.jsonl", "--no-cache", "--progress", "never"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto list = records(r.out);
  const std::size_t k = flipped.ids.size();
  REQUIRE(list.size() >= k);
  std::size_t in_k = 0, in_2k = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    CHECK(list[i]["suspect"]["rank"] == i + 1);
    const bool is_flip = flipped.ids.count(list[i]["id"].get<std::string>()) > 0;
    if (i < k && is_flip) ++in_k;
    if (i < 2 * k && is_flip) ++in_2k;
  }
  const double precision = double(in_k) / double(k), recall = double(in_2k) / double(k);
  std::cout << "suspects e2e: " << k << " of " << flipped.clips << " labels flipped; " << list.size()
            << " suspects; top " << k << ": " << in_k << " flipped (" << precision << "); top " << 2 * k << ": " << in_2k
            << " of the flips (" << recall << ")\n";
  CHECK(precision >= 0.6);
  CHECK(recall >= 0.8);
  // The given label is the manifest's; the suggestion another class with its probability.
  const Json& top = list.front()["suspect"];
  CHECK(top["given"] != top["suggested"]);
  CHECK(top["score"].get<double>() == Approx(1.0 - top["given_probability"].get<double>()).margin(1e-5));
  CHECK(r.err.find("out-of-fold accuracy") != std::string::npos);
}

TEST_CASE("suspects e2e: with no flipped label few clips are suspects", "[e2e][suspects]") {
  TempDir t;
  const Flipped flipped = make_dataset(t, 0.0);
  const auto r = suspects(t, {"dataset.jsonl", "--no-cache"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::size_t found = lines_of(r.out).size();
  std::cout << "suspects e2e: no flips: " << found << " suspects among " << flipped.clips << " clips\n";
  CHECK(found <= flipped.clips / 50);
}

TEST_CASE("suspects e2e: each line is the input's with suspect added, the same for any --jobs", "[e2e][suspects]") {
  TempDir t;
  make_dataset(t, 0.05);
  // An earlier run's `suspect` member is replaced, not repeated; every other byte stays.
  std::string text = read_file(t / "dataset.jsonl");
  const auto first_end = text.find('\n');
  std::string first = text.substr(0, first_end);
  first.insert(first.size() - 1, ", \"suspect\" : {\"rank\": 9},\"mine\":[1, 2]");
  write_file(t / "dataset.jsonl", first + text.substr(first_end));
  const auto one = suspects(t, {"dataset.jsonl", "--no-cache", "--jobs", "1", "-o", "one.jsonl"});
  const auto two = suspects(t, {"dataset.jsonl", "--no-cache", "--jobs", "2", "-o", "two.jsonl"});
  REQUIRE(one.exit_code == 0);
  REQUIRE(two.exit_code == 0);
  CHECK(one.out.empty());
  CHECK(read_file(t / "one.jsonl") == read_file(t / "two.jsonl"));
  std::map<std::string, std::string> input;
  for (const auto& line : lines_of(read_file(t / "dataset.jsonl"))) input[Json::parse(line)["id"]] = line;
  for (const auto& line : lines_of(read_file(t / "one.jsonl"))) {
    Json record = Json::parse(line);
    const std::string& original = input.at(record["id"].get<std::string>());
    const auto cut = line.find(",\"suspect\":{");
    REQUIRE(cut != std::string::npos);
    std::string expected = original;
    const auto old = expected.find(", \"suspect\" : {\"rank\": 9}");
    if (old != std::string::npos) expected.erase(old, std::string(", \"suspect\" : {\"rank\": 9}").size());
    CHECK(line.substr(0, cut) == expected.substr(0, expected.size() - 1));
    CHECK(record["suspect"].contains("suggested_probability"));
  }
}

TEST_CASE("suspects e2e: the review page parses, plays offline and the label tracks read back", "[e2e][suspects]") {
  TempDir t;
  make_dataset(t, 0.05);
  fs::create_directories(t / "review");
  const auto r = suspects(t, {"dataset.jsonl", "--no-cache", "--html", "review/page.html", "--audacity", "tracks"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::size_t count = lines_of(r.out).size();
  REQUIRE(count > 0);
  const auto check = run_command({"/usr/bin/python3", kCheckPage, (t / "review/page.html").string()});
  INFO(check.err);
  REQUIRE(check.exit_code == 0);
  CHECK(std::stoul(check.out) == count);
  const std::string page = read_file(t / "review/page.html");
  CHECK(page.find("src=\"../clips/") != std::string::npos);
  CHECK(page.find("anna") != std::string::npos);
  // One track per recording, beside where the recording lies (lake/), labels at its clips' times.
  std::size_t labels = 0;
  for (const auto& entry : fs::directory_iterator(t / "tracks/lake")) {
    const std::string name = entry.path().filename().string();
    CHECK(name.size() > 13);
    CHECK(name.substr(name.size() - 13) == ".suspects.txt");
    const auto track = clipset::read_audacity_labels(entry.path());
    CHECK(track.problems.empty());
    for (const auto& label : track.labels) {
      CHECK(label.end - label.start == Approx(0.5));
      CHECK(label.title.find("(suspect #") != std::string::npos);
    }
    labels += track.labels.size();
  }
  CHECK(labels == count);
}

TEST_CASE("suspects e2e: virtual clips play from their recording with a media fragment", "[e2e][suspects]") {
  TempDir t;
  clipset::Prng prng(9, 0);
  for (int cls = 0; cls < 2; ++cls) {
    for (int rec = 0; rec < 4; ++rec) {
      std::vector<float> samples;
      for (int k = 0; k < 6; ++k) {
        const auto part = clipset::test::tone_in_noise(cls * 2, prng);
        samples.insert(samples.end(), part.begin(), part.end());
      }
      clipset::test::write_samples(t / ("lake/class" + std::to_string(cls) + "/rec " + std::to_string(rec) + ".wav"), samples, kRate);
    }
  }
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"ingest", "lake", "-o", "raw.jsonl"},
        {"segment", "raw.jsonl", "--length", "0.5s", "--virtual", "-o", "clips.jsonl"},
        {"split", "clips.jsonl", "--ratios", "50,50", "--names", "train,val", "-o", "dataset.jsonl"}}) {
    const auto r = run_clipset(args, "", t.path().string());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  // One clip of class0 called class1: the suspect to hear from its recording.
  std::string text = read_file(t / "dataset.jsonl");
  const auto at = text.find("[\"class0\"]");
  REQUIRE(at != std::string::npos);
  text.replace(at, 10, "[\"class1\"]");
  write_file(t / "dataset.jsonl", text);
  const auto r = suspects(t, {"dataset.jsonl", "--no-cache", "--folds", "4", "--html", "page.html"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE_FALSE(r.out.empty());
  const auto check = run_command({"/usr/bin/python3", kCheckPage, (t / "page.html").string()});
  INFO(check.err);
  CHECK(check.exit_code == 0);
  const std::string page = read_file(t / "page.html");
  CHECK(page.find("src=\"lake/class0/rec%20") != std::string::npos);
  CHECK(page.find(".wav#t=") != std::string::npos);
}

TEST_CASE("suspects e2e: what cannot be scored is named and left out", "[e2e][suspects]") {
  TempDir t;
  make_dataset(t, 0.0);
  std::string text = read_file(t / "dataset.jsonl");
  text += R"({"id":"both","path":"clips/c0_rec0_0.wav","sample_rate":16000,"labels":["class0","class1"],"split":"train"})" "\n";
  text += R"({"id":"nosplit","path":"clips/c0_rec0_1.wav","sample_rate":16000,"labels":["class0"]})" "\n";
  text += R"({"id":"rare","path":"clips/c0_rec0_2.wav","sample_rate":16000,"labels":["bird"],"split":"train"})" "\n";
  text += R"({"id":"gone","path":"clips/missing.wav","sample_rate":16000,"labels":["class0"],"split":"train","group":"x"})" "\n";
  text += "not json\n";
  write_file(t / "dataset.jsonl", text);
  const auto r = suspects(t, {"dataset.jsonl", "--no-cache"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("both: left out: several labels") != std::string::npos);
  CHECK(r.err.find("nosplit: left out: no split") != std::string::npos);
  CHECK(r.err.find("class 'bird': left out: 1 clip, fewer than the 5 folds (--folds)") != std::string::npos);
  CHECK(r.err.find("gone: left out:") != std::string::npos);
  CHECK(r.err.find("dataset.jsonl:389:") != std::string::npos);
  CHECK(r.err.find("left out: 1 without a split, 1 with several labels, 1 of classes too small to score, 1 unreadable") !=
        std::string::npos);
}

TEST_CASE("suspects e2e: bad inputs fail with the reason and no output", "[e2e][suspects]") {
  TempDir t;
  make_dataset(t, 0.0);
  std::string unsplit;
  for (const auto& line : lines_of(read_file(t / "dataset.jsonl"))) {
    Json r = Json::parse(line);
    r.erase("split");
    unsplit += r.dump() + "\n";
  }
  write_file(t / "unsplit.jsonl", unsplit);
  check_failure(suspects(t, {"unsplit.jsonl", "--no-cache"}), 2, "no item has a 'split' field: run 'clipset split' first");
  check_failure(suspects(t, {"dataset.jsonl", "--folds", "1"}), 2, "--folds");
  check_failure(suspects(t, {"missing.jsonl"}), 3, "missing.jsonl");
  check_failure(suspects(t, {"dataset.jsonl", "--html", "-"}), 2, "--html -");
  // A failed run leaves no output behind, and an earlier one in place.
  write_file(t / "keep.jsonl", "earlier\n");
  const auto r = suspects(t, {"unsplit.jsonl", "--no-cache", "-o", "keep.jsonl"});
  CHECK(r.exit_code == 2);
  CHECK(read_file(t / "keep.jsonl") == "earlier\n");
}

TEST_CASE("suspects e2e: the feature cache is learning-curve's", "[e2e][suspects]") {
  TempDir t;
  make_dataset(t, 0.0);
  const auto curve = run_clipset({"learning-curve", "dataset.jsonl", "--cache", "cache", "--sizes", "100%", "--eval-split", "val"}, "",
                                 t.path().string());
  INFO(curve.err);
  REQUIRE(curve.exit_code == 0);
  const auto r = suspects(t, {"dataset.jsonl", "--cache", "cache"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("(0 extracted, 384 from the cache)") != std::string::npos);
}
