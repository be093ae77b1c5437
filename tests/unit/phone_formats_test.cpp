// SoundFile on the formats phones write, read through the FFmpeg backend (and libsndfile for
// Ogg/Opus and MP3): header facts, exact frame counts, the decoded signal, the tags, and a
// reason for every broken file.

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "clipset/audio.hpp"
#include "clipset/error.hpp"
#include "support/phone_formats.hpp"
#include "support/run_command.hpp"
#include "support/sound_file_checks.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using clipset::test::PhoneFormat;
using clipset::test::PhoneFormatCase;
using clipset::test::PhoneTone;
using clipset::test::open_error;
using clipset::test::read_all;

namespace {

// Frequency from upward zero crossings of the middle of the signal (the codecs' fade-in and
// priming at the edges left out).
double tone_frequency(const std::vector<float>& mono, int sample_rate) {
  const std::size_t begin = mono.size() / 4;
  const std::size_t end = mono.size() * 3 / 4;
  std::size_t first = 0, last = 0, crossings = 0;
  for (std::size_t i = begin + 1; i < end; ++i) {
    if (mono[i - 1] < 0 && mono[i] >= 0) {
      if (crossings == 0) first = i;
      last = i;
      ++crossings;
    }
  }
  if (crossings < 2) return 0;
  return static_cast<double>(crossings - 1) * sample_rate / static_cast<double>(last - first);
}

double peak_of_middle(const std::vector<float>& samples) {
  double peak = 0;
  for (std::size_t i = samples.size() / 4; i < samples.size() * 3 / 4; ++i) peak = std::max(peak, std::fabs(double(samples[i])));
  return peak;
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

TEST_CASE("phone formats: header facts, exact frame count, and the tone decodes", "[sound_file][ffmpeg]") {
  const auto& c = GENERATE(from_range(clipset::test::phone_format_cases()));
  CAPTURE(c.file);
  clipset::test::TempDir dir;
  PhoneTone tone;  // 1.5 s of 440 Hz at half scale
  clipset::test::write_phone_tone(dir / c.file, c.format, tone);

  auto file = clipset::SoundFile::open(dir / c.file);
  const auto& info = file.info();
  CHECK(info.format == c.container);
  CHECK(info.subtype == c.codec);
  CHECK(info.sample_rate == c.sample_rate);
  CHECK(info.channels == 1);
  // The encoders' priming and padding are dropped: the length is the source's, within one frame.
  const auto expected = static_cast<std::int64_t>(1.5 * c.sample_rate);
  CHECK(std::llabs(info.frames - expected) <= c.codec_frame);
  CHECK(info.duration == Approx(static_cast<double>(info.frames) / c.sample_rate));

  const auto samples = read_all(file, {4096});
  CHECK(static_cast<std::int64_t>(samples.size()) == info.frames);  // read() delivers exactly `frames`
  CHECK(file.read(nullptr, 0) == 0);
  CHECK(tone_frequency(samples, c.sample_rate) == Approx(440).epsilon(0.01));
  CHECK(20 * std::log10(peak_of_middle(samples)) == Approx(-6.02).margin(1.0));
}

TEST_CASE("phone formats: frames agree with what the ffmpeg tool decodes, less MP4 trailing padding",
          "[sound_file][ffmpeg]") {
  const auto& c = GENERATE(from_range(clipset::test::phone_format_cases()));
  CAPTURE(c.file);
  clipset::test::TempDir dir;
  clipset::test::write_phone_tone(dir / c.file, c.format);
  const auto file = clipset::SoundFile::open(dir / c.file);
  const long long tool = clipset::test::ffmpeg_decoded_frames(dir / c.file, 1);
  if (c.format == PhoneFormat::m4a_aac) {
    // The ffmpeg tool keeps the AAC encoder's padding in the last packet; the MP4's sample table
    // gives that packet its true, shorter duration, and clipset ends there: exactly 1.5 s.
    CHECK(file.info().frames == 72000);
    CHECK(tool > file.info().frames);
    CHECK(tool - file.info().frames < 1024);
  } else {
    CHECK(file.info().frames == tool);
  }
}

TEST_CASE("phone formats: blocks of any size give the samples of one big read", "[sound_file][ffmpeg]") {
  const auto& c = GENERATE(from_range(clipset::test::phone_format_cases()));
  CAPTURE(c.file);
  clipset::test::TempDir dir;
  PhoneTone tone;
  tone.channels = 2;
  tone.seconds = 0.7;
  clipset::test::write_phone_tone(dir / c.file, c.format, tone);
  std::vector<float> whole;
  {
    auto file = clipset::SoundFile::open(dir / c.file);
    whole = read_all(file, {1'000'000});
    CHECK(whole.size() == static_cast<std::size_t>(file.info().frames * file.info().channels));
  }
  for (const auto& blocks : std::vector<std::vector<std::size_t>>{{1}, {7, 441, 10000}, {4095, 3, 4097}}) {
    auto file = clipset::SoundFile::open(dir / c.file);
    CHECK(read_all(file, blocks) == whole);
  }
}

TEST_CASE("phone formats: stereo AAC is read interleaved, left then right", "[sound_file][ffmpeg]") {
  clipset::test::TempDir dir;
  // Left 440 Hz, right 1000 Hz.
  clipset::test::run_ffmpeg({"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=1", "-f", "lavfi", "-i",
                             "sine=frequency=1000:sample_rate=44100:duration=1", "-filter_complex",
                             "[0:a][1:a]join=inputs=2:channel_layout=stereo", "-c:a", "aac", (dir / "st.m4a").string()});
  auto file = clipset::SoundFile::open(dir / "st.m4a");
  REQUIRE(file.info().channels == 2);
  CHECK(file.info().sample_rate == 44100);
  const auto samples = read_all(file, {1000});
  std::vector<float> left, right;
  for (std::size_t i = 0; i + 1 < samples.size(); i += 2) {
    left.push_back(samples[i]);
    right.push_back(samples[i + 1]);
  }
  CHECK(tone_frequency(left, 44100) == Approx(440).epsilon(0.01));
  CHECK(tone_frequency(right, 44100) == Approx(1000).epsilon(0.01));
}

TEST_CASE("phone formats: tags phones write become RecordingTags", "[sound_file][ffmpeg]") {
  clipset::test::TempDir dir;
  SECTION("an iPhone's QuickTime keys in an M4A") {
    PhoneTone tone;
    tone.metadata = {{"com.apple.quicktime.creationdate", "2024-05-01T12:20:30+0200"},
                     {"com.apple.quicktime.make", "Apple"},
                     {"com.apple.quicktime.model", "iPhone 13"},
                     {"com.apple.quicktime.software", "17.4.1"},
                     {"com.apple.quicktime.location.ISO6709", "+48.8584+002.2945+035.000/"}};
    clipset::test::write_phone_tone(dir / "memo.m4a", PhoneFormat::m4a_aac, tone);
    const auto tags = clipset::SoundFile::open(dir / "memo.m4a").info().tags;
    CHECK(tags.recorded_at == "2024-05-01T12:20:30+02:00");
    CHECK(tags.device == "Apple iPhone 13");
    CHECK(tags.encoder == "17.4.1");
    REQUIRE(tags.location);
    CHECK(tags.location->lat == Approx(48.8584));
    CHECK(tags.location->lon == Approx(2.2945));
    REQUIRE(tags.location->alt);
    CHECK(*tags.location->alt == Approx(35.0));
  }
  SECTION("Android's MediaRecorder keys in an M4A") {
    PhoneTone tone;
    tone.metadata = {{"creation_time", "2024-06-02T08:00:05.000000Z"},
                     {"com.android.manufacturer", "Google"},
                     {"com.android.model", "Pixel 7"},
                     {"location", "+37.4220-122.0841/"}};
    clipset::test::write_phone_tone(dir / "rec.m4a", PhoneFormat::m4a_aac, tone);
    const auto tags = clipset::SoundFile::open(dir / "rec.m4a").info().tags;
    CHECK(tags.recorded_at == "2024-06-02T08:00:05Z");
    CHECK(tags.device == "Google Pixel 7");
    REQUIRE(tags.location);
    CHECK(tags.location->lat == Approx(37.4220));
    CHECK(tags.location->lon == Approx(-122.0841));
    CHECK_FALSE(tags.location->alt);
  }
  SECTION("a 3GP's creation time and location (3GP has no keyed tags)") {
    PhoneTone tone;
    tone.metadata = {{"creation_time", "2024-06-02T08:00:05Z"}, {"location", "+37.4220-122.0841/"}};
    clipset::test::write_phone_tone(dir / "rec.3gp", PhoneFormat::amr_nb_3gp, tone);
    const auto tags = clipset::SoundFile::open(dir / "rec.3gp").info().tags;
    CHECK(tags.recorded_at == "2024-06-02T08:00:05Z");
    REQUIRE(tags.location);
    CHECK(tags.location->lon == Approx(-122.0841));
  }
  SECTION("an MP4 with the plain creation_time and location atoms") {
    PhoneTone tone;
    tone.metadata = {{"creation_time", "2023-12-24T18:30:00Z"}, {"location", "+48.8584+002.2945/"}};
    clipset::test::write_phone_tone(dir / "plain.m4a", PhoneFormat::m4a_aac, tone);
    const auto tags = clipset::SoundFile::open(dir / "plain.m4a").info().tags;
    CHECK(tags.recorded_at == "2023-12-24T18:30:00Z");
    REQUIRE(tags.location);
    CHECK(tags.location->lat == Approx(48.8584));
    CHECK(starts_with(tags.encoder, "Lavf"));  // the ffmpeg tool wrote it
  }
  SECTION("an Ogg/Opus (decoded by libsndfile, tagged through FFmpeg) and an MP3 (decoded by FFmpeg)") {
    PhoneTone tone;
    tone.metadata = {{"date", "2022-03-04"}, {"encoder", "Recorder 2.1"}};
    clipset::test::write_phone_tone(dir / "a.ogg", PhoneFormat::ogg_opus, tone);
    clipset::test::write_phone_tone(dir / "a.mp3", PhoneFormat::mp3, tone);
    for (const char* name : {"a.ogg", "a.mp3"}) {
      CAPTURE(name);
      const auto tags = clipset::SoundFile::open(dir / name, clipset::FileTags::read).info().tags;
      CHECK(tags.recorded_at == "2022-03-04");
      CHECK_FALSE(tags.encoder.empty());
    }
    // For what libsndfile decodes, tags cost a second parse: only on request (segment, validate
    // and learning-curve open thousands of clips). FFmpeg has them from its one parse anyway.
    CHECK(clipset::SoundFile::open(dir / "a.ogg").info().tags.recorded_at.empty());
  }
  SECTION("no tags: nothing made up") {
    clipset::test::write_phone_tone(dir / "bare.webm", PhoneFormat::webm_opus);
    const auto tags = clipset::SoundFile::open(dir / "bare.webm").info().tags;
    CHECK(tags.recorded_at.empty());
    CHECK(tags.device.empty());
    CHECK_FALSE(tags.location);
  }
}

TEST_CASE("phone formats: broken files get one reason naming the path", "[sound_file][ffmpeg]") {
  clipset::test::TempDir dir;
  PhoneTone tone;
  tone.seconds = 2.0;
  clipset::test::write_phone_tone(dir / "good.m4a", PhoneFormat::m4a_aac, tone);  // moov at the end
  const std::string m4a = clipset::test::read_file(dir / "good.m4a");

  SECTION("an M4A cut before its moov atom (a recording never finalised)") {
    clipset::test::write_file(dir / "cut.m4a", m4a.substr(0, m4a.size() / 2));
    const auto e = open_error(dir / "cut.m4a");
    CHECK(e.kind() == clipset::ErrorKind::data);
    CHECK(e.subject() == (dir / "cut.m4a").string());
    CHECK(e.reason() == "truncated (no moov atom: the MP4 index is missing, the recording was not finalised)");
  }
  SECTION("an M4A with its index first, cut in the audio") {
    clipset::test::run_ffmpeg({"-i", (dir / "good.m4a").string(), "-c", "copy", "-movflags", "+faststart", (dir / "fast.m4a").string()});
    const std::string fast = clipset::test::read_file(dir / "fast.m4a");
    clipset::test::write_file(dir / "fast_cut.m4a", fast.substr(0, fast.size() * 2 / 3));
    const auto e = open_error(dir / "fast_cut.m4a");
    CHECK(e.kind() == clipset::ErrorKind::data);
    CAPTURE(e.reason());
    CHECK(starts_with(e.reason(), "truncated (the header declares 96000 frames, the file holds "));
  }
  SECTION("zero bytes") {
    clipset::test::write_file(dir / "empty.m4a", "");
    CHECK(open_error(dir / "empty.m4a").reason() == "empty file (0 bytes)");
  }
  SECTION("a video-only MP4") {
    clipset::test::run_ffmpeg({"-f", "lavfi", "-i", "testsrc=duration=1:size=64x64:rate=10", "-c:v", "mpeg4",
                               (dir / "video.mp4").string()});
    const auto e = open_error(dir / "video.mp4");
    CHECK(e.kind() == clipset::ErrorKind::data);
    CHECK(e.reason() == "not a sound file (no audio stream: the file holds only video)");
  }
  SECTION("encrypted (DRM) audio") {
    clipset::test::run_ffmpeg({"-i", (dir / "good.m4a").string(), "-c", "copy", "-encryption_scheme", "cenc-aes-ctr",
                               "-encryption_key", "76a6c65c5ea762046bd749a2e632ccbb", "-encryption_kid",
                               "a7e61c373e219033c21091fa607bf3b8", (dir / "drm.m4a").string()});
    CHECK(open_error(dir / "drm.m4a").reason() == "unsupported format: encrypted audio (DRM protected)");
  }
  SECTION("a WebM cut short") {
    clipset::test::write_phone_tone(dir / "a.webm", PhoneFormat::webm_opus, tone);
    const std::string webm = clipset::test::read_file(dir / "a.webm");
    clipset::test::write_file(dir / "cut.webm", webm.substr(0, webm.size() / 2));
    CAPTURE(open_error(dir / "cut.webm").reason());
    CHECK(starts_with(open_error(dir / "cut.webm").reason(), "truncated (the header declares "));
  }
  SECTION("text and random bytes named like phone recordings") {
    clipset::test::write_file(dir / "notes.m4a", "these are my field notes, not audio\n");
    clipset::test::write_file(dir / "notes.3gp", "these are my field notes, not audio\n");
    std::string junk;
    for (int i = 0; i < 5000; ++i) junk += static_cast<char>((i * 7919 + 13) % 251);
    clipset::test::write_file(dir / "junk.webm", junk);
    for (const char* name : {"notes.m4a", "notes.3gp", "junk.webm"}) {
      CAPTURE(name);
      const auto e = open_error(dir / name);
      CHECK(e.kind() == clipset::ErrorKind::data);
      CHECK(e.reason() == "not a sound file (format not recognised)");
    }
  }
  SECTION("an AMR header followed by garbage") {
    clipset::test::write_file(dir / "fake.amr", "#!AMR\n" + std::string(300, 'j'));
    const auto e = open_error(dir / "fake.amr");
    CHECK(e.kind() == clipset::ErrorKind::data);
    CAPTURE(e.reason());
    CHECK(starts_with(e.reason(), "decode error ("));
  }
}

TEST_CASE("phone formats: an AMR file cut inside a frame measures as truncated", "[sound_file][ffmpeg]") {
  clipset::test::TempDir dir;
  clipset::test::write_phone_tone(dir / "rec.3gp", PhoneFormat::amr_nb_3gp);
  clipset::test::run_ffmpeg({"-i", (dir / "rec.3gp").string(), "-c", "copy", "-f", "amr", (dir / "rec.amr").string()});
  const std::string amr = clipset::test::read_file(dir / "rec.amr");
  clipset::test::write_file(dir / "cut.amr", amr.substr(0, amr.size() / 2 + 5));  // AMR-NB 12.2k frames are 32 bytes
  auto file = clipset::SoundFile::open(dir / "cut.amr");
  CHECK(file.info().format == "amr");
  try {
    clipset::measure_quality(file);
    FAIL("no error");
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::data);
    CAPTURE(e.reason());
    CHECK(starts_with(e.reason(), "truncated ("));
    CHECK(e.reason().find(" of " + std::to_string(file.info().frames) + " frames decode)") != std::string::npos);
  }
}

TEST_CASE("phone formats: every prefix of an M4A and a WebM is refused or read, never a crash or hang",
          "[sound_file][ffmpeg]") {
  clipset::test::TempDir dir;
  PhoneTone tone;
  tone.seconds = 0.5;
  clipset::test::write_phone_tone(dir / "a.m4a", PhoneFormat::m4a_aac, tone);
  clipset::test::run_ffmpeg({"-i", (dir / "a.m4a").string(), "-c", "copy", "-movflags", "+faststart", (dir / "f.m4a").string()});
  clipset::test::write_phone_tone(dir / "a.webm", PhoneFormat::webm_opus, tone);
  for (const char* name : {"a.m4a", "f.m4a", "a.webm"}) {
    const std::string whole = clipset::test::read_file(dir / name);
    const std::int64_t whole_frames = clipset::SoundFile::open(dir / name).info().frames;
    for (std::size_t n = 1; n < whole.size(); n += 1 + whole.size() / 97) {
      const fs::path cut = dir / ("cut_" + std::to_string(n) + fs::path(name).extension().string());
      clipset::test::write_file(cut, whole.substr(0, n));
      CAPTURE(name, n);
      try {
        auto file = clipset::SoundFile::open(cut);
        const auto q = clipset::measure_quality(file);
        // Taken for whole only when what is lost is less than the container's own tolerance:
        // one codec frame (1024 for AAC, 960 for Opus) plus Opus's pre-skip (312).
        CHECK(q.frames == file.info().frames);
        CHECK(whole_frames - q.frames < 1024 + 312);
      } catch (const clipset::Error& e) {
        CAPTURE(e.reason());
        CHECK(e.kind() == clipset::ErrorKind::data);
        CHECK(e.subject() == cut.string());
        CHECK(e.reason().find('\n') == std::string::npos);
      }
      fs::remove(cut);
    }
  }
}

TEST_CASE("phone formats: SoundFiles decode in parallel threads, each as alone", "[sound_file][ffmpeg]") {
  clipset::test::TempDir dir;
  std::vector<fs::path> files;
  for (const auto& c : clipset::test::phone_format_cases()) {
    clipset::test::write_phone_tone(dir / c.file, c.format);
    files.push_back(dir / c.file);
  }
  auto decode = [](const fs::path& path) {
    auto file = clipset::SoundFile::open(path);
    return read_all(file, {3000});
  };
  std::vector<std::vector<float>> alone;
  for (const auto& f : files) alone.push_back(decode(f));
  std::vector<std::future<std::vector<float>>> running;
  for (int round = 0; round < 3; ++round) {
    for (const auto& f : files) running.push_back(std::async(std::launch::async, decode, f));
  }
  for (std::size_t i = 0; i < running.size(); ++i) CHECK(running[i].get() == alone[i % files.size()]);
}

TEST_CASE("parse_iso6709 reads what phones write and refuses the rest", "[sound_file][iso6709]") {
  auto at = [](const char* text) { return clipset::parse_iso6709(text); };
  REQUIRE(at("+48.8584+002.2945/"));
  CHECK(at("+48.8584+002.2945/")->lat == Approx(48.8584));
  CHECK(at("+48.8584+002.2945/")->lon == Approx(2.2945));
  CHECK_FALSE(at("+48.8584+002.2945/")->alt);
  REQUIRE(at("-33.8688+151.2093+058.000/"));
  CHECK(at("-33.8688+151.2093+058.000/")->lat == Approx(-33.8688));
  CHECK(*at("-33.8688+151.2093+058.000/")->alt == Approx(58));
  CHECK(at("+37.4220-122.0841-012.5/")->lon == Approx(-122.0841));
  CHECK(*at("+37.4220-122.0841-012.5/")->alt == Approx(-12.5));
  // Degrees and minutes, degrees minutes seconds (New York: 40°40'46"N 73°59'06"W).
  CHECK(at("+4040.7667-07359.1/")->lat == Approx(40 + 40.7667 / 60));
  CHECK(at("+404046-0735906/")->lat == Approx(40 + 40 / 60.0 + 46 / 3600.0));
  CHECK(at("+404046-0735906/")->lon == Approx(-(73 + 59 / 60.0 + 6 / 3600.0)));
  CHECK(at("+48.8584+002.2945+35CRSWGS_84/"));
  CHECK(at("+48.8584+002.2945"));  // the '/' left out
  for (const char* bad : {"", "48.8584,2.2945", "+91.0+000.0/", "+45.0+181.0/", "+4.5+002.0/", "+48.8+002.2/x",
                          "Paris", "+48.8584/", "+4875.0+00200.0/"}) {
    CAPTURE(bad);
    CHECK_FALSE(at(bad));
  }
}

TEST_CASE("phone formats: a cut Ogg/Opus stays damaged, a CAF libsndfile cannot decode goes to FFmpeg",
          "[sound_file][ffmpeg]") {
  clipset::test::TempDir dir;
  clipset::test::write_phone_tone(dir / "a.ogg", PhoneFormat::ogg_opus);
  const std::string ogg = clipset::test::read_file(dir / "a.ogg");
  clipset::test::write_file(dir / "cut.ogg", ogg.substr(0, ogg.size() / 2));
  // libsndfile knows Ogg and finds it malformed: FFmpeg is not asked, since it would read what
  // is left as a whole, shorter recording.
  const auto e = open_error(dir / "cut.ogg");
  CHECK(e.kind() == clipset::ErrorKind::data);
  CHECK(starts_with(e.reason(), "damaged or truncated ("));

  // The ffmpeg tool's CAF/ALAC is one libsndfile refuses ("unsupported encoding"); FFmpeg reads it.
  clipset::test::write_phone_tone(dir / "a.m4a", PhoneFormat::m4a_alac);
  clipset::test::run_ffmpeg({"-i", (dir / "a.m4a").string(), "-c", "copy", "-f", "caf", (dir / "a.caf").string()});
  auto caf = clipset::SoundFile::open(dir / "a.caf");
  CHECK(caf.info().format == "caf");
  CHECK(caf.info().subtype == "alac");
  CHECK(caf.info().frames == 72000);
  CHECK(read_all(caf, {4096}).size() == 72000);
}

namespace {

double rms_between(const std::vector<float>& s, int rate, double from, double to) {
  const auto a = static_cast<std::size_t>(from * rate), b = static_cast<std::size_t>(to * rate);
  double sum = 0;
  for (std::size_t i = a; i < b; ++i) sum += double(s[i]) * double(s[i]);
  return std::sqrt(sum / static_cast<double>(b - a));
}

double peak_between(const std::vector<float>& s, int rate, double from, double to) {
  double peak = 0;
  for (auto i = static_cast<std::size_t>(from * rate); i < static_cast<std::size_t>(to * rate); ++i) {
    peak = std::max(peak, std::fabs(double(s[i])));
  }
  return peak;
}

}  // namespace

// FFmpeg's own AMR decoder stops at the first SID frame ("not yet implemented"): opencore-amr
// decodes these recordings, so that a file ingest accepts is one segment can cut.
TEST_CASE("phone formats: AMR-NB with DTX pauses (SID and NO_DATA frames) decodes in full, amr", "[sound_file][ffmpeg][amr]") {
  clipset::test::TempDir dir;
  clipset::test::AmrDtxSpec spec;  // 1 s of 440 Hz at half scale, 1.5 s of silence, twice: 5 s
  clipset::test::write_amr_nb_dtx(dir / "dtx.amr", spec);
  clipset::test::run_ffmpeg({"-i", (dir / "dtx.amr").string(), "-c:a", "copy", (dir / "dtx.3gp").string()});

  // The fixture really has DTX frames (sox's encoder has DTX on), or this test proves nothing.
  const auto types = clipset::test::amr_frame_types(dir / "dtx.amr");
  long long total = 0;
  for (const auto& [type, n] : types) total += n;
  CAPTURE(types);
  REQUIRE(types.count(8) == 1);   // SID: comfort-noise parameters
  REQUIRE(types.count(15) == 1);  // NO_DATA: nothing sent between SID updates
  REQUIRE(types.count(7) == 1);   // 12.2 kbit/s speech frames for the tone
  CHECK(total == 250);            // 5 s of 20 ms frames
  // ... and so does the 3GP: one frame per packet, SID frames 6 bytes, NO_DATA frames 1 byte.
  const auto sizes = clipset::test::packet_sizes(dir / "dtx.3gp");
  CAPTURE(sizes);
  CHECK(sizes.count(6) == 1);
  CHECK(sizes.count(1) == 1);
  CHECK(sizes.at(6) == types.at(8));

  // sox decodes AMR-NB with opencore-amr too: the same samples.
  const auto sox = clipset::test::run_command({"/usr/bin/env", "sox", (dir / "dtx.amr").string(), "-t", "s16", "-"});
  REQUIRE(sox.exit_code == 0);
  REQUIRE(sox.out.size() == static_cast<std::size_t>(total) * 160 * 2);

  for (const char* name : {"dtx.amr", "dtx.3gp"}) {
    CAPTURE(name);
    auto file = clipset::SoundFile::open(dir / name);
    const auto& info = file.info();
    CHECK(info.format == (std::string(name) == "dtx.amr" ? "amr" : "3gp"));
    CHECK(info.subtype == "amr_nb");
    CHECK(info.sample_rate == 8000);
    CHECK(info.channels == 1);
    CHECK(info.frames == total * 160);  // every frame, SID and NO_DATA too, is 20 ms
    const auto samples = read_all(file, {1000, 37, 4096});
    REQUIRE(static_cast<std::int64_t>(samples.size()) == info.frames);

    std::size_t differ = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const auto want = static_cast<std::int16_t>(static_cast<std::uint8_t>(sox.out[2 * i]) |
                                                  static_cast<std::uint8_t>(sox.out[2 * i + 1]) << 8);
      if (std::lround(samples[i] * 32768.0F) != want) ++differ;
    }
    CHECK(differ == 0);

    // The tone comes back in both voiced parts (0-1 s, 2.5-3.5 s): a sine at half scale has an
    // RMS of 0.354; AMR-NB, a speech codec, gives it back a little low.
    for (const double start : {0.0, 2.5}) {
      CAPTURE(start);
      CHECK(rms_between(samples, 8000, start + 0.2, start + 0.8) == Approx(0.354).epsilon(0.2));
      CHECK(peak_between(samples, 8000, start + 0.2, start + 0.8) == Approx(0.5).epsilon(0.25));
      const std::vector<float> voiced(samples.begin() + static_cast<std::ptrdiff_t>((start + 0.1) * 8000),
                                      samples.begin() + static_cast<std::ptrdiff_t>((start + 0.9) * 8000));
      CHECK(tone_frequency(voiced, 8000) == Approx(440).epsilon(0.01));
    }
    // The pauses are comfort noise of digital silence: close to nothing.
    for (const double start : {1.0, 3.5}) {
      CAPTURE(start);
      CHECK(rms_between(samples, 8000, start + 0.2, start + 1.5) < 0.005);
      CHECK(peak_between(samples, 8000, start + 0.2, start + 1.5) < 0.02);
    }
  }
}

