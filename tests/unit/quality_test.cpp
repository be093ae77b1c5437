#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "clipset/audio.hpp"

namespace {

using clipset::QualityMeasures;
using clipset::QualityMeter;

// A sine of the given amplitude, `frames` frames, the same on every channel.
std::vector<float> sine(double amplitude, double frequency, int sample_rate, std::size_t frames, int channels = 1) {
  std::vector<float> out;
  out.reserve(frames * static_cast<std::size_t>(channels));
  for (std::size_t i = 0; i < frames; ++i) {
    const auto v = static_cast<float>(amplitude * std::sin(2 * std::numbers::pi * frequency * static_cast<double>(i) / sample_rate));
    for (int c = 0; c < channels; ++c) out.push_back(v);
  }
  return out;
}

QualityMeasures measure(const std::vector<float>& samples, std::int64_t sample_rate, std::int64_t channels) {
  QualityMeter meter(sample_rate, channels);
  meter.feed(samples.data(), samples.size() / static_cast<std::size_t>(channels));
  return meter.finish();
}

// The same audio fed in blocks of the given frame counts (cycled).
QualityMeasures measure_in_blocks(const std::vector<float>& samples, std::int64_t sample_rate, std::int64_t channels,
                                  const std::vector<std::size_t>& blocks) {
  QualityMeter meter(sample_rate, channels);
  const auto ch = static_cast<std::size_t>(channels);
  const std::size_t frames = samples.size() / ch;
  std::size_t at = 0;
  for (std::size_t i = 0; at < frames; ++i) {
    const std::size_t n = std::min(blocks[i % blocks.size()], frames - at);
    meter.feed(samples.data() + at * ch, n);
    at += n;
  }
  meter.feed(samples.data(), 0);  // an empty block changes nothing
  return meter.finish();
}

std::vector<std::string> keys_of(const nlohmann::ordered_json& object) {
  std::vector<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it) keys.push_back(it.key());
  return keys;
}

}  // namespace

TEST_CASE("a 0.5-amplitude sine: peak -6.02 dBFS, rms -9.03 dBFS", "[quality]") {
  const auto channels = GENERATE(1, 2);
  CAPTURE(channels);
  // 1 kHz at 48 kHz: 48 samples a period, so the crest (0.5) is sampled exactly.
  const auto q = measure(sine(0.5, 1000, 48000, 48000, channels), 48000, channels);
  CHECK(q.frames == 48000);
  CHECK(q.peak_dbfs == Approx(20 * std::log10(0.5)).margin(1e-6));
  CHECK(q.peak_dbfs == Approx(-6.0206).margin(1e-4));
  CHECK(q.rms_dbfs == Approx(20 * std::log10(0.5 / std::sqrt(2.0))).margin(1e-4));
  CHECK(q.rms_dbfs == Approx(-9.0309).margin(1e-3));
  CHECK(q.clipped_fraction == 0);
  CHECK(q.dc_offset == Approx(0).margin(1e-6));
  CHECK(q.silent_fraction == 0);
  const auto json = clipset::quality_to_json(q);
  CHECK(json["peak_dbfs"].get<double>() == -6.02);
  CHECK(json["rms_dbfs"].get<double>() == -9.03);
}

TEST_CASE("digital silence: -120 dBFS floors and silent_fraction 1", "[quality]") {
  const std::vector<float> zeros(44100 * 2, 0.0f);
  const auto q = measure(zeros, 44100, 2);
  CHECK(q.frames == 44100);
  CHECK(q.peak_dbfs == -120);
  CHECK(q.rms_dbfs == -120);
  CHECK(q.clipped_fraction == 0);
  CHECK(q.dc_offset == 0);
  CHECK(q.silent_fraction == 1);
  CHECK(clipset::quality_to_json(q).dump() ==
        R"({"peak_dbfs":-120.0,"rms_dbfs":-120.0,"clipped_fraction":0.0,"dc_offset":0.0,"silent_fraction":1.0})");
}

TEST_CASE("very quiet audio is floored at -120 dBFS", "[quality]") {
  const auto q = measure(std::vector<float>(1000, 1e-9f), 8000, 1);
  CHECK(q.peak_dbfs == -120);
  CHECK(q.rms_dbfs == -120);
  CHECK(q.silent_fraction == 1);
}

TEST_CASE("no audio at all", "[quality]") {
  QualityMeter meter(16000, 1);
  const auto q = meter.finish();
  CHECK(q.frames == 0);
  CHECK(q.peak_dbfs == -120);
  CHECK(q.rms_dbfs == -120);
  CHECK(q.clipped_fraction == 0);
  CHECK(q.dc_offset == 0);
  CHECK(q.silent_fraction == 0);
}

