// The recording stream (decode -> channels -> resample) and cutting clips from it: the output
// does not depend on block sizes or threading, ranges are padded and may run past the end, and
// cutting stops reading once every clip is out.

#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <vector>

#include "clipset/error.hpp"
#include "clipset/prng.hpp"
#include "clipset/recording_stream.hpp"
#include "support/audio_fixtures.hpp"
#include "support/temp_dir.hpp"

using clipset::ChannelSelection;
using clipset::ClipRange;
using clipset::RecordingStream;
using clipset::RecordingStreamOptions;

namespace {

// Stereo noise, channel 2 at half level: every sample differs, so a shifted frame shows.
std::filesystem::path noise_file(const clipset::test::TempDir& dir, int rate, int frames) {
  clipset::Prng prng(11, 0);
  std::vector<float> samples;
  for (int i = 0; i < frames; ++i) {
    const float v = static_cast<float>(prng.below(65536)) / 65536.0f - 0.5f;
    samples.push_back(v);
    samples.push_back(0.5f * v + 0.01f);
  }
  const auto path = dir / ("noise" + std::to_string(rate) + ".wav");
  clipset::test::write_samples(path, samples, rate, 2, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  return path;
}

// A mono float ramp: frame i holds i / 2^20, so a clip's frames say where they came from.
std::filesystem::path ramp_file(const clipset::test::TempDir& dir, int frames) {
  std::vector<float> samples;
  for (int i = 0; i < frames; ++i) samples.push_back(static_cast<float>(i) / 1048576.0f);
  const auto path = dir / "ramp.wav";
  clipset::test::write_samples(path, samples, 8000, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  return path;
}

std::vector<float> whole_stream(const std::filesystem::path& path, const RecordingStreamOptions& options) {
  clipset::SoundFile file = clipset::SoundFile::open(path);
  RecordingStream stream(file, options, "rec.wav");
  std::vector<float> out;
  while (stream.next(out)) {
  }
  CHECK(static_cast<std::int64_t>(out.size()) == stream.total_frames() * stream.channels());
  return out;
}

}  // namespace

TEST_CASE("recording stream: block sizes and threading do not change a frame", "[recording-stream]") {
  clipset::test::TempDir dir;
  const auto path = noise_file(dir, 44100, 30000);
  using clipset::ResampleQuality;
  using clipset::ResamplerKind;
  for (const ResamplerKind kind : {ResamplerKind::soxr, ResamplerKind::libsamplerate}) {
    for (const ResampleQuality quality : {ResampleQuality::fastest, ResampleQuality::medium, ResampleQuality::best}) {
      for (const auto mode : {ChannelSelection::Mode::mono, ChannelSelection::Mode::pick, ChannelSelection::Mode::keep}) {
        INFO(clipset::resampler_name(kind) << " " << clipset::quality_name(quality) << " mode " << static_cast<int>(mode));
        RecordingStreamOptions options;
        options.channels = {mode, 1};
        options.sample_rate = 16000;
        options.resampler = kind;
        options.quality = quality;
        const std::vector<float> reference = whole_stream(path, options);
        CHECK(reference.size() == (mode == ChannelSelection::Mode::keep ? 2u : 1u) * 10884u);  // round(30000 * 16000 / 44100)
        for (const std::size_t block : {std::size_t{1000}, std::size_t{4097}, std::size_t{333}}) {
          options.block_frames = block;
          options.threaded = block == 4097;
          if (whole_stream(path, options) != reference) FAIL("blocks of " << block << " give other frames");
        }
      }
    }
  }
}

TEST_CASE("recording stream: no resampler at the recording's rate, channels as selected", "[recording-stream]") {
  clipset::test::TempDir dir;
  const auto path = noise_file(dir, 16000, 5000);
  clipset::SoundFile file = clipset::SoundFile::open(path);
  std::vector<float> stereo(10000);
  REQUIRE(file.read(stereo.data(), 5000) == 5000);
  RecordingStreamOptions options;
  options.sample_rate = 16000;
  options.channels = {ChannelSelection::Mode::pick, 1};
  const std::vector<float> picked = whole_stream(path, options);
  REQUIRE(picked.size() == 5000);
  for (std::size_t i = 0; i < 5000; ++i)
    if (picked[i] != stereo[2 * i + 1]) FAIL("frame " << i);

  clipset::SoundFile again = clipset::SoundFile::open(path);
  options.channels = {ChannelSelection::Mode::pick, 2};
  try {
    RecordingStream stream(again, options, "rec.wav");
    FAIL("picked a third channel of a stereo file");
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::data);
    CHECK(e.subject() == "rec.wav");
  }
}

TEST_CASE("recording stream: cut ranges: clips in start order, zero padded, past the end", "[recording-stream]") {
  clipset::test::TempDir dir;
  const auto path = ramp_file(dir, 50000);
  const std::vector<ClipRange> ranges{
      {20000, 3000, 3000},  // delivered third: in start order
      {100, 30000, 30000},  // overlaps the next two, spans several blocks
      {19000, 2000, 2500},  // padded after its content
      {49000, 1000, 1000},  // ends exactly at the end
      {49500, 1000, 1200},  // runs past the end: what there is, then zeros
      {60000, 500, 500},    // starts after the end: all zeros
      {7000, 800, 400},     // content beyond its length is not part of it
  };
  for (const std::size_t block : {std::size_t{16384}, std::size_t{999}}) {
    for (const bool threaded : {false, true}) {
      clipset::SoundFile file = clipset::SoundFile::open(path);
      RecordingStreamOptions options;
      options.block_frames = block;
      options.threaded = threaded;
      RecordingStream stream(file, options, "ramp.wav");
      std::vector<std::size_t> order;
      std::map<std::size_t, std::int64_t> have;
      clipset::cut_ranges(stream, ranges, [&](std::size_t k, const float* clip, std::int64_t got) {
        order.push_back(k);
        have[k] = got;
        const ClipRange& r = ranges[k];
        for (std::int64_t i = 0; i < r.frames; ++i) {
          const float expected = i < got ? static_cast<float>(r.start + i) / 1048576.0f : 0.0f;
          if (clip[i] != expected) FAIL("range " << k << " frame " << i << ": " << clip[i]);
        }
      });
      CHECK(order == std::vector<std::size_t>{1, 6, 2, 0, 3, 4, 5});
      CHECK(have == std::map<std::size_t, std::int64_t>{{0, 3000}, {1, 30000}, {2, 2000}, {3, 1000}, {4, 500}, {5, 0}, {6, 400}});
    }
  }
}

TEST_CASE("recording stream: cut ranges: reading stops once every clip is out", "[recording-stream]") {
  clipset::test::TempDir dir;
  const auto path = ramp_file(dir, 100000);
  clipset::SoundFile file = clipset::SoundFile::open(path);
  RecordingStreamOptions options;
  options.block_frames = 1000;
  RecordingStream stream(file, options, "ramp.wav");
  std::size_t delivered = 0;
  clipset::cut_ranges(stream, {{0, 1500, 2000}}, [&](std::size_t, const float*, std::int64_t have) {
    CHECK(have == 1500);
    ++delivered;
  });
  CHECK(delivered == 1);
  // The stream goes on where the cut stopped: after the second block.
  std::vector<float> rest;
  REQUIRE(stream.next(rest));
  REQUIRE(rest.size() == 1000);
  CHECK(rest.front() == 2000.0f / 1048576.0f);
}
