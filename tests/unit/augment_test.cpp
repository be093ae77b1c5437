// Unit tests of the augment module (copies drawn from a seed and an id) and of the audio
// module's rendering of recipes (gain, speed and noise as measured, batches change nothing).

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "augment/internal.hpp"
#include "clipset/augment_recipe.hpp"
#include "clipset/error.hpp"
#include "support/audio_fixtures.hpp"
#include "support/signals.hpp"
#include "support/temp_dir.hpp"

namespace {

using clipset::AugmentJob;
using clipset::AugmentOptions;
using clipset::Item;

constexpr int kRate = 16000;

Item clip(const std::string& id) {
  Item item;
  item.id = id;
  item.path = "clips/" + id + ".wav";
  item.sample_rate = kRate;
  item.channels = 1;
  item.frames = kRate;
  item.duration = 1.0;
  item.labels = {"dog"};
  item.split = "train";
  return item;
}

AugmentOptions ranges() {
  AugmentOptions o;
  o.gain = clipset::NumberRange{-6, 6};
  o.speed = clipset::NumberRange{0.9, 1.1};
  o.seed = 7;
  return o;
}

std::vector<float> render_one(const std::vector<AugmentJob>& jobs, std::size_t index, const clipset::test::TempDir& t) {
  std::vector<std::vector<float>> out(jobs.size());
  clipset::render_augmented(
      jobs, t.path(), 1, [&](std::size_t j, std::vector<float> frames, int) { out[j] = std::move(frames); },
      [&](std::size_t j, const std::string& reason) { FAIL("job " << j << ": " << reason); });
  return out[index];
}

AugmentJob tone_job(double gain, double speed) {
  AugmentJob job;
  job.recipe.input_path = "tone.wav";
  job.recipe.gain_db = gain;
  job.recipe.speed = speed;
  job.recipe.start = 1.0;
  job.settings.channels = {clipset::ChannelSelection::Mode::mono, 0};
  job.rate = kRate;
  job.frames = kRate / 2;
  return job;
}

}  // namespace

TEST_CASE("augment: a copy depends on the seed, the id and its number only", "[augment]") {
  const std::vector<clipset::detail::Background> pool;
  const AugmentOptions o = ranges();
  const Item a = clipset::detail::make_copy(clip("a"), 1, o, pool, std::nullopt);
  CHECK(a.id == "a-aug1");
  CHECK(a.extra["augmented_from"] == "a");
  CHECK(a.split == "train");
  CHECK(a.labels == std::vector<std::string>{"dog"});
  CHECK(clipset::detail::make_copy(clip("a"), 1, o, pool, std::nullopt).extra == a.extra);
  CHECK(clipset::detail::make_copy(clip("a"), 2, o, pool, std::nullopt).extra["augment"] != a.extra["augment"]);
  CHECK(clipset::detail::make_copy(clip("b"), 1, o, pool, std::nullopt).extra["augment"]["gain_db"] != a.extra["augment"]["gain_db"]);
  AugmentOptions other = o;
  other.seed = 8;
  CHECK(clipset::detail::make_copy(clip("a"), 1, other, pool, std::nullopt).extra["augment"]["gain_db"] != a.extra["augment"]["gain_db"]);
  // Turning gain off changes no other draw.
  AugmentOptions no_gain = o;
  no_gain.gain.reset();
  const Item c = clipset::detail::make_copy(clip("a"), 1, no_gain, pool, std::nullopt);
  CHECK(c.extra["augment"]["gain_db"] == 0.0);
  CHECK(c.extra["augment"]["speed"] == a.extra["augment"]["speed"]);
}

TEST_CASE("augment: drawn values stay in their ranges and the window in its recording", "[augment]") {
  AugmentOptions o = ranges();
  o.shift = true;
  const std::vector<clipset::detail::Background> pool;
  for (int i = 0; i < 200; ++i) {
    Item item = clip("c" + std::to_string(i));
    item.source = clipset::ClipSource{"rec", "rec.wav", std::nullopt, double(i % 10), 1.0, clipset::Json::object()};
    const Item copy = clipset::detail::make_copy(item, 1, o, pool, 10.0);
    const clipset::AugmentRecipe r = clipset::augment_recipe(copy);
    INFO(copy.extra.dump());
    CHECK(r.input == clipset::AugmentInput::source);
    CHECK(r.gain_db >= -6);
    CHECK(r.gain_db <= 6);
    CHECK(r.speed >= 0.9);
    CHECK(r.speed <= 1.1);
    CHECK(r.start >= 0);
    CHECK(r.start + r.speed <= 10.0 + 1.0 / kRate);
    CHECK(std::abs(r.shift) <= clipset::detail::kMaxShiftFraction + 1.0 / kRate);
  }
}

