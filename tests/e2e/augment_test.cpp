// End-to-end tests of `clipset augment`: copies never leave their original's split, fold or
// group (over seeds, and through a re-split); gain, shift, speed and SNR measured on generated
// tones and noise equal the recorded parameters; virtual copies give the samples written ones
// hold (export, learning-curve); output is the same for any --jobs; every bad option.

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <sndfile.h>

#include "clipset/prng.hpp"
#include "support/audio_fixtures.hpp"
#include "support/run_command.hpp"
#include "support/signals.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using clipset::test::CommandResult;
using clipset::test::lines_of;
using clipset::test::read_file;
using clipset::test::run_clipset;
using clipset::test::TempDir;
using clipset::test::write_file;

constexpr int kRate = 16000;
constexpr double kPi = 3.141592653589793;

CommandResult run_in(const TempDir& t, const std::vector<std::string>& args) { return run_clipset(args, "", t.path().string()); }

void run_ok(const TempDir& t, const std::vector<std::string>& args) {
  const auto r = run_in(t, args);
  INFO(r.command << "\n" << r.err);
  REQUIRE(r.exit_code == 0);
}

std::vector<Json> records(const fs::path& file) {
  std::vector<Json> out;
  for (const auto& line : lines_of(read_file(file))) out.push_back(Json::parse(line));
  return out;
}

// Mono samples of a sound file (tests may read through libsndfile directly).
std::vector<float> read_mono(const fs::path& file) {
  SF_INFO info{};
  SNDFILE* sf = sf_open(file.c_str(), SFM_READ, &info);
  REQUIRE(sf != nullptr);
  std::vector<float> all(static_cast<std::size_t>(info.frames * info.channels));
  sf_readf_float(sf, all.data(), info.frames);
  sf_close(sf);
  std::vector<float> mono;
  for (std::size_t i = 0; i < all.size(); i += static_cast<std::size_t>(info.channels)) mono.push_back(all[i]);
  return mono;
}

double power(const std::vector<float>& x) {
  double sum = 0;
  for (const float v : x) sum += double(v) * v;
  return sum / double(x.size());
}

// Frequency from the positive-going zero crossings (interpolated) of a tone between two sample
// positions.
double tone_frequency(const std::vector<float>& x, std::size_t from, std::size_t to) {
  double first = -1, last = -1;
  int crossings = 0;
  for (std::size_t i = from + 1; i < to; ++i) {
    if (x[i - 1] < 0 && x[i] >= 0) {
      const double at = double(i - 1) + double(-x[i - 1]) / double(x[i] - x[i - 1]);
      if (first < 0) first = at;
      last = at;
      ++crossings;
    }
  }
  REQUIRE(crossings > 10);
  return double(crossings - 1) * kRate / (last - first);
}

// Recordings of tones, two classes, four recordings each, ingested, cut into 1 s clip files and
// split by recording with folds.
void make_dataset(const TempDir& t) {
  for (int cls = 0; cls < 2; ++cls) {
    for (int rec = 0; rec < 4; ++rec) {
      clipset::test::ToneSpec tone;
      tone.seconds = 3;
      tone.frequency = 300.0 * (cls + 1) + 37.0 * rec;
      clipset::test::write_tone(t / ("lake/c" + std::to_string(cls) + "/r" + std::to_string(rec) + ".wav"), tone);
    }
  }
  run_ok(t, {"ingest", "lake", "-o", "raw.jsonl"});
  run_ok(t, {"segment", "raw.jsonl", "--length", "1s", "--out", "clips", "-o", "clips.jsonl"});
}

// White noise recordings as a background pool.
void make_backgrounds(const TempDir& t) {
  clipset::test::write_samples(t / "bg/noise1.wav", clipset::test::noise(5 * kRate, 0.3, 7), kRate);
  clipset::test::write_samples(t / "bg/noise2.wav", clipset::test::noise(4 * kRate, 0.1, 8), kRate);
  run_ok(t, {"ingest", "bg", "-o", "bg.jsonl"});
}

