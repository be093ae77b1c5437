// End-to-end: a data lake of the formats phones write (M4A/AAC, M4A/ALAC, 3GP/AMR-NB, WebM/Opus,
// Ogg/Opus, MP3) next to WAV, with their tags and a few broken files, through ingest, segment
// and validate --decode, with no change to those subcommands.

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/audio_fixtures.hpp"
#include "support/phone_formats.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using clipset::test::lines_of;
using clipset::test::PhoneFormat;
using clipset::test::PhoneTone;
using clipset::test::run_clipset;
using clipset::test::TempDir;

std::map<std::string, Json> by_path(const std::string& jsonl) {
  std::map<std::string, Json> items;
  for (const auto& line : lines_of(jsonl)) {
    Json item = Json::parse(line);
    items[item["path"].get<std::string>()] = item;
  }
  return items;
}

// data/<label>/<file> for every phone format, a WAV, and three broken files.
void make_lake(const TempDir& t) {
  const char* labels[] = {"bird", "dog"};
  int k = 0;
  for (const auto& c : clipset::test::phone_format_cases()) {
    PhoneTone tone;
    tone.seconds = 2.2;
    tone.frequency = 350 + 110 * k;
    if (c.format == PhoneFormat::m4a_aac) {
      tone.metadata = {{"creation_time", "2024-05-01T10:20:30Z"},
                       {"com.android.manufacturer", "Google"},
                       {"com.android.model", "Pixel 7"},
                       {"location", "+48.8584+002.2945/"}};
    }
    clipset::test::write_phone_tone(t / (std::string("data/") + labels[k % 2] + "/" + c.file), c.format, tone);
    ++k;
  }
  clipset::test::write_tone(t / "data/bird/field.wav", clipset::test::ToneSpec{.seconds = 2.2});
  const std::string m4a = clipset::test::read_file(t / "data/bird/aac.m4a");
  clipset::test::write_file(t / "data/dog/unfinished.m4a", m4a.substr(0, m4a.size() / 2));
  clipset::test::write_file(t / "data/dog/empty.3gp", "");
  clipset::test::run_ffmpeg({"-f", "lavfi", "-i", "testsrc=duration=1:size=64x64:rate=10", "-c:v", "mpeg4",
                             (t / "data/dog/clip.mp4").string()});
}

}  // namespace

TEST_CASE("phone formats e2e: ingest reads every format, its tags, and names each broken file", "[phone_formats]") {
  TempDir t;
  const std::string cwd = t.path().string();
  make_lake(t);
  const auto r = run_clipset({"ingest", "data", "--quality", "--jobs", "2", "--rejects", "rejects.jsonl"}, "", cwd);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto items = by_path(r.out);
  REQUIRE(items.size() == 7);

  struct Expect {
    const char* path;
    const char* format;
    const char* subtype;
    int rate;
    int frame;
  };
  for (const Expect& e : {Expect{"data/bird/aac.m4a", "mp4", "aac", 48000, 1024}, Expect{"data/dog/alac.m4a", "mp4", "alac", 48000, 4096},
                          Expect{"data/bird/amr.3gp", "3gp", "amr_nb", 8000, 160}, Expect{"data/dog/opus.webm", "webm", "opus", 48000, 960},
                          Expect{"data/bird/opus.ogg", "ogg", "opus", 48000, 960}, Expect{"data/dog/tone.mp3", "mp3", "mp3", 48000, 1152}}) {
    CAPTURE(e.path);
    REQUIRE(items.count(e.path) == 1);
    const Json& item = items[e.path];
    CHECK(item["format"] == e.format);
    CHECK(item["subtype"] == e.subtype);
    CHECK(item["sample_rate"] == e.rate);
    CHECK(item["channels"] == 1);
    CHECK(std::llabs(item["frames"].get<long long>() - static_cast<long long>(2.2 * e.rate)) <= e.frame);
    CHECK(item["duration"].get<double>() == Approx(2.2).margin(static_cast<double>(e.frame) / e.rate));
    // A sine at half scale; AMR-NB, a speech codec, is the least faithful (about 1.2 dB low).
    CHECK(item["quality"]["rms_dbfs"].get<double>() == Approx(-9.03).margin(2.0));
  }
  const Json& meta = items["data/bird/aac.m4a"]["meta"];
  CHECK(meta["recorded_at"] == "2024-05-01T10:20:30Z");
  CHECK(meta["device"] == "Google Pixel 7");
  CHECK(meta["location"] == Json::parse(R"({"lat":48.8584,"lon":2.2945})"));
  CHECK(items["data/bird/field.wav"]["meta"].empty());  // a bare WAV says nothing about itself

  const auto rejects = by_path(clipset::test::read_file(t / "rejects.jsonl"));
  REQUIRE(rejects.size() == 3);
  CHECK(rejects.at("data/dog/unfinished.m4a")["reason"] ==
        "truncated (no moov atom: the MP4 index is missing, the recording was not finalised)");
  CHECK(rejects.at("data/dog/empty.3gp")["reason"] == "empty file (0 bytes)");
  CHECK(rejects.at("data/dog/clip.mp4")["reason"] == "not a sound file (no audio stream: the file holds only video)");
  CHECK(r.err.find("clipset ingest: data/dog/clip.mp4: not a sound file (no audio stream: the file holds only video)\n") !=
        std::string::npos);
}

