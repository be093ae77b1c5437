// End-to-end tests of `learning-curve --augment`: two curves over the same subsets, the copies
// made in memory equal to those of `clipset augment --virtual`, and every misuse named.

#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "clipset/hash.hpp"
#include "clipset/prng.hpp"
#include "support/audio_fixtures.hpp"
#include "support/learnable_audio.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace {

using Json = nlohmann::json;
using clipset::test::CommandResult;
using clipset::test::run_clipset;
using clipset::test::TempDir;
using clipset::test::write_file;

constexpr int kRate = 16000;

// 3 classes, 12 training and 8 evaluation clips each, as written clip files.
void make_dataset(const TempDir& t) {
  clipset::Prng prng(21, 0);
  std::string manifest;
  for (const bool train : {true, false}) {
    for (int cls = 0; cls < 3; ++cls) {
      for (int i = 0; i < (train ? 12 : 8); ++i) {
        const std::string id = std::string(train ? "tr" : "ev") + std::to_string(cls) + "_" + std::to_string(i);
        const std::string path = "clips/" + id + ".wav";
        clipset::test::write_samples(t / path, clipset::test::tone_in_noise(cls, prng), kRate);
        Json r{{"id", id},           {"path", path},   {"sha256", clipset::sha256_file(t / path).sha256},
               {"sample_rate", kRate}, {"channels", 1}, {"frames", kRate / 2},
               {"duration", 0.5},      {"labels", {"class" + std::to_string(cls)}},
               {"group", id},          {"split", train ? "train" : "val"}};
        manifest += r.dump() + "\n";
      }
    }
  }
  write_file(t / "dataset.jsonl", manifest);
}

CommandResult curve(const TempDir& t, std::vector<std::string> args) {
  args.insert(args.begin(), "learning-curve");
  args.insert(args.end(), {"--no-cache", "--progress", "never", "--sizes", "6,18,36", "--repeats", "3"});
  return run_clipset(args, "", t.path().string());
}

}  // namespace

TEST_CASE("learning-curve --augment: two curves over the same subsets, copies made in memory as augment makes them",
          "[e2e][learning-curve][augment]") {
  TempDir t;
  make_dataset(t);
  const auto made = curve(t, {"dataset.jsonl", "--augment", "--copies", "2", "--gain", "-6..6dB", "--speed", "0.9..1.1",
                              "--format", "json", "--plot", "curves.svg"});
  INFO(made.command << "\n" << made.err);
  REQUIRE(made.exit_code == 0);
  const Json j = Json::parse(made.out);
  CHECK(j["augmented"]["copies"] == 72);
  REQUIRE(j["augmented"]["sizes"].size() == j["sizes"].size());
  for (std::size_t i = 0; i < j["sizes"].size(); ++i) CHECK(j["augmented"]["sizes"][i]["size"] == j["sizes"][i]["size"]);
  CHECK(j["augmented"]["points"].size() == j["points"].size());
  // The plain curve is that of a run without --augment: copies never enter it.
  const auto plain = curve(t, {"dataset.jsonl", "--format", "json"});
  REQUIRE(plain.exit_code == 0);
  CHECK(Json::parse(plain.out)["sizes"] == j["sizes"]);
  // Copies add training rows: some model of the second curve differs.
  CHECK(j["augmented"]["points"] != j["points"]);
  CHECK(made.err.find("augmented (72 copies of training clips): ") != std::string::npos);
  const std::string svg = clipset::test::read_file(t / "curves.svg");
  CHECK(svg.find("with copies (72)") != std::string::npos);

  // The same copies written by clipset augment --virtual, then read from the manifest.
  const auto augmented = run_clipset({"augment", "dataset.jsonl", "--copies", "2", "--gain", "-6..6dB", "--speed", "0.9..1.1",
                                      "--virtual", "-o", "augmented.jsonl"},
                                     "", t.path().string());
  REQUIRE(augmented.exit_code == 0);
  const auto read = curve(t, {"augmented.jsonl", "--augment", "--format", "json", "--jobs", "1"});
  INFO(read.err);
  REQUIRE(read.exit_code == 0);
  const Json k = Json::parse(read.out);
  CHECK(k["augmented"] == j["augmented"]);
  CHECK(k["sizes"] == j["sizes"]);
}

TEST_CASE("learning-curve --augment: misuse and data without copies, each one line with its exit code", "[e2e][learning-curve][augment]") {
  TempDir t;
  make_dataset(t);
  auto r = curve(t, {"dataset.jsonl", "--gain", "-6..6dB"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--augment: is needed by --shift, --gain, --speed and --noise") != std::string::npos);
  r = curve(t, {"dataset.jsonl", "--augment"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("no readable augmented copy of a training item (augmented_from)") != std::string::npos);
  r = curve(t, {"dataset.jsonl", "--augment", "--snr", "20..0dB", "--gain", "0..3dB"});
  CHECK(r.exit_code == 2);
  r = curve(t, {"dataset.jsonl", "--augment", "--noise", "missing.jsonl"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("missing.jsonl") != std::string::npos);
}