std::map<std::string, Json> by_id(const std::vector<Json>& items) {
  std::map<std::string, Json> out;
  for (const auto& r : items) out[r["id"].get<std::string>()] = r;
  return out;
}

}  // namespace

TEST_CASE("augment e2e: copies keep their original's split, fold and group, through a re-split", "[e2e][augment]") {
  const std::string seed = std::to_string(GENERATE(take(3, random(0, 1000000))));
  INFO("seed " << seed);
  TempDir t;
  make_dataset(t);
  make_backgrounds(t);
  {
    run_ok(t, {"split", "clips.jsonl", "--ratios", "50,25,25", "--folds", "2", "--seed", seed, "-o", "dataset.jsonl"});
    run_ok(t, {"augment", "dataset.jsonl", "--splits", "train,val", "--copies", "2", "--shift", "--gain", "-6..6dB", "--speed", "0.9..1.1",
               "--noise", "bg.jsonl", "--snr", "0..20dB", "--seed", seed, "--virtual", "-o", "augmented.jsonl"});
    const auto items = records(t / "augmented.jsonl");
    const auto ids = by_id(items);
    std::size_t copies = 0, augmented = 0;
    for (const auto& r : items) {
      if (!r.contains("augmented_from")) {
        augmented += r["split"] != "test" ? 1 : 0;
        continue;
      }
      ++copies;
      const Json& original = ids.at(r["augmented_from"].get<std::string>());
      CHECK(r["split"] == original["split"]);
      CHECK(r["fold"] == original["fold"]);
      CHECK(r["group"] == original["group"]);
      CHECK(r["labels"] == original["labels"]);
      CHECK(original["split"] != "test");
    }
    CHECK(augmented > 0);
    CHECK(copies == 2 * augmented);
    const auto v = run_in(t, {"validate", "augmented.jsonl", "--select", "augment-leak,group-leak,source-leak"});
    INFO(v.out << v.err);
    CHECK(v.exit_code == 0);
    // A new split of the augmented manifest still keeps each copy with its original.
    run_ok(t, {"split", "augmented.jsonl", "--ratios", "60,20,20", "--folds", "3", "--seed", seed + "1", "-o", "resplit.jsonl"});
    const auto resplit = records(t / "resplit.jsonl");
    const auto again = by_id(resplit);
    for (const auto& r : resplit) {
      if (!r.contains("augmented_from")) continue;
      const Json& original = again.at(r["augmented_from"].get<std::string>());
      CHECK(r["split"] == original["split"]);
      CHECK(r["fold"] == original["fold"]);
    }
  }
}

TEST_CASE("augment e2e: validate names copies that leak", "[e2e][augment]") {
  TempDir t;
  make_dataset(t);
  run_ok(t, {"split", "clips.jsonl", "--ratios", "50,50", "--names", "train,test", "--seed", "1", "-o", "dataset.jsonl"});
  run_ok(t, {"augment", "dataset.jsonl", "--gain", "-3..3dB", "--virtual", "-o", "augmented.jsonl"});
  std::string text;
  int moved = 0;
  for (auto r : records(t / "augmented.jsonl")) {
    if (r.contains("augmented_from") && moved++ == 0) {
      r["split"] = "test";
      r["group"] = "elsewhere";
    }
    text += r.dump() + "\n";
  }
  write_file(t / "leaky.jsonl", text);
  const auto v = run_in(t, {"validate", "leaky.jsonl", "--select", "augment-leak"});
  CHECK(v.exit_code == 1);
  CHECK(v.out.find("error[augment-leak]") != std::string::npos);
  CHECK(v.out.find("which is in split train") != std::string::npos);
  CHECK(v.out.find("which its run did not augment (train)") != std::string::npos);
}