TEST_CASE("phone formats e2e: --no-location drops the position, a sheet's columns win over tags", "[phone_formats]") {
  TempDir t;
  const std::string cwd = t.path().string();
  PhoneTone tone;
  tone.metadata = {{"creation_time", "2024-05-01T10:20:30Z"},
                   {"com.android.manufacturer", "Google"},
                   {"com.android.model", "Pixel 7"},
                   {"location", "+48.8584+002.2945/"}};
  clipset::test::write_phone_tone(t / "data/dog/a.m4a", PhoneFormat::m4a_aac, tone);
  clipset::test::write_phone_tone(t / "data/dog/b.m4a", PhoneFormat::m4a_aac, tone);
  clipset::test::write_file(t / "data/sheet.csv", "file,device,recorder\na.m4a,borrowed phone,anna\n");

  const auto r = run_clipset({"ingest", "data", "--metadata", "data/sheet.csv", "--no-location", "-o", "raw.jsonl"}, "", cwd);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto items = by_path(clipset::test::read_file(t / "raw.jsonl"));
  const Json& a = items["data/dog/a.m4a"]["meta"];
  CHECK(a["device"] == "borrowed phone");  // the sheet's word
  CHECK(a["recorder"] == "anna");
  CHECK(a["recorded_at"] == "2024-05-01T10:20:30Z");
  CHECK_FALSE(a.contains("location"));
  const Json& b = items["data/dog/b.m4a"]["meta"];
  CHECK(b["device"] == "Google Pixel 7");
  CHECK_FALSE(b.contains("location"));

  // An --update run with --no-location removes a position an earlier run kept.
  REQUIRE(run_clipset({"ingest", "data", "-o", "raw.jsonl"}, "", cwd).exit_code == 0);
  CHECK(by_path(clipset::test::read_file(t / "raw.jsonl"))["data/dog/b.m4a"]["meta"].contains("location"));
  REQUIRE(run_clipset({"ingest", "data", "--update", "raw.jsonl", "--no-location", "-o", "raw.jsonl"}, "", cwd).exit_code == 0);
  CHECK_FALSE(by_path(clipset::test::read_file(t / "raw.jsonl"))["data/dog/b.m4a"]["meta"].contains("location"));
}

TEST_CASE("phone formats e2e: segment and validate --decode run over a mixed folder", "[phone_formats]") {
  TempDir t;
  const std::string cwd = t.path().string();
  make_lake(t);
  REQUIRE(run_clipset({"ingest", "data", "-o", "raw.jsonl", "-q"}, "", cwd).exit_code == 0);

  const auto validate_raw = run_clipset({"validate", "raw.jsonl", "--decode", "--jobs", "2"}, "", cwd);
  INFO(validate_raw.out << validate_raw.err);
  CHECK(validate_raw.exit_code == 0);

  const auto seg = run_clipset({"segment", "raw.jsonl", "--rate", "16k", "--mono", "--length", "1s", "--out", "clips", "-o",
                                "clips.jsonl", "--jobs", "2"},
                               "", cwd);
  INFO(seg.err);
  REQUIRE(seg.exit_code == 0);
  const auto clips = lines_of(clipset::test::read_file(t / "clips.jsonl"));
  // 7 recordings of 2.2 s, cut into 1 s clips.
  CHECK(clips.size() >= 14);
  std::map<std::string, int> from;
  for (const auto& line : clips) {
    const Json clip = Json::parse(line);
    ++from[clip["source"]["path"].get<std::string>()];
    CHECK(clip["sample_rate"] == 16000);
    CHECK(fs::exists(t / clip["path"].get<std::string>()));
  }
  CHECK(from.size() == 7);  // every recording gave clips

  const auto validate_clips = run_clipset({"validate", "clips.jsonl", "--decode", "--jobs", "2"}, "", cwd);
  INFO(validate_clips.out << validate_clips.err);
  CHECK(validate_clips.exit_code == 0);

  // A truncated AMR among them is caught by validate --decode.
  clipset::test::run_ffmpeg({"-i", (t / "data/bird/amr.3gp").string(), "-c", "copy", "-f", "amr", (t / "data/bird/raw.amr").string()});
  REQUIRE(run_clipset({"ingest", "data", "-o", "raw2.jsonl", "-q"}, "", cwd).exit_code == 0);
  const std::string amr = clipset::test::read_file(t / "data/bird/raw.amr");
  clipset::test::write_file(t / "data/bird/raw.amr", amr.substr(0, amr.size() / 2 + 5));
  const auto caught = run_clipset({"validate", "raw2.jsonl", "--decode"}, "", cwd);
  CHECK(caught.exit_code == 1);
  const std::string report = caught.out + caught.err;
  INFO(report);
  CHECK(report.find("data/bird/raw.amr") != std::string::npos);
  CHECK(report.find(" frames decode)") != std::string::npos);  // the decode found it, not only the size
}

