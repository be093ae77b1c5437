// End-to-end tests of `clipset learning-curve` against references outside clipset: its exported
// features against the numpy reference (bench/learn_features_reference.py, through
// tests/scripts/learning_curve_features_numpy.py) and its accuracy at the full training size
// against scikit-learn's LogisticRegression (tests/scripts/learning_curve_sklearn.py).
// Needs Debian's python3-numpy and python3-sklearn (scripts/install-deps.sh).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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
using clipset::test::run_command;
using clipset::test::TempDir;
using clipset::test::write_file;

const std::string kPython = "/usr/bin/python3";
const std::string kScripts = std::string(CLIPSET_SOURCE_DIR) + "/tests/scripts/";

// Writes a mono or interleaved clip and returns its manifest line.
std::string clip_line(const TempDir& dir, const std::string& id, const std::vector<float>& samples, int rate, int channels,
                      const std::string& label, const std::string& split) {
  const fs::path path = dir / ("clips/" + id + ".wav");
  clipset::test::write_samples(path, samples, rate, channels);
  const std::size_t frames = samples.size() / static_cast<std::size_t>(channels);
  const Json line{{"id", id},
                  {"path", path.string()},
                  {"sample_rate", rate},
                  {"channels", channels},
                  {"frames", frames},
                  {"duration", static_cast<double>(frames) / rate},
                  {"labels", {label}},
                  {"split", split}};
  return line.dump() + "\n";
}

std::vector<float> interleave(const std::vector<float>& left, const std::vector<float>& right) {
  std::vector<float> out;
  for (std::size_t i = 0; i < left.size(); ++i) {
    out.push_back(left[i]);
    out.push_back(right[i]);
  }
  return out;
}

// Clips that stress different parts of the features: a pure tone (bands 100 dB under its peak,
// where float rounding shows), noise, a sweep, a burst then digital silence (the -100 dB floor),
// a clip shorter than one window (zero-padded to one frame), a stereo clip (mixed to mono) and
// silence. Returns the manifest.
std::string write_reference_clips(const TempDir& dir, int rate) {
  using clipset::test::noise;
  using clipset::test::sine;
  const auto second = static_cast<std::size_t>(rate);
  std::vector<float> burst = noise(second, 0.6, 11);
  std::fill(burst.begin() + static_cast<std::ptrdiff_t>(second / 5), burst.end(), 0.0f);
  std::string manifest;
  manifest += clip_line(dir, "tone", sine(0.5, 440, rate, second), rate, 1, "a", "train");
  manifest += clip_line(dir, "noise", noise(second, 0.3, 7), rate, 1, "b", "train");
  manifest += clip_line(dir, "sweep", clipset::test::sweep(0.5, 50, rate * 0.49, rate, second), rate, 1, "a", "train");
  manifest += clip_line(dir, "burst", burst, rate, 1, "b", "train");
  manifest += clip_line(dir, "short", sine(0.4, 1000, rate, 250), rate, 1, "a", "val");
  manifest += clip_line(dir, "stereo", interleave(sine(0.5, 300, rate, second / 2), noise(second / 2, 0.1, 3)), rate, 2, "b", "val");
  manifest += clip_line(dir, "silence", std::vector<float>(second / 3, 0.0f), rate, 1, "a", "val");
  return manifest;
}

CommandResult check_features(const fs::path& manifest, const fs::path& csv, const std::vector<std::string>& options) {
  std::vector<std::string> argv{kPython, kScripts + "learning_curve_features_numpy.py", manifest.string(), csv.string()};
  argv.insert(argv.end(), options.begin(), options.end());
  return run_command(argv);
}

// The features CSV with `delta` dB added to feature `column` of the row of `id`.
std::string perturbed(const std::string& csv, const std::string& id, std::size_t column, double delta) {
  std::string out;
  for (const std::string& line : lines_of(csv)) {
    if (line.rfind(id + ",", 0) != 0) {
      out += line + "\n";
      continue;
    }
    std::vector<std::string> fields;
    for (std::size_t from = 0;;) {
      const std::size_t comma = line.find(',', from);
      fields.push_back(line.substr(from, comma - from));
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
    REQUIRE(fields.size() > 3 + column);
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", std::stod(fields[3 + column]) + delta);
    fields[3 + column] = text;
    std::string joined;
    for (const auto& f : fields) joined += (joined.empty() ? "" : ",") + f;
    out += joined + "\n";
  }
  return out;
}

// `top_band`: the last band's mean, the widest and so the loudest band of white noise.
void features_agree(int rate, std::size_t top_band, const std::vector<std::string>& clipset_options,
                    const std::vector<std::string>& reference_options) {
  TempDir dir;
  write_file(dir / "m.jsonl", write_reference_clips(dir, rate));
  std::vector<std::string> args{"learning-curve", (dir / "m.jsonl").string(), "--export-features", (dir / "f.csv").string(),
                                "--no-cache", "--repeats", "1", "--progress", "never", "-q"};
  args.insert(args.end(), clipset_options.begin(), clipset_options.end());
  const auto curve = run_clipset(args);
  INFO(curve.command << "\nstderr: " << curve.err);
  REQUIRE(curve.exit_code == 0);
  REQUIRE(lines_of(read_file(dir / "f.csv")).size() == 1 + 7);

  const auto check = check_features(dir / "m.jsonl", dir / "f.csv", reference_options);
  INFO(check.command << "\nstdout: " << check.out << "\nstderr: " << check.err);
  CHECK(check.exit_code == 0);
  CHECK(check.out.find("OK: clipset's features agree with the numpy reference") != std::string::npos);

  // The check is live: 1e-3 dB on the loudest band of the noise clip is caught.
  write_file(dir / "bad.csv", perturbed(read_file(dir / "f.csv"), "noise", top_band, 1e-3));
  const auto caught = check_features(dir / "m.jsonl", dir / "bad.csv", reference_options);
  INFO(caught.out << caught.err);
  CHECK(caught.exit_code == 1);
  CHECK(caught.out.find("noise f" + std::to_string(top_band) + ":") != std::string::npos);
}

}  // namespace