// No tool in Debian 12 encodes AMR-WB; a hand-built raw file of SID and NO_DATA frames (what a
// phone writes during silence) checks at least the route through opencore-amrwb and the length.
TEST_CASE("phone formats: AMR-WB NO_DATA and SID frames decode to 320 frames each, amr", "[sound_file][ffmpeg][amr]") {
  clipset::test::TempDir dir;
  std::string amr = "#!AMR-WB\n";
  for (int i = 0; i < 50; ++i) {
    if (i == 10 || i == 18) {
      amr += static_cast<char>(9 << 3 | 0x04);  // SID, quality bit set
      amr += std::string(5, '\0');
    } else {
      amr += static_cast<char>(15 << 3 | 0x04);  // NO_DATA
    }
  }
  clipset::test::write_file(dir / "silence.awb", amr);
  const auto types = clipset::test::amr_frame_types(dir / "silence.awb");
  CHECK(types == std::map<int, long long>{{9, 2}, {15, 48}});

  auto file = clipset::SoundFile::open(dir / "silence.awb");
  CHECK(file.info().format == "amr");
  CHECK(file.info().subtype == "amr_wb");
  CHECK(file.info().sample_rate == 16000);
  CHECK(file.info().channels == 1);
  CHECK(file.info().frames == 50 * 320);  // 1 s
  const auto samples = read_all(file, {500, 4096});
  REQUIRE(samples.size() == 50 * 320);
  CHECK(peak_between(samples, 16000, 0, 1) < 0.05);
}