// AMR-NB with pauses in speech (DTX: comfort-noise SID and NO_DATA frames), as phones and sox
// write it: ingest counts its frames without decoding, and segment and validate --decode must
// then decode every one of them (FFmpeg's own decoder stops at the first SID frame).
TEST_CASE("phone formats e2e: AMR-NB with DTX pauses goes through ingest, segment and validate --decode, amr",
          "[phone_formats][amr]") {
  TempDir t;
  const std::string cwd = t.path().string();
  clipset::test::write_amr_nb_dtx(t / "data/speech/dtx.3gp");  // 1 s tone, 1.5 s silence, twice: 5 s
  clipset::test::write_amr_nb_dtx(t / "data/speech/dtx.amr");
  fs::remove(t / "data/speech/dtx.3gp.source.wav");
  fs::remove(t / "data/speech/dtx.amr.source.wav");
  const auto types = clipset::test::amr_frame_types(t / "data/speech/dtx.amr");
  CAPTURE(types);
  REQUIRE(types.count(8) == 1);   // SID frames: the fixture has DTX, or this test proves nothing
  REQUIRE(types.count(15) == 1);  // NO_DATA frames
  const auto sizes = clipset::test::packet_sizes(t / "data/speech/dtx.3gp");
  REQUIRE(sizes.count(6) == 1);  // SID frames in the 3GP too
  PhoneTone tone;
  tone.seconds = 2.2;
  clipset::test::write_phone_tone(t / "data/tone/amr.3gp", PhoneFormat::amr_nb_3gp, tone);  // no pauses, no DTX frames

  const auto ingest = run_clipset({"ingest", "data", "--rejects", "rejects.jsonl", "-o", "raw.jsonl"}, "", cwd);  // counts, decodes one packet
  INFO(ingest.err);
  REQUIRE(ingest.exit_code == 0);
  CHECK(clipset::test::read_file(t / "rejects.jsonl").empty());
  auto items = by_path(clipset::test::read_file(t / "raw.jsonl"));
  REQUIRE(items.size() == 3);
  for (const char* path : {"data/speech/dtx.3gp", "data/speech/dtx.amr"}) {
    CAPTURE(path);
    CHECK(items[path]["subtype"] == "amr_nb");
    CHECK(items[path]["frames"] == 40000);
    CHECK(items[path]["duration"] == 5.0);
  }
  CHECK(items["data/tone/amr.3gp"]["frames"] == 17600);

  const auto validate_raw = run_clipset({"validate", "raw.jsonl", "--decode"}, "", cwd);
  INFO(validate_raw.out << validate_raw.err);
  CHECK(validate_raw.exit_code == 0);

  const auto seg = run_clipset({"segment", "raw.jsonl", "--rate", "16k", "--length", "1s", "--hop", "1s", "--tail", "drop",
                                "--out", "clips", "--rejects", "seg-rejects.jsonl", "-o", "clips.jsonl"},
                               "", cwd);
  INFO(seg.err);
  REQUIRE(seg.exit_code == 0);
  CHECK(clipset::test::read_file(t / "seg-rejects.jsonl").empty());
  std::map<std::string, int> from;
  for (const auto& line : lines_of(clipset::test::read_file(t / "clips.jsonl"))) {
    ++from[Json::parse(line)["source"]["path"].get<std::string>()];
  }
  // 5 s in 1 s clips: 5 from each DTX file; 2.2 s: 2 (the tail dropped).
  CHECK(from == std::map<std::string, int>{{"data/speech/dtx.3gp", 5}, {"data/speech/dtx.amr", 5}, {"data/tone/amr.3gp", 2}});

  const auto validate_clips = run_clipset({"validate", "clips.jsonl", "--decode"}, "", cwd);
  INFO(validate_clips.out << validate_clips.err);
  CHECK(validate_clips.exit_code == 0);
}
