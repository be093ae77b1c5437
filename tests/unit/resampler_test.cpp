// Streaming audio processing (include/clipset/audio_process.hpp): the resampler's mechanics for
// both libraries (exact length, block independence, moves), channel selection, and encoding clips
// in memory (encode_clip lives next to the resampler in lib/audio, so its tests are here too).
// The filters' frequency responses are tested in resampler_quality_test.cpp.

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "clipset/audio.hpp"
#include "clipset/audio_process.hpp"
#include "clipset/error.hpp"
#include "support/signals.hpp"
#include "support/temp_dir.hpp"

namespace {

using clipset::ChannelSelection;
using clipset::ClipEncoding;
using clipset::ResampleQuality;
using clipset::Resampler;
using clipset::ResamplerKind;

using clipset::test::db;
using clipset::test::noise;
using clipset::test::rms;
using clipset::test::sine;

// The whole stream through one Resampler, fed in blocks of the given sizes (cycled).
std::vector<float> resample(const std::vector<float>& in, int channels, double ratio, ResampleQuality quality,
                            const std::vector<std::size_t>& blocks = {}, ResamplerKind kind = clipset::kDefaultResampler) {
  Resampler resampler(channels, ratio, quality, kind);
  std::vector<float> out;
  const auto width = static_cast<std::size_t>(channels);
  const std::size_t frames = in.size() / width;
  if (blocks.empty()) {
    resampler.process(in.data(), frames, out);
  } else {
    std::size_t at = 0;
    for (std::size_t i = 0; at < frames; ++i) {
      const std::size_t n = std::min(blocks[i % blocks.size()], frames - at);
      resampler.process(in.data() + at * width, n, out);
      at += n;
    }
  }
  resampler.finish(out);
  return out;
}

// Decodes a file image (written to disk first) as float frames.
struct Decoded {
  SF_INFO info{};
  std::vector<float> samples;
};

Decoded decode_bytes(const std::string& bytes, const std::string& extension) {
  clipset::test::TempDir t;
  const auto file = t / ("clip." + extension);
  clipset::test::write_file(file, bytes);
  Decoded d;
  SNDFILE* sf = sf_open(file.c_str(), SFM_READ, &d.info);
  REQUIRE(sf != nullptr);
  d.samples.resize(static_cast<std::size_t>(d.info.frames * d.info.channels));
  CHECK(sf_readf_float(sf, d.samples.data(), d.info.frames) == d.info.frames);
  sf_close(sf);
  // clipset's own reader agrees on the header.
  const auto opened = clipset::SoundFile::open(file);
  CHECK(opened.info().frames == d.info.frames);
  CHECK(opened.info().channels == d.info.channels);
  CHECK(opened.info().sample_rate == d.info.samplerate);
  return d;
}

}  // namespace

// ------------------------------------------------------------------ resampler

TEST_CASE("the resampled stream has exactly round(n * ratio) frames", "[resample]") {
  struct Case {
    double from, to;
  };
  const auto rates = GENERATE(Case{48000, 16000}, Case{44100, 16000}, Case{44100, 22050}, Case{16000, 48000},
                              Case{22050, 44100}, Case{8000, 44100});
  const auto quality = GENERATE(ResampleQuality::fastest, ResampleQuality::medium, ResampleQuality::best);
  const auto kind = GENERATE(ResamplerKind::soxr, ResamplerKind::libsamplerate);
  const double ratio = rates.to / rates.from;
  std::vector<std::size_t> lengths{0, 1, 2, 7, 100, 441, 1000, 4095, 44101};
  // libsamplerate's best is slow under the sanitizers
  if (quality != ResampleQuality::best || kind == ResamplerKind::soxr) lengths.push_back(100003);
  for (const std::size_t n : lengths) {
    for (const int channels : {1, 2}) {
      CAPTURE(rates.from, rates.to, clipset::resampler_name(kind), clipset::quality_name(quality), n, channels);
      const auto in = noise(n * static_cast<std::size_t>(channels), 0.3, n + 1);
      const auto out = resample(in, channels, ratio, quality, {}, kind);
      const auto expected = static_cast<std::size_t>(std::llround(static_cast<double>(n) * ratio));
      CHECK(out.size() == expected * static_cast<std::size_t>(channels));
    }
  }
}

