// learning-curve's virtual clips against the clip files segment writes: for every resampler,
// quality and channel choice the samples are the same floats, and a clip whose resampling the
// manifest does not describe is left out with a reason instead of being cut with a guess.

#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "learn/curve_internal.hpp"
#include "clipset/prng.hpp"
#include "clipset/segment.hpp"
#include "support/audio_fixtures.hpp"
#include "support/temp_dir.hpp"

using clipset::ChannelSelection;
using clipset::Item;
using clipset::ResampleQuality;
using clipset::ResamplerKind;
namespace detail = clipset::detail;

namespace {

// A stereo recording of noise at 44.1 kHz, the channels different.
Item make_recording(const clipset::test::TempDir& dir) {
  clipset::Prng prng(3, 0);
  std::vector<float> samples;
  for (int i = 0; i < 57000; ++i) {
    samples.push_back(static_cast<float>(prng.below(65536)) / 65536.0f - 0.5f);
    samples.push_back(0.3f * std::sin(static_cast<float>(i) * 0.05f));
  }
  const auto path = dir / "rec.wav";
  clipset::test::write_samples(path, samples, 44100, 2, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  Item rec;
  rec.id = "rec.wav";
  rec.path = path.string();
  rec.sha256 = std::string(64, 'a');
  rec.labels = {"a"};
  return rec;
}

// Segment's clips of `rec`, alternately in train and val.
std::vector<Item> segment_clips(const Item& rec, clipset::SegmentOptions options) {
  std::istringstream in(clipset::item_to_line(rec) + "\n");
  clipset::ManifestReader reader(in, "raw.jsonl");
  std::vector<Item> clips;
  clipset::SegmentCallbacks callbacks;
  callbacks.clip = [&](const Item& clip, std::size_t, std::size_t) { clips.push_back(clip); };
  clipset::segment(reader, options, callbacks);
  for (std::size_t i = 0; i < clips.size(); ++i) clips[i].split = i % 2 ? "val" : "train";
  return clips;
}

detail::LearnDataset dataset_of(const std::vector<Item>& clips, std::vector<std::string>* problems = nullptr) {
  std::string lines;
  for (const Item& clip : clips) lines += clipset::item_to_line(clip) + "\n";
  std::istringstream in(lines);
  clipset::LearningCurveCallbacks callbacks;
  callbacks.problem = [&](const clipset::ManifestProblem& p) {
    if (problems) problems->push_back(p.reason);
  };
  return detail::read_learn_dataset({}, in, "clips.jsonl", callbacks);
}

// The virtual clips' audio by item index, and the reasons of those that failed.
std::vector<std::vector<float>> cut_virtual(const detail::LearnDataset& data, std::vector<std::string>& failures) {
  std::vector<const detail::ClipRef*> refs;
  for (const auto& item : data.items) refs.push_back(&item.clip);
  std::vector<std::vector<float>> audio(refs.size());
  detail::read_source_clips(
      refs, data.sample_rate, [&](std::size_t k, std::vector<float>& samples) { audio[k] = samples; },
      [&](std::size_t, const std::string& reason) { failures.push_back(reason); });
  return audio;
}

}  // namespace

TEST_CASE("learning-curve: virtual clips are the float clips segment writes, for every resampler", "[learning-curve]") {
  clipset::test::TempDir dir;
  const Item rec = make_recording(dir);
  for (const ResamplerKind kind : {ResamplerKind::soxr, ResamplerKind::libsamplerate}) {
    for (const ResampleQuality quality : {ResampleQuality::fastest, ResampleQuality::medium, ResampleQuality::best}) {
      for (const auto mode : {ChannelSelection::Mode::mono, ChannelSelection::Mode::pick, ChannelSelection::Mode::keep}) {
        INFO(clipset::resampler_name(kind) << " " << clipset::quality_name(quality) << " channels " << static_cast<int>(mode));
        clipset::SegmentOptions options;
        options.sample_rate = 16000;
        options.resampler = kind;
        options.quality = quality;
        options.channels = {mode, 1};
        options.length = 0.25;
        options.hop = 0.15;  // overlapping clips, and a padded tail
        options.encoding.sample = clipset::ClipEncoding::Sample::float32;
        options.out_dir = dir / "clips";
        options.force = true;
        const detail::LearnDataset written = dataset_of(segment_clips(rec, options));
        options.virtual_clips = true;
        const std::vector<Item> virtual_clips = segment_clips(rec, options);
        CHECK(virtual_clips.front().source->extra.at("resampler") == clipset::resampler_name(kind));
        CHECK(virtual_clips.front().source->extra.at("quality") == clipset::quality_name(quality));
        const detail::LearnDataset cut = dataset_of(virtual_clips);
        REQUIRE(cut.items.size() == written.items.size());
        REQUIRE(cut.items.size() >= 8);
        std::vector<std::string> failures;
        const auto audio = cut_virtual(cut, failures);
        CHECK(failures.empty());
        for (std::size_t i = 0; i < cut.items.size(); ++i) {
          REQUIRE(cut.items[i].id == written.items[i].id);
          // Bit for bit: the same stream code, settings and block sizes give the same floats.
          if (audio[i] != detail::read_clip_file(written.items[i].clip, 16000)) FAIL("clip " << cut.items[i].id << " differs");
        }
      }
    }
  }
}

TEST_CASE("learning-curve: a resampled virtual clip that does not say how is left out, not guessed", "[learning-curve]") {
  clipset::test::TempDir dir;
  const Item rec = make_recording(dir);
  clipset::SegmentOptions options;
  options.sample_rate = 16000;
  options.quality = ResampleQuality::best;
  options.channels = {ChannelSelection::Mode::mono, 0};
  options.length = 0.5;
  options.virtual_clips = true;
  std::vector<Item> clips = segment_clips(rec, options);
  REQUIRE(clips.size() == 3);

  SECTION("an older manifest without the settings") {
    for (Item& clip : clips) {
      clip.source->extra.erase("resampler");
      clip.source->extra.erase("quality");
    }
    std::vector<std::string> failures;
    cut_virtual(dataset_of(clips), failures);
    REQUIRE(failures.size() == 3);
    CHECK_THAT(failures.front(), Catch::Contains("rec.wav") && Catch::Contains("re-run segment") && Catch::Contains("44100 Hz"));
  }
  SECTION("a resampler or quality this version does not know") {
    clips[0].source->extra["resampler"] = "zoh";
    clips[2].source->extra["quality"] = 7;
    std::vector<std::string> problems;
    const detail::LearnDataset data = dataset_of(clips, &problems);
    REQUIRE(problems.size() == 2);
    CHECK_THAT(problems[0], Catch::Contains(clips[0].id) && Catch::Contains("\"zoh\"") && Catch::Contains("re-run segment"));
    CHECK_THAT(problems[1], Catch::Contains(clips[2].id) && Catch::Contains("source.quality"));
    REQUIRE(data.items.size() == 1);
    CHECK(data.items.front().id == clips[1].id);
  }
  SECTION("settings tell cached features apart") {
    const detail::LearnDataset best = dataset_of(clips);
    for (Item& clip : clips) clip.source->extra["quality"] = "medium";
    const detail::LearnDataset medium = dataset_of(clips);
    CHECK_FALSE(best.items.front().clip.cache_key.empty());
    CHECK(best.items.front().clip.cache_key != medium.items.front().clip.cache_key);
  }
}

TEST_CASE("learning-curve: a virtual clip at its source's rate needs no resampling settings", "[learning-curve]") {
  clipset::test::TempDir dir;
  const Item rec = make_recording(dir);
  clipset::SegmentOptions options;
  options.channels = {ChannelSelection::Mode::pick, 0};
  options.length = 0.4;
  options.encoding.sample = clipset::ClipEncoding::Sample::float32;
  options.out_dir = dir / "clips";
  const detail::LearnDataset written = dataset_of(segment_clips(rec, options));
  options.virtual_clips = true;
  const std::vector<Item> clips = segment_clips(rec, options);
  REQUIRE_FALSE(clips.empty());
  CHECK(clips.front().source->extra.count("resampler") == 0);
  CHECK(clips.front().source->extra.count("quality") == 0);
  const detail::LearnDataset cut = dataset_of(clips);
  std::vector<std::string> failures;
  const auto audio = cut_virtual(cut, failures);
  CHECK(failures.empty());
  REQUIRE(cut.items.size() == written.items.size());
  for (std::size_t i = 0; i < cut.items.size(); ++i) CHECK(audio[i] == detail::read_clip_file(written.items[i].clip, 44100));
}
