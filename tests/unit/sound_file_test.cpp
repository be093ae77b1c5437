#include <sndfile.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "clipset/audio.hpp"
#include "clipset/error.hpp"
#include "support/audio_fixtures.hpp"
#include "support/sound_file_checks.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using clipset::test::ToneSpec;
using clipset::test::open_error;
using clipset::test::read_all;

namespace {

clipset::Error measure_error(const fs::path& path) {
  auto file = clipset::SoundFile::open(path);
  try {
    clipset::measure_quality(file);
  } catch (const clipset::Error& e) {
    return e;
  }
  FAIL("no error measuring " << path);
  throw;  // not reached
}

// Writes interleaved float samples with libsndfile.
void write_samples(const fs::path& path, int format, int sample_rate, int channels, const std::vector<float>& samples) {
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* sf = sf_open(path.c_str(), SFM_WRITE, &info);
  if (sf == nullptr) throw std::runtime_error(std::string("cannot write: ") + sf_strerror(nullptr));
  const auto frames = static_cast<sf_count_t>(samples.size() / static_cast<std::size_t>(channels));
  const bool ok = sf_writef_float(sf, samples.data(), frames) == frames;
  sf_close(sf);
  if (!ok) throw std::runtime_error("short write");
}

std::string le32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

float tone_sample(const ToneSpec& spec, std::int64_t frame) {
  const double t = static_cast<double>(frame) / spec.sample_rate;
  return static_cast<float>(spec.dc_offset + spec.amplitude * std::sin(2 * std::numbers::pi * spec.frequency * t));
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

TEST_CASE("SoundFile opens common formats and reports their header", "[sound_file]") {
  struct Case {
    const char* name;
    int format;
    const char* container;
    const char* subtype;
    double tolerance;  // largest expected |decoded - written|
  };
  const Case c = GENERATE(Case{"a.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, "wav", "pcm16", 1.0 / 32768},
                          Case{"b.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, "wav", "pcm24", 1.0 / 8388608},
                          Case{"c.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, "wav", "float", 0.0},
                          Case{"d.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, "wav", "pcm_u8", 1.0 / 128},
                          Case{"e.wav", SF_FORMAT_WAVEX | SF_FORMAT_PCM_32, "wav", "pcm32", 1e-6},
                          Case{"f.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, "flac", "pcm16", 1.0 / 32768},
                          Case{"g.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, "flac", "pcm24", 1.0 / 8388608},
                          Case{"h.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, "ogg", "vorbis", 0.05},
                          Case{"i.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, "aiff", "pcm16", 1.0 / 32768},
                          Case{"j.caf", SF_FORMAT_CAF | SF_FORMAT_DOUBLE, "caf", "double", 1e-7},
                          Case{"k.w64", SF_FORMAT_W64 | SF_FORMAT_PCM_16, "w64", "pcm16", 1.0 / 32768},
                          Case{"l.au", SF_FORMAT_AU | SF_FORMAT_ULAW, "au", "ulaw", 0.02});
  CAPTURE(c.name);
  clipset::test::TempDir dir;
  ToneSpec spec;
  spec.seconds = 0.75;
  spec.sample_rate = 16000;
  spec.format = c.format;
  clipset::test::write_tone(dir / c.name, spec);

  auto file = clipset::SoundFile::open(dir / c.name);
  const auto& info = file.info();
  CHECK(file.path() == dir / c.name);
  CHECK(info.format == c.container);
  CHECK(info.subtype == c.subtype);
  CHECK(info.sample_rate == 16000);
  CHECK(info.channels == 1);
  CHECK(info.frames == 12000);
  CHECK(info.duration == Approx(0.75).margin(1e-12));

  const auto samples = read_all(file, {4096});
  REQUIRE(samples.size() == 12000);
  double worst = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    worst = std::max(worst, std::fabs(static_cast<double>(samples[i]) - tone_sample(spec, static_cast<std::int64_t>(i))));
  }
  CHECK(worst <= c.tolerance + 1e-9);
  CHECK(file.read(nullptr, 0) == 0);
}

TEST_CASE("SoundFile reads stereo interleaved, left then right", "[sound_file]") {
  clipset::test::TempDir dir;
  const int frames = 3001;
  std::vector<float> samples;
  for (int i = 0; i < frames; ++i) {
    samples.push_back(static_cast<float>(i) / 4096.0f);   // left: a ramp
    samples.push_back(-static_cast<float>(i) / 8192.0f);  // right: half a ramp, negative
  }
  write_samples(dir / "st.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 22050, 2, samples);
  auto file = clipset::SoundFile::open(dir / "st.wav");
  CHECK(file.info().channels == 2);
  CHECK(file.info().sample_rate == 22050);
  CHECK(file.info().frames == frames);
  CHECK(file.info().duration == Approx(3001.0 / 22050));
  CHECK(read_all(file, {1000}) == samples);
}

TEST_CASE("SoundFile::read in blocks of odd sizes gives the samples of one big read", "[sound_file]") {
  const int format = GENERATE(SF_FORMAT_WAV | SF_FORMAT_PCM_16, SF_FORMAT_WAV | SF_FORMAT_PCM_24,
                              SF_FORMAT_FLAC | SF_FORMAT_PCM_16, SF_FORMAT_OGG | SF_FORMAT_VORBIS,
                              SF_FORMAT_AIFF | SF_FORMAT_PCM_16);
  CAPTURE(format);
  clipset::test::TempDir dir;
  ToneSpec spec;
  spec.seconds = 1.3;
  spec.sample_rate = 8000;
  spec.channels = 2;
  spec.frequency = 333;
  spec.format = format;
  clipset::test::write_tone(dir / "t", spec);
  std::vector<float> whole;
  {
    auto file = clipset::SoundFile::open(dir / "t");
    whole = read_all(file, {1'000'000});
    CHECK(whole.size() == static_cast<std::size_t>(file.info().frames * 2));
  }
  for (const auto& blocks : std::vector<std::vector<std::size_t>>{{1}, {7}, {1, 7, 441, 10000}, {4095, 3, 4097}}) {
    auto file = clipset::SoundFile::open(dir / "t");
    CHECK(read_all(file, blocks) == whole);
  }
}

TEST_CASE("SoundFile is movable", "[sound_file]") {
  clipset::test::TempDir dir;
  clipset::test::write_tone(dir / "a.wav", ToneSpec{.seconds = 0.1});
  clipset::test::write_tone(dir / "b.wav", ToneSpec{.seconds = 0.2});
  auto a = clipset::SoundFile::open(dir / "a.wav");
  auto moved = std::move(a);
  CHECK(moved.info().frames == 1600);
  CHECK(read_all(moved, {100}).size() == 1600);
  moved = clipset::SoundFile::open(dir / "b.wav");
  CHECK(moved.path() == dir / "b.wav");
  CHECK(read_all(moved, {100}).size() == 3200);
}

TEST_CASE("SoundFile explains files it cannot read", "[sound_file]") {
  clipset::test::TempDir dir;
  clipset::test::write_tone(dir / "good.wav", ToneSpec{.seconds = 1.0, .sample_rate = 16000});
  const std::string wav = clipset::test::read_file(dir / "good.wav");
  REQUIRE(wav.size() == 44 + 32000);

  SECTION("zero bytes") {
    clipset::test::write_file(dir / "empty.wav", "");
    const auto e = open_error(dir / "empty.wav");
    CHECK(e.kind() == clipset::ErrorKind::data);
    CHECK(e.subject() == (dir / "empty.wav").string());
    CHECK(e.reason() == "empty file (0 bytes)");
  }
  SECTION("a text file") {
    clipset::test::write_file(dir / "notes.wav", "these are my field notes, not audio\n");
    const auto e = open_error(dir / "notes.wav");
    CHECK(e.kind() == clipset::ErrorKind::data);
    CHECK(e.reason() == "not a sound file (format not recognised)");
  }
  SECTION("random bytes") {
    std::string junk;
    for (int i = 0; i < 5000; ++i) junk += static_cast<char>((i * 7919 + 13) % 251);
    clipset::test::write_file(dir / "junk.bin", junk);
    const auto e = open_error(dir / "junk.bin");
    CHECK(e.kind() == clipset::ErrorKind::data);
    CHECK(starts_with(e.reason(), "not a sound file ("));
  }
  SECTION("a WAV cut to 20 bytes") {
    clipset::test::write_file(dir / "cut.wav", wav.substr(0, 20));
    const auto e = open_error(dir / "cut.wav");
    CHECK(e.kind() == clipset::ErrorKind::data);
    CHECK(e.reason() == "truncated header (only 20 bytes)");
  }
  SECTION("a WAV whose header declares more data than the file holds") {
    clipset::test::write_file(dir / "short.wav", wav.substr(0, 44 + 10000));
    const auto e = open_error(dir / "short.wav");
    CHECK(e.kind() == clipset::ErrorKind::data);
    CHECK(e.subject() == (dir / "short.wav").string());
    CHECK(e.reason() == "truncated (the header declares 32000 bytes of audio, the file holds 10000)");
  }
  SECTION("a WAV of only its 44-byte header") {
    clipset::test::write_file(dir / "header.wav", wav.substr(0, 44));
    CHECK(open_error(dir / "header.wav").reason() ==
          "truncated (the header declares 32000 bytes of audio, the file holds 0)");
  }
  SECTION("a 24-bit and a float WAV cut short") {
    for (const int format : {SF_FORMAT_WAV | SF_FORMAT_PCM_24, SF_FORMAT_WAV | SF_FORMAT_FLOAT}) {
      clipset::test::write_tone(dir / "x.wav", ToneSpec{.seconds = 1.0, .format = format});
      const std::string full = clipset::test::read_file(dir / "x.wav");
      clipset::test::write_file(dir / "x.wav", full.substr(0, full.size() - 1000));
      CHECK(starts_with(open_error(dir / "x.wav").reason(), "truncated (the header declares "));
    }
  }
  SECTION("a fake M4A: an ftyp box and no index") {
    // FFmpeg reads MP4; a file with no moov atom is one whose recording was never finalised.
    clipset::test::write_file(dir / "voice.m4a", std::string("\0\0\0\x18" "ftypM4A \0\0\0\0", 16) + std::string(300, 'j'));
    const auto e = open_error(dir / "voice.m4a");
    CHECK(e.kind() == clipset::ErrorKind::data);
    CHECK(e.reason() == "truncated (no moov atom: the MP4 index is missing, the recording was not finalised)");
  }
  SECTION("a fake 3GP and a fake QuickTime file") {
    clipset::test::write_file(dir / "voice.3gp", std::string("\0\0\0\x18" "ftyp3gp4\0\0\0\0", 16) + std::string(300, 'j'));
    CHECK(starts_with(open_error(dir / "voice.3gp").reason(), "truncated (no moov atom"));
    clipset::test::write_file(dir / "a.mov", std::string("\0\0\0\x14" "ftypqt  \0\0\0\0", 16) + std::string(300, 'j'));
    CHECK(starts_with(open_error(dir / "a.mov").reason(), "truncated (no moov atom"));
  }
  SECTION("a Matroska magic number and an AMR header with garbage after them") {
    clipset::test::write_file(dir / "a.webm", std::string("\x1a\x45\xdf\xa3", 4) + std::string(300, 'j'));
    CHECK(open_error(dir / "a.webm").reason() == "not a sound file (format not recognised)");
    clipset::test::write_file(dir / "a.amr", "#!AMR\n" + std::string(300, 'j'));
    CHECK(starts_with(open_error(dir / "a.amr").reason(), "decode error ("));
  }
  SECTION("a missing file is an io error") {
    const auto e = open_error(dir / "missing.wav");
    CHECK(e.kind() == clipset::ErrorKind::io);
    CHECK(e.subject() == (dir / "missing.wav").string());
    CHECK(e.reason() == "no such file or directory");
  }
}

TEST_CASE("SoundFile accepts WAVs with bytes after the audio data", "[sound_file]") {
  clipset::test::TempDir dir;
  clipset::test::write_tone(dir / "good.wav", ToneSpec{.seconds = 1.0, .sample_rate = 16000});
  const std::string wav = clipset::test::read_file(dir / "good.wav");

  std::string id3 = "ID3";
  id3 += std::string("\x03\x00\x00\x00\x00\x00\x10", 7) + std::string(16, '\0');
  const std::string list_chunk = "LIST" + le32(14) + "INFOICMT" + le32(6) + "hello" + std::string(1, '\0');
  const std::string id3_chunk = "id3 " + le32(static_cast<std::uint32_t>(id3.size())) + id3;
  struct Case {
    const char* name;
    std::string tail;
  };
  const Case c = GENERATE_COPY(Case{"an appended ID3 tag", id3}, Case{"a LIST chunk", list_chunk},
                               Case{"an 'id3 ' chunk", id3_chunk}, Case{"1000 junk bytes", std::string(1000, 'Z')},
                               Case{"one stray byte", std::string(1, '\0')},
                               Case{"a cut LIST chunk", "LIST" + le32(4000) + "INFO"});
  CAPTURE(c.name);
  clipset::test::write_file(dir / "tail.wav", wav + c.tail);
  auto file = clipset::SoundFile::open(dir / "tail.wav");
  CHECK(file.info().frames == 16000);
  const auto q = clipset::measure_quality(file);
  CHECK(q.frames == 16000);
  CHECK(q.peak_dbfs == Approx(-6.02).margin(0.01));
}

TEST_CASE("a FLAC file cut in half opens but measure_quality reports it truncated", "[sound_file]") {
  clipset::test::TempDir dir;
  clipset::test::write_tone(dir / "full.flac", ToneSpec{.seconds = 1.0, .sample_rate = 16000,
                                                        .format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16});
  const std::string flac = clipset::test::read_file(dir / "full.flac");
  clipset::test::write_file(dir / "half.flac", flac.substr(0, flac.size() / 2));
  // The header (STREAMINFO) is intact, so it opens and declares all the frames...
  {
    auto file = clipset::SoundFile::open(dir / "half.flac");
    CHECK(file.info().format == "flac");
    CHECK(file.info().frames == 16000);
  }
  // ...and decoding finds fewer.
  const auto e = measure_error(dir / "half.flac");
  CHECK(e.kind() == clipset::ErrorKind::data);
  CHECK(e.subject() == (dir / "half.flac").string());
  CAPTURE(e.reason());
  CHECK(starts_with(e.reason(), "truncated ("));
  CHECK(e.reason().find(" of 16000 frames decode)") != std::string::npos);
}

TEST_CASE("measure_quality on a file agrees with its signal", "[sound_file]") {
  clipset::test::TempDir dir;
  ToneSpec spec{.seconds = 2.0, .sample_rate = 48000, .channels = 2, .frequency = 1000, .amplitude = 0.5,
                .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
  clipset::test::write_tone(dir / "t.wav", spec);
  auto file = clipset::SoundFile::open(dir / "t.wav");
  const auto q = clipset::measure_quality(file);
  CHECK(q.frames == 96000);
  CHECK(q.peak_dbfs == Approx(-6.0206).margin(0.001));
  CHECK(q.rms_dbfs == Approx(-9.0309).margin(0.001));
  CHECK(q.clipped_fraction == 0);
  CHECK(q.dc_offset == Approx(0).margin(1e-6));
  CHECK(q.silent_fraction == 0);
}

// Bugs found while writing these tests.

TEST_CASE("truncated AIFF, W64, RF64 and AU files are reported as truncated", "[sound_file][regression]") {
  // libsndfile trims the frame count of these formats to what the file holds and only logs it;
  // clipset looks for the WAV log line ("data : N (should be M)") only, so half a recording is
  // accepted as a complete, shorter one: frames 7986 instead of 16000 and no error anywhere.
  struct Case {
    const char* name;
    int format;
  };
  const Case c = GENERATE(Case{"x.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16}, Case{"x.w64", SF_FORMAT_W64 | SF_FORMAT_PCM_16},
                          Case{"x.rf64", SF_FORMAT_RF64 | SF_FORMAT_PCM_16}, Case{"x.au", SF_FORMAT_AU | SF_FORMAT_PCM_16});
  CAPTURE(c.name);
  clipset::test::TempDir dir;
  clipset::test::write_tone(dir / c.name, ToneSpec{.seconds = 1.0, .sample_rate = 16000, .format = c.format});
  const std::string full = clipset::test::read_file(dir / c.name);
  clipset::test::write_file(dir / c.name, full.substr(0, full.size() / 2));
  bool reported = false;
  std::string reason;
  try {
    auto file = clipset::SoundFile::open(dir / c.name);
    INFO("opened with frames = " << file.info().frames << " (the header declares 16000)");
    clipset::measure_quality(file);
  } catch (const clipset::Error& e) {
    reported = true;
    reason = e.reason();
  }
  CHECK(reported);
  CHECK(starts_with(reason, "truncated ("));
}

TEST_CASE("a streamed WAV with an unknown (0xFFFFFFFF) data size is readable", "[sound_file][regression]") {
  // Writers that cannot seek back (ffmpeg to a pipe, some recorders) leave 0xFFFFFFFF as the RIFF
  // and data sizes, meaning "to the end of the file". libsndfile reads such files fine, but
  // clipset rejects them: "truncated (the header declares 4294967295 bytes of audio, the file
  // holds 32000)" although no audio is missing.
  clipset::test::TempDir dir;
  clipset::test::write_tone(dir / "s.wav", ToneSpec{.seconds = 1.0, .sample_rate = 16000});
  std::string wav = clipset::test::read_file(dir / "s.wav");
  REQUIRE(wav.substr(36, 4) == "data");
  wav.replace(4, 4, le32(0xFFFFFFFF));
  wav.replace(40, 4, le32(0xFFFFFFFF));
  clipset::test::write_file(dir / "s.wav", wav);
  try {
    auto file = clipset::SoundFile::open(dir / "s.wav");
    CHECK(file.info().frames == 16000);
    CHECK(clipset::measure_quality(file).frames == 16000);
  } catch (const clipset::Error& e) {
    FAIL_CHECK("rejected: " << e.what());
  }
}

TEST_CASE("a text file named .mp3 is 'not a sound file (format not recognised)'", "[sound_file][regression]") {
  // libsndfile falls back to the extension for MPEG; its error then is "File does not exist or is
  // not a regular file (possibly a pipe?)", which clipset passes on for a file that exists.
  clipset::test::TempDir dir;
  clipset::test::write_file(dir / "notes.mp3", "these are my field notes, not audio\nmore notes, still not audio\n");
  const auto e = open_error(dir / "notes.mp3");
  CHECK(e.kind() == clipset::ErrorKind::data);
  CHECK(e.reason() == "not a sound file (format not recognised)");
  CHECK(e.reason().find("does not exist") == std::string::npos);
}

TEST_CASE("a folder given as a sound file is an io error 'is a directory'", "[sound_file][regression]") {
  // Actual: data error "not a sound file (format not recognised)".
  clipset::test::TempDir dir;
  fs::create_directory(dir / "folder.wav");
  const auto e = open_error(dir / "folder.wav");
  CHECK(e.kind() == clipset::ErrorKind::io);
  CHECK(e.reason() == "is a directory");
}