TEST_CASE("clipped_fraction counts samples with |x| >= 0.999", "[quality]") {
  std::vector<float> samples(10000, 0.25f);
  // 37 clipped samples: +-1, beyond full scale, and 0.999 itself; near misses do not count.
  int clipped = 0;
  for (int i = 0; i < 37; ++i) {
    const float values[] = {1.0f, -1.0f, 0.999f, -0.9995f, 1.5f};
    samples[static_cast<std::size_t>(i * 250)] = values[i % 5];
    ++clipped;
  }
  samples[5] = 0.998f;
  samples[6] = -0.9989f;
  const auto mono = measure(samples, 16000, 1);
  CHECK(mono.clipped_fraction == static_cast<double>(clipped) / 10000);
  const auto stereo = measure(samples, 16000, 2);  // the same samples, read as 5000 stereo frames
  CHECK(stereo.frames == 5000);
  CHECK(stereo.clipped_fraction == static_cast<double>(clipped) / 10000);
  CHECK(mono.peak_dbfs == Approx(20 * std::log10(1.5)));
}

TEST_CASE("dc_offset is the mean sample over all channels", "[quality]") {
  SECTION("a constant") {
    const auto q = measure(std::vector<float>(4800, 0.25f), 48000, 1);
    CHECK(q.dc_offset == Approx(0.25));
    CHECK(q.peak_dbfs == Approx(20 * std::log10(0.25)));
    CHECK(q.rms_dbfs == Approx(20 * std::log10(0.25)));
  }
  SECTION("a sine over an offset") {
    auto samples = sine(0.3, 1000, 48000, 48000);
    for (auto& s : samples) s += 0.1f;
    const auto q = measure(samples, 48000, 1);
    CHECK(q.dc_offset == Approx(0.1).margin(1e-6));
    CHECK(clipset::quality_to_json(q)["dc_offset"].get<double>() == 0.1);
  }
  SECTION("channels with opposite offsets cancel") {
    std::vector<float> samples;
    for (int i = 0; i < 1000; ++i) {
      samples.push_back(0.5f);
      samples.push_back(-0.3f);
    }
    const auto q = measure(samples, 8000, 2);
    CHECK(q.dc_offset == Approx(0.1));
    CHECK(q.peak_dbfs == Approx(20 * std::log10(0.5)));
    CHECK(q.rms_dbfs == Approx(10 * std::log10((0.25 + 0.09) / 2)));
  }
  SECTION("a negative offset") {
    const auto q = measure(std::vector<float>(1000, -0.125f), 8000, 1);
    CHECK(q.dc_offset == -0.125);
  }
}

TEST_CASE("silent_fraction counts 10 ms frames below -60 dBFS", "[quality]") {
  SECTION("half silence, half tone") {
    auto samples = std::vector<float>(22050, 0.0f);
    const auto tone = sine(0.5, 441, 44100, 22050);
    samples.insert(samples.end(), tone.begin(), tone.end());
    const auto q = measure(samples, 44100, 1);
    CHECK(q.silent_fraction == 0.5);  // 50 of 100 windows of 441 frames
  }
  SECTION("quiet but not silent: -50 dBFS is not silent, -70 dBFS is") {
    const double minus50 = std::pow(10.0, -50.0 / 20) * std::sqrt(2.0);  // a sine with rms -50 dBFS
    const double minus70 = std::pow(10.0, -70.0 / 20) * std::sqrt(2.0);
    auto samples = sine(minus50, 1000, 16000, 16000);
    const auto quiet = sine(minus70, 1000, 16000, 16000);
    samples.insert(samples.end(), quiet.begin(), quiet.end());
    const auto q = measure(samples, 16000, 1);
    CHECK(q.silent_fraction == 0.5);
  }
  SECTION("a last partial window counts") {
    // 10 full windows of tone (160 frames each at 16 kHz) and 40 frames of silence: 1 of 11.
    auto samples = sine(0.5, 1000, 16000, 1600);
    samples.resize(1640, 0.0f);
    const auto q = measure(samples, 16000, 1);
    CHECK(q.silent_fraction == Approx(1.0 / 11));
    CHECK(clipset::quality_to_json(q)["silent_fraction"].get<double>() == 0.0909);
  }
  SECTION("stereo: a window is silent only when both channels together are") {
    std::vector<float> samples;
    for (int i = 0; i < 800; ++i) {
      samples.push_back(i < 400 ? 0.5f : 0.0f);  // left sounds in the first half only
      samples.push_back(0.0f);
    }
    const auto q = measure(samples, 8000, 2);  // windows of 80 frames: 5 loud, 5 silent
    CHECK(q.silent_fraction == 0.5);
  }
}