TEST_CASE("ragged blocks give bit-identical output to one big block", "[resample]") {
  // Finding: libsamplerate's sinc converters and libsoxr give bit-identical output however the
  // input is cut into blocks (checked exactly, not within a tolerance).
  const auto quality = GENERATE(ResampleQuality::fastest, ResampleQuality::medium, ResampleQuality::best);
  const auto kind = GENERATE(ResamplerKind::soxr, ResamplerKind::libsamplerate);
  const auto channels = GENERATE(1, 2);
  const double ratio = GENERATE(16000.0 / 44100.0, 16000.0 / 48000.0, 22050.0 / 44100.0, 48000.0 / 16000.0);
  CAPTURE(clipset::resampler_name(kind), clipset::quality_name(quality), channels, ratio);
  const auto in = noise(20011 * static_cast<std::size_t>(channels), 0.5, 7);
  const auto whole = resample(in, channels, ratio, quality, {}, kind);
  const auto ragged = resample(in, channels, ratio, quality, {1, 7, 300, 4096, 13, 2, 999, 16384}, kind);
  const auto single = resample(in, channels, ratio, quality, {1}, kind);
  REQUIRE(ragged.size() == whole.size());
  REQUIRE(single.size() == whole.size());
  std::size_t differ = 0;
  float worst = 0;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    differ += ragged[i] != whole[i] || single[i] != whole[i];
    worst = std::max({worst, std::abs(ragged[i] - whole[i]), std::abs(single[i] - whole[i])});
  }
  CHECK(worst <= 1e-6f);
  CHECK(differ == 0);
}

TEST_CASE("an empty process() call and a converter used only through finish() are harmless", "[resample]") {
  const auto kind = GENERATE(ResamplerKind::soxr, ResamplerKind::libsamplerate);
  CAPTURE(clipset::resampler_name(kind));
  Resampler resampler(1, 16000.0 / 48000.0, ResampleQuality::fastest, kind);
  std::vector<float> out;
  const auto in = sine(0.5, 440, 48000, 4800);
  resampler.process(in.data(), 0, out);
  resampler.process(in.data(), in.size(), out);
  resampler.process(in.data(), 0, out);
  resampler.finish(out);
  CHECK(out.size() == 1600);

  Resampler idle(2, 2.0, ResampleQuality::best, kind);
  std::vector<float> none;
  idle.finish(none);
  CHECK(none.empty());
}

TEST_CASE("a moved Resampler keeps its stream", "[resample]") {
  const auto kind = GENERATE(ResamplerKind::soxr, ResamplerKind::libsamplerate);
  CAPTURE(clipset::resampler_name(kind));
  const auto in = noise(9000, 0.4, 3);
  const auto expected = resample(in, 1, 0.5, ResampleQuality::fastest, {}, kind);
  Resampler a(1, 0.5, ResampleQuality::fastest, kind);
  std::vector<float> out;
  a.process(in.data(), 4000, out);
  Resampler b(std::move(a));
  b.process(in.data() + 4000, 5000, out);
  Resampler c(1, 2.0, ResampleQuality::best, kind);
  c = std::move(b);
  c.finish(out);
  CHECK(out == expected);
}

// ------------------------------------------------------------------ channels