TEST_CASE("augment e2e: gain, shift and speed measured on a tone equal the recorded parameters", "[e2e][augment]") {
  TempDir t;
  // A 10 s ramp-modulated tone: its envelope tells where in the recording a window starts.
  std::vector<float> recording(10 * kRate);
  for (std::size_t i = 0; i < recording.size(); ++i) recording[i] = float(0.5 * std::sin(2 * kPi * 1000.0 * double(i) / kRate));
  clipset::test::write_samples(t / "lake/tone/rec.wav", recording, kRate, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  run_ok(t, {"ingest", "lake", "-o", "raw.jsonl"});
  run_ok(t, {"segment", "raw.jsonl", "--length", "1s", "--subtype", "float", "--out", "clips", "-o", "clips.jsonl"});
  run_ok(t, {"split", "clips.jsonl", "--ratios", "100", "--names", "train", "-o", "dataset.jsonl"});
  run_ok(t, {"augment", "dataset.jsonl", "--copies", "3", "--shift", "--gain", "-6..6dB", "--speed", "0.9..1.1", "--subtype", "float",
             "--seed", "5", "--out", "aug", "-o", "augmented.jsonl"});
  std::size_t checked = 0;
  for (const auto& r : records(t / "augmented.jsonl")) {
    if (!r.contains("augment")) continue;
    const Json& a = r["augment"];
    const double gain = a["gain_db"], speed = a["speed"], shift = a["shift"], start = a["start"];
    INFO(r.dump());
    CHECK(std::abs(shift) <= 0.25);
    CHECK(gain >= -6);
    CHECK(gain <= 6);
    CHECK(speed >= 0.9);
    CHECK(speed <= 1.1);
    const auto copy = read_mono(t / r["path"].get<std::string>());
    REQUIRE(copy.size() == std::size_t(kRate));
    // Gain: the tone's level, 0.5 / sqrt(2) RMS before; within 0.05 dB (away from the edges).
    const std::vector<float> middle(copy.begin() + 2000, copy.end() - 2000);
    const double level_db = 10 * std::log10(power(middle) / 0.125);
    CHECK(std::abs(level_db - gain) < 0.05);
    // Speed: 1000 Hz played `speed` times faster; within 0.05%.
    CHECK(std::abs(tone_frequency(copy, 2000, copy.size() - 2000) / (1000.0 * speed) - 1) < 5e-4);
    // Shift: the copy's window starts where the recipe says, the clip's start moved by the shift
    // (and by the speed's centring): its phase at the first sample is the recording's there.
    const double clip_start = r["source"]["start"];
    const double centring = (1 - speed) / 2;
    CHECK(std::abs(start - (clip_start + shift + centring)) < 1.5 / kRate);
    CHECK(start >= 0);
    CHECK(start + speed <= 10 + 1e-9);  // the window never leaves the recording
    CHECK(std::abs(copy[100] / std::pow(10.0, gain / 20) -
                   0.5 * std::sin(2 * kPi * 1000.0 * (start + 100.0 * speed / kRate))) < 0.01);
    ++checked;
  }
  CHECK(checked == 30);
}

TEST_CASE("augment e2e: background noise is mixed at the recorded signal-to-noise ratio", "[e2e][augment]") {
  TempDir t;
  make_dataset(t);
  make_backgrounds(t);
  run_ok(t, {"split", "clips.jsonl", "--ratios", "100", "--names", "train", "-o", "dataset.jsonl"});
  run_ok(t, {"augment", "dataset.jsonl", "--noise", "bg.jsonl", "--snr", "0..20dB", "--subtype", "float", "--out", "aug", "-o",
             "augmented.jsonl"});
  const auto items = records(t / "augmented.jsonl");
  const auto ids = by_id(items);
  std::size_t checked = 0;
  for (const auto& r : items) {
    if (!r.contains("augment")) continue;
    INFO(r.dump());
    const double snr = r["augment"]["noise"]["snr_db"];
    CHECK(snr >= 0);
    CHECK(snr <= 20);
    const auto original = read_mono(t / ids.at(r["augmented_from"].get<std::string>())["path"].get<std::string>());
    const auto copy = read_mono(t / r["path"].get<std::string>());
    REQUIRE(copy.size() == original.size());
    std::vector<float> residual(copy.size());
    for (std::size_t i = 0; i < copy.size(); ++i) residual[i] = copy[i] - original[i];
    CHECK(std::abs(10 * std::log10(power(original) / power(residual)) - snr) < 0.01);
    ++checked;
  }
  CHECK(checked == 24);
}

TEST_CASE("augment e2e: virtual copies hold the samples of written ones (export, learning-curve)", "[e2e][augment]") {
  TempDir t;
  make_dataset(t);
  make_backgrounds(t);
  run_ok(t, {"split", "clips.jsonl", "--ratios", "60,40", "--names", "train,val", "--seed", "2", "-o", "dataset.jsonl"});
  const std::vector<std::string> how{"--copies", "2", "--shift", "--gain", "-6..6dB", "--speed", "0.9..1.1", "--noise", "bg.jsonl", "--snr", "0..20dB"};
  std::vector<std::string> written{"augment", "dataset.jsonl", "--out", "aug", "-o", "written.jsonl"};
  std::vector<std::string> floats{"augment", "dataset.jsonl", "--subtype", "float", "--out", "augf", "-o", "float.jsonl"};
  std::vector<std::string> virtual_{"augment", "dataset.jsonl", "--virtual", "-o", "virtual.jsonl"};
  for (auto* args : {&written, &floats, &virtual_}) {
    args->insert(args->end(), how.begin(), how.end());
    run_ok(t, *args);
  }
  // export renders the virtual copies as augment writes them: the same bytes.
  run_ok(t, {"export", "virtual.jsonl", "--to", "csv", "--out", "exported"});
  std::size_t compared = 0;
  for (const auto& r : records(t / "written.jsonl")) {
    if (!r.contains("augmented_from")) continue;
    const fs::path exported = t / "exported" / "audio" / (r["id"].get<std::string>() + ".wav");
    INFO(exported);
    REQUIRE(fs::exists(exported));
    CHECK(read_file(exported) == read_file(t / r["path"].get<std::string>()));
    ++compared;
  }
  CHECK(compared > 10);
  // learning-curve reads virtual copies as the written (float) ones: the same features.
  for (const char* kind : {"float", "virtual"}) {
    const auto c = run_in(t, {"learning-curve", std::string(kind) + ".jsonl", "--export-features", std::string(kind) + ".csv", "--no-cache",
                              "--sizes", "100%"});
    INFO(c.err);
    REQUIRE(c.exit_code == 0);
    CHECK(c.err.find("left out") == std::string::npos);
  }
  const auto a = lines_of(read_file(t / "float.csv"));
  const auto b = lines_of(read_file(t / "virtual.csv"));
  REQUIRE(a.size() > 20);
  CHECK(a == b);
}

TEST_CASE("augment e2e: the same output for any --jobs, and a rerun writes nothing new", "[e2e][augment]") {
  TempDir t;
  make_dataset(t);
  make_backgrounds(t);
  run_ok(t, {"split", "clips.jsonl", "--ratios", "100", "--names", "train", "-o", "dataset.jsonl"});
  const std::vector<std::string> how{"--copies", "2", "--gain", "-6..6dB", "--speed", "0.9..1.1", "--noise", "bg.jsonl", "--snr", "0..20dB"};
  std::vector<std::string> one{"augment", "dataset.jsonl", "--jobs", "1", "--out", "a1", "-o", "one.jsonl"};
  std::vector<std::string> two{"augment", "dataset.jsonl", "--jobs", "2", "--out", "a2", "-o", "two.jsonl"};
  one.insert(one.end(), how.begin(), how.end());
  two.insert(two.end(), how.begin(), how.end());
  run_ok(t, one);
  run_ok(t, two);
  std::string a = read_file(t / "one.jsonl"), b = read_file(t / "two.jsonl");
  for (std::size_t at; (at = b.find("a2/")) != std::string::npos;) b.replace(at, 3, "a1/");
  CHECK(a == b);
  // Rerunning on its own output replaces the copies (none doubled) and leaves the files alone.
  std::vector<std::string> again{"augment", "one.jsonl", "--jobs", "2", "--out", "a1", "-o", "again.jsonl"};
  again.insert(again.end(), how.begin(), how.end());
  const auto r = run_in(t, again);
  REQUIRE(r.exit_code == 0);
  CHECK(read_file(t / "again.jsonl") == a);
  CHECK(r.err.find("0 files written, 48 already in place") != std::string::npos);
  CHECK(r.err.find("48 copies of an earlier run replaced") != std::string::npos);
}

TEST_CASE("augment e2e: bad options, each with its message and exit code 2", "[e2e][augment]") {
  TempDir t;
  write_file(t / "dataset.jsonl", "{\"id\":\"a\",\"path\":\"a.wav\",\"sample_rate\":16000,\"frames\":16000,\"split\":\"train\"}\n");
  write_file(t / "empty-bg.jsonl", "{\"id\":\"b\"}\n");
  write_file(t / "bg.jsonl", "{\"id\":\"b\",\"path\":\"b.wav\",\"duration\":3}\n");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--snr", "20..0dB", "--noise", "bg.jsonl"}, "clipset augment: --snr 20..0dB: the range is reversed (its low end is above its high end)"},
      {{"--snr", "0..20dB"}, "clipset augment: --snr: needs a background pool to mix (--noise MANIFEST)"},
      {{"--snr", "0..20dB", "--noise", "empty-bg.jsonl"}, "clipset augment: --noise: holds no background recording with a path and a duration"},
      {{"--noise", "bg.jsonl"}, "clipset augment: --noise: needs --snr LOW..HIGH, the signal-to-noise ratios to draw from"},
      {{"--copies", "0"}, "clipset augment: --copies 0: must be at least 1"},
      {{"--gain", "-6..x"}, "clipset augment: --gain -6..x: expected a range LOW..HIGH such as -6..6dB"},
      {{"--speed", "0.1..1"}, "clipset augment: --speed: must lie within 0.5..2"},
      {{"--gain", "loud"}, "clipset augment: --gain loud: expected a range LOW..HIGH such as -6..6dB"},
  };
  for (const auto& [extra, message] : cases) {
    std::vector<std::string> args{"augment", "dataset.jsonl", "--out", "aug", "-o", "out.jsonl"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_in(t, args);
    INFO(r.command << "\n" << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind(message, 0) == 0);
    CHECK(lines_of(r.err).size() == 1);
    CHECK_FALSE(fs::exists(t / "out.jsonl"));
  }
  const auto neither = run_in(t, {"augment", "dataset.jsonl", "-o", "out.jsonl"});
  CHECK(neither.exit_code == 2);
  CHECK(neither.err == "clipset augment: --out: is needed to write copies (or --virtual)\n");
  const auto both = run_in(t, {"augment", "dataset.jsonl", "--virtual", "--out", "aug", "-o", "out.jsonl"});
  CHECK(both.exit_code == 2);
  CHECK(both.err == "clipset augment: --out: give either --out DIR or --virtual, not both\n");
}

TEST_CASE("augment e2e: an item whose audio is missing is named, the others are copied", "[e2e][augment]") {
  TempDir t;
  make_dataset(t);
  run_ok(t, {"split", "clips.jsonl", "--ratios", "100", "--names", "train", "-o", "dataset.jsonl"});
  const auto items = records(t / "dataset.jsonl");
  fs::remove(t / items[0]["path"].get<std::string>());
  const auto r = run_in(t, {"augment", "dataset.jsonl", "--gain", "-1..1dB", "--out", "aug", "-o", "augmented.jsonl", "--rejects", "rejects.jsonl"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find(items[0]["id"].get<std::string>() + "-aug1: " + items[0]["path"].get<std::string>()) != std::string::npos);
  CHECK(records(t / "augmented.jsonl").size() == 2 * items.size() - 1);
  CHECK(records(t / "rejects.jsonl").size() == 1);
  const auto strict = run_in(t, {"augment", "dataset.jsonl", "--gain", "-1..1dB", "--out", "aug", "-o", "augmented.jsonl", "--strict"});
  CHECK(strict.exit_code == 1);
}