TEST_CASE("augment: an item grouped by its own id gets it as group, shared with its copies", "[augment]") {
  Item item = clip("x");
  clipset::detail::pin_group(item);
  CHECK(item.group == "x");
  Item grouped = clip("y");
  grouped.group = "rec1";
  clipset::detail::pin_group(grouped);
  CHECK(grouped.group == "rec1");
  Item cut = clip("z");
  cut.source = clipset::ClipSource{"rec2", "rec2.wav", std::nullopt, 0, 1, clipset::Json::object()};
  clipset::detail::pin_group(cut);
  CHECK_FALSE(cut.group.has_value());  // its key is the source's, which its copies keep
}

TEST_CASE("augment: a recipe that is incomplete is refused, naming what is missing", "[augment]") {
  Item item = clip("a-aug1");
  item.extra["augmented_from"] = "a";
  item.extra["augment"] = {{"input", "clip"}, {"path", "a.wav"}, {"start", 0}, {"shift", 0}, {"gain_db", 1}};
  try {
    clipset::augment_recipe(item);
    FAIL("taken");
  } catch (const clipset::Error& e) {
    CHECK(e.reason() == "augment has no 'speed'");
  }
  item.extra["augment"]["speed"] = 5;
  CHECK_THROWS_WITH(clipset::augment_recipe(item), Catch::Contains("augment.speed must be from 0.5 to 2"));
}

TEST_CASE("render_augmented: gain and speed as measured on a tone, a batch renders each job as alone", "[augment][audio]") {
  clipset::test::TempDir t;
  clipset::test::ToneSpec tone;
  tone.seconds = 3;
  tone.frequency = 1000;
  tone.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  clipset::test::write_tone(t / "tone.wav", tone);
  const std::vector<AugmentJob> jobs{tone_job(-6, 1.0), tone_job(3.5, 1.1), tone_job(0, 0.9)};
  const auto quiet = render_one(jobs, 0, t);
  REQUIRE(quiet.size() == std::size_t(kRate / 2));
  CHECK(std::abs(clipset::test::db(clipset::test::rms(quiet, 0, quiet.size()) / (0.5 / std::sqrt(2.0))) + 6) < 0.01);
  const auto fast = render_one(jobs, 1, t);
  CHECK(std::abs(clipset::test::db(clipset::test::rms(fast, 1000, 6000) / (0.5 / std::sqrt(2.0))) - 3.5) < 0.05);
  // 1000 Hz played 1.1 times faster is 1100 Hz; 1000 Hz is gone.
  CHECK(clipset::test::dft_magnitude(fast, 1000, 4096, 1100, kRate) > 0.5 * std::pow(10, 3.5 / 20) * 0.9);
  CHECK(clipset::test::dft_magnitude(fast, 1000, 4096, 1000, kRate) < 0.05);
  const auto slow = render_one(jobs, 2, t);
  CHECK(clipset::test::dft_magnitude(slow, 1000, 4096, 900, kRate) > 0.45);
  // Rendered alone, each job gives the very samples it gave in the batch.
  for (std::size_t j = 0; j < jobs.size(); ++j) CHECK(render_one({jobs[j]}, 0, t) == render_one(jobs, j, t));
}

TEST_CASE("render_augmented: noise mixed at the SNR, a missing input fails only its jobs", "[augment][audio]") {
  clipset::test::TempDir t;
  clipset::test::ToneSpec tone;
  tone.seconds = 3;
  tone.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  clipset::test::write_tone(t / "tone.wav", tone);
  clipset::test::write_samples(t / "noise.wav", clipset::test::noise(4 * kRate, 0.2, 3), kRate, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  AugmentJob noisy = tone_job(0, 1.0);
  noisy.recipe.noise = clipset::AugmentNoise{"n", "noise.wav", 0.5, 6.0};
  AugmentJob missing = tone_job(0, 1.0);
  missing.recipe.input_path = "missing.wav";
  const auto clean = render_one({tone_job(0, 1.0)}, 0, t);
  std::vector<std::vector<float>> out(2);
  std::vector<std::string> errors(2);
  clipset::render_augmented(
      {noisy, missing}, t.path(), 2, [&](std::size_t j, std::vector<float> frames, int) { out[j] = std::move(frames); },
      [&](std::size_t j, const std::string& reason) { errors[j] = reason; });
  REQUIRE(out[0].size() == clean.size());
  std::vector<float> residual(clean.size());
  for (std::size_t i = 0; i < clean.size(); ++i) residual[i] = out[0][i] - clean[i];
  const double snr = 20 * std::log10(clipset::test::rms(clean, 0, clean.size()) / clipset::test::rms(residual, 0, residual.size()));
  CHECK(std::abs(snr - 6.0) < 0.001);
  CHECK(out[1].empty());
  CHECK(errors[1].find("missing.wav") != std::string::npos);
  CHECK(errors[0].empty());
}