TEST_CASE("mono mix-down is the average of the channels", "[resample]") {
  SECTION("stereo: (L + R) / 2 per frame") {
    const std::vector<float> in{1.0f, 0.0f, 0.5f, -0.5f, -1.0f, -0.5f, 0.25f, 0.75f};
    std::vector<float> out{9.0f};  // appends, keeps what is there
    clipset::select_channels(in.data(), 4, 2, {ChannelSelection::Mode::mono, 0}, out);
    CHECK(out == std::vector<float>{9.0f, 0.5f, 0.0f, -0.75f, 0.5f});
  }
  SECTION("three channels") {
    const std::vector<float> in{0.3f, 0.6f, 0.9f, -0.3f, 0.0f, 0.3f};
    std::vector<float> out;
    clipset::select_channels(in.data(), 2, 3, {ChannelSelection::Mode::mono, 0}, out);
    REQUIRE(out.size() == 2);
    CHECK(out[0] == Approx(0.6f));
    CHECK(out[1] == Approx(0.0f).margin(1e-7));
  }
  SECTION("levels: identical channels keep their level, one silent channel halves it (-6.02 dB)") {
    const auto tone = sine(0.5, 1000, 16000, 16000);
    std::vector<float> same, half;
    for (float v : tone) {
      same.push_back(v), same.push_back(v);
      half.push_back(v), half.push_back(0.0f);
    }
    std::vector<float> mono_same, mono_half;
    clipset::select_channels(same.data(), tone.size(), 2, {ChannelSelection::Mode::mono, 0}, mono_same);
    clipset::select_channels(half.data(), tone.size(), 2, {ChannelSelection::Mode::mono, 0}, mono_half);
    CHECK(db(rms(mono_same, 0, 16000) / rms(tone, 0, 16000)) == Approx(0).margin(1e-4));
    CHECK(db(rms(mono_half, 0, 16000) / rms(tone, 0, 16000)) == Approx(-6.0206).margin(1e-3));
  }
  SECTION("anti-phase channels cancel") {
    const std::vector<float> in{0.5f, -0.5f, -0.25f, 0.25f};
    std::vector<float> out;
    clipset::select_channels(in.data(), 2, 2, {ChannelSelection::Mode::mono, 0}, out);
    CHECK(out == std::vector<float>{0.0f, 0.0f});
  }
}

TEST_CASE("picking a channel keeps exactly that channel, keep passes everything through", "[resample]") {
  const std::vector<float> in{0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};  // 2 frames, 3 channels
  std::vector<float> out;
  clipset::select_channels(in.data(), 2, 3, {ChannelSelection::Mode::pick, 1}, out);
  CHECK(out == std::vector<float>{0.2f, 0.5f});
  out.clear();
  clipset::select_channels(in.data(), 2, 3, {ChannelSelection::Mode::pick, 2}, out);
  CHECK(out == std::vector<float>{0.3f, 0.6f});
  out.clear();
  clipset::select_channels(in.data(), 2, 3, {}, out);
  CHECK(out == in);

  CHECK(clipset::output_channels({}, 3) == 3);
  CHECK(clipset::output_channels({ChannelSelection::Mode::mono, 0}, 3) == 1);
  CHECK(clipset::output_channels({ChannelSelection::Mode::pick, 2}, 3) == 1);
  try {
    clipset::output_channels({ChannelSelection::Mode::pick, 2}, 2);
    FAIL("channel 3 of a stereo file was accepted");
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::data);
    CHECK(e.reason() == "has 2 channels, no channel 3");
  }
  CHECK_THROWS_AS(clipset::output_channels({ChannelSelection::Mode::pick, -1}, 2), clipset::Error);
}

// ------------------------------------------------------------------ encode_clip