TEST_CASE("learning-curve: features agree with the numpy reference at 16 kHz", "[learning-curve]") {
  features_agree(16000, 63, {}, {});
}

TEST_CASE("learning-curve: features agree with the numpy reference at 22.05 kHz with 128 bands and deltas", "[learning-curve]") {
  // 441-sample window in a 512-point FFT, a hop of 220.5 rounded up to 221, three filters narrower
  // than a bin (each takes its nearest bin), a band from 20 to 9000 Hz, deltas.
  features_agree(22050, 127, {"--window", "20ms", "--mel-bands", "128", "--fmin", "20", "--fmax", "9000", "--deltas"},
                 {"--window", "0.02", "--mel-bands", "128", "--fmin", "20", "--fmax", "9000", "--deltas"});
}

TEST_CASE("learning-curve: accuracy at the full training size agrees with scikit-learn", "[learning-curve]") {
  TempDir dir;
  // 4 classes of harmonic tones in noise, 10 recordings each, 80 one-second clips per class;
  // split 70/30 by recording.
  const auto made = run_command({kPython, std::string(CLIPSET_SOURCE_DIR) + "/bench/learn_dataset.py", "--out", (dir / "clips").string(),
                                 "--manifest", (dir / "raw.jsonl").string(), "--clips", "320", "--classes", "4", "--groups", "10",
                                 "--seed", "7"});
  INFO(made.command << "\n" << made.err);
  REQUIRE(made.exit_code == 0);
  const auto split = run_clipset({"split", (dir / "raw.jsonl").string(), "--ratios", "70,30", "--names", "train,val", "-q", "-o",
                                  (dir / "dataset.jsonl").string()});
  INFO(split.err);
  REQUIRE(split.exit_code == 0);

  // C = 1 (the default) and a strong penalty, where the accuracy depends steeply on C: a C taken
  // per mean loss instead of per summed loss would miss by far more than 3 points there. The second
  // run takes the features from the cache the first one filled (the clips have a sha256).
  for (const std::string c : {"1", "0.002"}) {
    INFO("--C " << c);
    const auto curve = run_clipset({"learning-curve", (dir / "dataset.jsonl").string(), "--C", c, "--steps", "3", "--repeats", "1",
                                    "--cache", (dir / "cache").string(), "--format", "json", "-o", (dir / "curve.json").string(),
                                    "--export-features", (dir / "f.csv").string(), "--progress", "never", "-q"});
    INFO(curve.command << "\nstderr: " << curve.err);
    REQUIRE(curve.exit_code == 0);
    const Json json = Json::parse(read_file(dir / "curve.json"));
    const double accuracy = json["points"].back()["accuracy"].get<double>();
    CHECK(accuracy > 0.5);  // learnable: chance is 0.25

    const auto check =
        run_command({kPython, kScripts + "learning_curve_sklearn.py", (dir / "f.csv").string(), (dir / "curve.json").string(), "--C", c});
    INFO(check.command << "\nstdout: " << check.out << "\nstderr: " << check.err);
    CHECK(check.exit_code == 0);
    CHECK(check.out.find("scikit-learn accuracy") != std::string::npos);
    if (c != "1") continue;

    // The comparison is live: clipset's accuracy moved by 5 points fails it.
    Json moved = json;
    moved["points"].back()["accuracy"] = accuracy > 0.5 ? accuracy - 0.05 : accuracy + 0.05;
    write_file(dir / "moved.json", moved.dump());
    const auto caught =
        run_command({kPython, kScripts + "learning_curve_sklearn.py", (dir / "f.csv").string(), (dir / "moved.json").string(), "--C", c});
    INFO(caught.out << caught.err);
    CHECK(caught.exit_code == 1);
    CHECK(caught.out.find("FAIL") != std::string::npos);
  }
}