TEST_CASE("feeding ragged blocks gives exactly the measures of one block", "[quality]") {
  const int sample_rate = GENERATE(44100, 16000, 22050, 50);
  const int channels = GENERATE(1, 2);
  CAPTURE(sample_rate, channels);
  // Tone, silence, clipping and an offset, so every measure has something to count.
  auto samples = sine(0.4, 523.25, sample_rate, static_cast<std::size_t>(sample_rate) * 2 + 123, channels);
  for (std::size_t i = 0; i < samples.size() / 3; ++i) samples[i] = 0.0f;
  for (std::size_t i = samples.size() / 2; i < samples.size() / 2 + 500 && i < samples.size(); ++i) samples[i] = 1.0f;
  for (std::size_t i = samples.size() / 3; i < samples.size(); ++i) samples[i] += 0.01f;

  const auto whole = measure(samples, sample_rate, channels);
  for (const auto& blocks : std::vector<std::vector<std::size_t>>{
           {1}, {7}, {441}, {10000}, {1, 7, 441, 10000}, {439, 443}, {160, 1}, {1000000}}) {
    const auto parts = measure_in_blocks(samples, sample_rate, channels, blocks);
    CAPTURE(blocks.size(), blocks.front());
    CHECK(parts.frames == whole.frames);
    CHECK(parts.peak_dbfs == whole.peak_dbfs);
    CHECK(parts.rms_dbfs == whole.rms_dbfs);
    CHECK(parts.clipped_fraction == whole.clipped_fraction);
    CHECK(parts.dc_offset == whole.dc_offset);
    CHECK(parts.silent_fraction == whole.silent_fraction);
    CHECK(clipset::quality_to_json(parts) == clipset::quality_to_json(whole));
  }
  CHECK(whole.silent_fraction > 0);
  CHECK(whole.clipped_fraction > 0);
}

TEST_CASE("quality_to_json: key order and rounding", "[quality]") {
  QualityMeasures q;
  q.peak_dbfs = -6.0206;
  q.rms_dbfs = -21.9649;
  q.clipped_fraction = 1.0 / 3;
  q.dc_offset = 0.00037349;
  q.silent_fraction = 0.123456;
  q.frames = 99;
  const auto json = clipset::quality_to_json(q);
  CHECK(keys_of(json) ==
        std::vector<std::string>{"peak_dbfs", "rms_dbfs", "clipped_fraction", "dc_offset", "silent_fraction"});
  CHECK(json.dump() ==
        R"({"peak_dbfs":-6.02,"rms_dbfs":-21.96,"clipped_fraction":0.333333,"dc_offset":0.000373,"silent_fraction":0.1235})");

  QualityMeasures r;
  r.peak_dbfs = -0.004;    // rounds to -0.0 or 0.0: either way zero
  r.rms_dbfs = -119.996;
  r.clipped_fraction = 2.5e-7;  // below the resolution: 0
  r.dc_offset = -0.0000126;
  r.silent_fraction = 0.99996;
  const auto rj = clipset::quality_to_json(r);
  CHECK(rj["peak_dbfs"].get<double>() == 0.0);
  CHECK(rj["rms_dbfs"].get<double>() == -120.0);
  CHECK(rj["clipped_fraction"].get<double>() == 0.0);
  CHECK(rj["dc_offset"].get<double>() == -0.000013);
  CHECK(rj["silent_fraction"].get<double>() == 1.0);
}

// Bugs found while writing these tests.

TEST_CASE("quality_to_json does not write negative zero", "[quality][regression]") {
  // A tiny negative DC offset (common: dither, or a last sample below zero) rounds to -0.0, and
  // the manifest then reads "dc_offset":-0.0 (likewise "peak_dbfs":-0.0 for a peak of -0.004 dB).
  QualityMeasures q;
  q.peak_dbfs = -0.004;
  q.rms_dbfs = -3;
  q.dc_offset = -1e-9;
  const std::string text = clipset::quality_to_json(q).dump();
  CAPTURE(text);
  CHECK(text.find("-0.0") == std::string::npos);
}

TEST_CASE("a NaN or infinite sample does not produce null or out-of-range measures", "[quality][regression]") {
  // A float file with a NaN sample: rms_dbfs falls to the -120 floor (as if silent), dc_offset is
  // NaN and quality_to_json writes "dc_offset":null, which manifest.schema.json rejects. An
  // infinite sample gives "peak_dbfs":null. Expected: finite numbers in the schema's ranges
  // (e.g. counting non-finite samples as clipped), or a clear data error.
  const float bad = GENERATE(std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity());
  CAPTURE(bad);
  auto samples = sine(0.5, 1000, 48000, 4800);
  samples[100] = bad;
  // What the manifest gets: the JSON text (nlohmann holds NaN as a number but writes it as null).
  const auto json = nlohmann::ordered_json::parse(clipset::quality_to_json(measure(samples, 48000, 1)).dump());
  CAPTURE(json.dump());
  for (auto it = json.begin(); it != json.end(); ++it) {
    CAPTURE(it.key());
    CHECK(it.value().is_number());
  }
  if (json["peak_dbfs"].is_number()) CHECK(json["peak_dbfs"].get<double>() <= 0.01);  // the schema's maximum
  if (json["rms_dbfs"].is_number()) CHECK(json["rms_dbfs"].get<double>() > -120);  // the audio is not silent
}