TEST_CASE("encode_clip: WAV pcm16/pcm24/float and FLAC decode back to the same samples", "[resample][encode]") {
  struct Case {
    ClipEncoding::Container container;
    ClipEncoding::Sample sample;
    const char* extension;
    int sf_format;
    double step;  // one quantisation step
  };
  using C = ClipEncoding::Container;
  using S = ClipEncoding::Sample;
  const auto c = GENERATE(Case{C::wav, S::pcm16, "wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1.0 / 32768},
                          Case{C::wav, S::pcm24, "wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 1.0 / 8388608},
                          Case{C::wav, S::float32, "wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 0},
                          Case{C::flac, S::pcm16, "flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1.0 / 32768},
                          Case{C::flac, S::pcm24, "flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 1.0 / 8388608});
  const int channels = GENERATE(1, 2);
  CAPTURE(c.extension, c.sf_format, channels);
  const std::size_t frames = 4000;
  auto in = noise(frames * static_cast<std::size_t>(channels), 0.9, 11);
  in[0] = 1.0f, in[1] = -1.0f, in[2] = 0.0f, in[3] = 0.5f;
  const std::string bytes = clipset::encode_clip(in.data(), frames, channels, 22050, {c.container, c.sample});
  const auto d = decode_bytes(bytes, c.extension);
  CHECK(d.info.format == c.sf_format);
  CHECK(d.info.samplerate == 22050);
  CHECK(d.info.channels == channels);
  REQUIRE(d.info.frames == static_cast<sf_count_t>(frames));
  // Rounded to the nearest step: within one step (libsndfile scales by 2^(b-1)-1 on writing
  // and 2^(b-1) on reading, so half a step of rounding plus up to |x| steps of gain).
  double worst = 0;
  for (std::size_t i = 0; i < in.size(); ++i) worst = std::max(worst, std::abs(static_cast<double>(d.samples[i]) - in[i]));
  CAPTURE(worst / (c.step > 0 ? c.step : 1));
  if (c.step == 0) {
    CHECK(d.samples == in);
  } else {
    CHECK(worst <= c.step * 1.0001);
  }
}

TEST_CASE("encode_clip: samples beyond full scale clip instead of wrapping", "[resample][encode]") {
  const auto c = GENERATE(ClipEncoding::Sample::pcm16, ClipEncoding::Sample::pcm24);
  const auto container = GENERATE(ClipEncoding::Container::wav, ClipEncoding::Container::flac);
  CAPTURE(static_cast<int>(c), static_cast<int>(container));
  const std::vector<float> in{1.5f, -1.5f, 2.0f, -2.0f, 1.0001f, -1.0001f, 100.0f, -100.0f, 0.25f};
  const std::string bytes = clipset::encode_clip(in.data(), in.size(), 1, 16000, {container, c});
  const auto d = decode_bytes(bytes, container == ClipEncoding::Container::flac ? "flac" : "wav");
  REQUIRE(d.samples.size() == in.size());
  for (std::size_t i = 0; i + 1 < in.size(); ++i) {
    CAPTURE(i, in[i], d.samples[i]);
    if (in[i] > 0) {
      CHECK(d.samples[i] >= 0.9998f);  // the largest positive step, not a negative wrap
    } else {
      CHECK(d.samples[i] <= -0.9998f);
    }
  }
  CHECK(d.samples.back() == Approx(0.25f).margin(1e-4));
}

TEST_CASE("encode_clip: WAV float keeps samples beyond full scale as they are", "[resample][encode]") {
  const std::vector<float> in{1.5f, -2.0f, 0.125f};
  const std::string bytes =
      clipset::encode_clip(in.data(), in.size(), 1, 16000, {ClipEncoding::Container::wav, ClipEncoding::Sample::float32});
  const auto d = decode_bytes(bytes, "wav");
  CHECK(d.samples == in);
}

TEST_CASE("encode_clip: FLAC with float samples is a usage error", "[resample][encode]") {
  const std::vector<float> in(100, 0.1f);
  try {
    clipset::encode_clip(in.data(), 100, 1, 16000, {ClipEncoding::Container::flac, ClipEncoding::Sample::float32});
    FAIL("FLAC float was encoded");
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::usage);
    CHECK(std::string(e.what()).find("FLAC") != std::string::npos);
  }
}

TEST_CASE("encode_clip: the same audio always gives the same bytes", "[resample][encode]") {
  const auto container = GENERATE(ClipEncoding::Container::wav, ClipEncoding::Container::flac);
  const auto sample = GENERATE(ClipEncoding::Sample::pcm16, ClipEncoding::Sample::pcm24, ClipEncoding::Sample::float32);
  if (container == ClipEncoding::Container::flac && sample == ClipEncoding::Sample::float32) return;
  CAPTURE(static_cast<int>(container), static_cast<int>(sample));
  const auto in = noise(2 * 8000, 0.7, 5);
  const std::string a = clipset::encode_clip(in.data(), 8000, 2, 16000, {container, sample});
  const std::string b = clipset::encode_clip(in.data(), 8000, 2, 16000, {container, sample});
  const auto copy = in;  // another buffer with the same content
  const std::string c = clipset::encode_clip(copy.data(), 8000, 2, 16000, {container, sample});
  CHECK(a == b);
  CHECK(a == c);
  // Other audio gives other bytes (the encoder does not ignore its input).
  auto changed = in;
  changed[100] = -changed[100];
  CHECK(clipset::encode_clip(changed.data(), 8000, 2, 16000, {container, sample}) != a);
  if (container == ClipEncoding::Container::wav) {
    // No PEAK chunk (it would hold a time stamp): the canonical 44-byte header for PCM.
    CHECK(a.find("PEAK") == std::string::npos);
    if (sample == ClipEncoding::Sample::pcm16) CHECK(a.size() == 44 + 8000 * 2 * 2);
  }
}

TEST_CASE("encode_clip: an empty clip is a valid file", "[resample][encode]") {
  const std::string bytes = clipset::encode_clip(nullptr, 0, 1, 16000, {});
  const auto d = decode_bytes(bytes, "wav");
  CHECK(d.info.frames == 0);
  CHECK(clipset::container_name(ClipEncoding::Container::flac) == "flac");
  CHECK(clipset::sample_name(ClipEncoding::Sample::float32) == "float");
  CHECK(clipset::sample_name(ClipEncoding::Sample::pcm24) == "pcm24");
}

TEST_CASE("encode_clip: WAV pcm16 (written directly) has exactly libsndfile's bytes", "[resample][encode]") {
  const int channels = GENERATE(1, 2);
  CAPTURE(channels);
  const std::size_t frames = 20000;
  auto in = noise(frames * static_cast<std::size_t>(channels), 1.3, 17);  // some beyond full scale
  // Rounding edges: exact half steps, full scale, just beyond it, tiny values, signed zeros.
  const std::vector<float> edges{0.5f / 32767, 1.5f / 32767, -0.5f / 32767, -2.5f / 32767, 1.0f, -1.0f, 1.00002f,
                                 -1.00002f, 1e-9f, -0.0f, 0.0f, 32767.5f / 32767, -32768.5f / 32767};
  std::copy(edges.begin(), edges.end(), in.begin());
  const std::string ours = clipset::encode_clip(in.data(), frames, channels, 16000, {});

  clipset::test::TempDir t;
  const auto file = t / "reference.wav";
  SF_INFO info{};
  info.samplerate = 16000;
  info.channels = channels;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* sf = sf_open(file.c_str(), SFM_WRITE, &info);
  REQUIRE(sf != nullptr);
  sf_command(sf, SFC_SET_CLIPPING, nullptr, SF_TRUE);
  sf_command(sf, SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
  REQUIRE(sf_writef_float(sf, in.data(), static_cast<sf_count_t>(frames)) == static_cast<sf_count_t>(frames));
  REQUIRE(sf_close(sf) == 0);
  const std::string reference = clipset::test::read_file(file);
  REQUIRE(ours.size() == reference.size());
  CHECK(ours.substr(0, 44) == reference.substr(0, 44));
  std::size_t differ = 0;
  for (std::size_t i = 44; i < ours.size(); ++i) differ += ours[i] != reference[i];
  CHECK(differ == 0);
}
