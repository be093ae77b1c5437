// Regression tests of issue 15 ("Hostile input"), across subcommands: bad lines that crashed,
// paths that hung, outputs that destroyed inputs, option values that wrapped. Each names the item
// of the issue it covers. Every run is bounded by `timeout`, so a hang fails instead of blocking.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/audio_fixtures.hpp"
#include "support/phone_formats.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using clipset::test::CommandResult;
using clipset::test::lines_of;
using clipset::test::read_file;
using clipset::test::run_clipset_bounded;
using clipset::test::run_command;
using clipset::test::TempDir;
using clipset::test::write_file;
using clipset::test::write_tone;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string record(const std::string& id, const std::string& path, const std::string& more = "") {
  return "{\"id\":\"" + id + "\",\"path\":\"" + path + "\",\"labels\":[\"dog\"]" + more + "}\n";
}

// A line whose unknown field nests `depth` arrays.
std::string deeply_nested_line(std::size_t depth) {
  return "{\"id\":\"deep\",\"path\":\"a.wav\",\"x\":" + std::string(depth, '[') + std::string(depth, ']') + "}\n";
}

}  // namespace

TEST_CASE("deeply nested JSON is a bad line, named and skipped (issue 15, item 2)", "[hostile][regression]") {
  TempDir t;
  const std::string cwd = t.path().string();
  write_tone(t / "a.wav", {});
  write_file(t / "m.jsonl", record("a", "a.wav") + deeply_nested_line(80000) + record("b", "a.wav"));
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"split", "m.jsonl", "-o", "out.jsonl"}, {"segment", "m.jsonl", "--out", "clips", "-o", "out.jsonl"},
        {"stats", "m.jsonl"}, {"validate", "m.jsonl", "-o", "out.jsonl"}}) {
    CAPTURE(args[0]);
    fs::remove(t / "out.jsonl");
    const auto r = run_clipset_bounded(args, cwd);
    INFO(r.err);
    CHECK(r.exit_code <= 1);  // validate: 1 for the finding; never a crash
    // validate reports the line as a finding in its output; the others name it on stderr.
    if (args[0] == "validate") {
      CHECK(contains(read_file(t / "out.jsonl"), "m.jsonl:2: error[schema] nested deeper than 64 levels"));
    } else {
      CHECK(contains(r.err, "m.jsonl:2: nested deeper than 64 levels"));
    }
  }
  // A line at the limit is still read.
  write_file(t / "ok.jsonl", deeply_nested_line(63));
  const auto ok = run_clipset_bounded({"stats", "ok.jsonl", "--format", "json"}, cwd);
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(Json::parse(ok.out)["items"] == 1);
}

TEST_CASE("a number out of range is a bad line with its line number (issue 15, item 9)", "[hostile][regression]") {
  TempDir t;
  const std::string cwd = t.path().string();
  write_file(t / "m.jsonl", record("a", "a.wav", ",\"duration\":1") + record("b", "b.wav", ",\"x\":1e400") +
                                record("c", "c.wav", ",\"x\":" + std::string(5000, '9')) + record("d", "d.wav"));
  for (const char* command : {"split", "stats"}) {
    CAPTURE(command);
    const auto r = run_clipset_bounded({command, "m.jsonl"}, cwd);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.err, "m.jsonl:2: a number out of range"));
    CHECK(contains(r.err, "m.jsonl:3: a number out of range"));
  }
  const auto v = run_clipset_bounded({"validate", "m.jsonl", "--select", "schema"}, cwd);
  INFO(v.err << v.out);
  CHECK(v.exit_code == 1);
  CHECK(contains(v.out, "m.jsonl:2"));
  CHECK_FALSE(contains(v.out + v.err, "internal error"));
}

TEST_CASE("a FIFO or a device as a path is not a regular file, never opened (issue 15, item 3)", "[hostile][regression]") {
  TempDir t;
  const std::string cwd = t.path().string();
  REQUIRE(::mkfifo((t / "fifo.wav").c_str(), 0600) == 0);
  write_tone(t / "a.wav", {});
  write_file(t / "m.jsonl", record("f", "fifo.wav") + record("z", "/dev/zero", ",\"bytes\":0,\"sha256\":\"00\"") +
                                record("a", "a.wav"));
  const auto v = run_clipset_bounded({"validate", "m.jsonl", "--hash", "--decode"}, cwd);
  INFO(v.err << v.out);
  CHECK(v.exit_code == 1);
  CHECK(contains(v.out, "fifo.wav: not a regular file (a FIFO)"));
  CHECK(contains(v.out, "/dev/zero: not a regular file (a character device)"));

  const auto s = run_clipset_bounded({"segment", "m.jsonl", "--out", "clips"}, cwd);
  INFO(s.err);
  CHECK(s.exit_code == 0);
  CHECK(contains(s.err, "fifo.wav: not a regular file (a FIFO)"));
  CHECK(contains(s.err, "/dev/zero: not a regular file (a character device)"));
  CHECK(lines_of(s.out).size() == 1);  // a.wav's one clip
}

TEST_CASE("an output that is an input, or two outputs on one file, is refused before anything is read (issue 15, item 6)",
          "[hostile][regression]") {
  TempDir t;
  const std::string cwd = t.path().string();
  write_tone(t / "a.wav", {});
  const std::string manifest = record("a", "a.wav");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases{
      {{"validate", "m.jsonl", "-o", "m.jsonl"}, "-o m.jsonl: is the same file as manifest m.jsonl"},
      {{"validate", "m.jsonl", "-o", "./link.jsonl"}, "-o ./link.jsonl: is the same file as manifest m.jsonl"},
      {{"stats", "m.jsonl", "--html", "m.jsonl"}, "--html m.jsonl: is the same file as manifest m.jsonl"},
      {{"segment", "m.jsonl", "--out", "clips", "-o", "m.jsonl"}, "-o m.jsonl: is the same file as manifest m.jsonl"},
      {{"segment", "m.jsonl", "--out", "clips", "--rejects", "new.jsonl", "-o", "new.jsonl"},
       "--rejects new.jsonl: is the same file as -o new.jsonl"},
      {{"split", "m.jsonl", "--report", "r.json", "-o", "r.json"}, "--report r.json: is the same file as -o r.json"},
      {{"ingest", ".", "--metadata", "m.jsonl", "-o", "m.jsonl"}, "-o m.jsonl: is the same file as --metadata m.jsonl"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    write_file(t / "m.jsonl", manifest);
    fs::remove(t / "link.jsonl");
    fs::create_hard_link(t / "m.jsonl", t / "link.jsonl");
    const auto r = run_clipset_bounded(c.args, cwd);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(lines_of(r.err).size() == 1);
    CHECK(contains(r.err, c.message));
    CHECK(read_file(t / "m.jsonl") == manifest);
    CHECK_FALSE(fs::exists(t / "new.jsonl"));
    CHECK_FALSE(fs::exists(t / "r.json"));
    CHECK_FALSE(fs::exists(t / "clips"));
  }
  // Replacing the manifest it reads is what split -o and ingest --update -o are for.
  write_file(t / "m.jsonl", manifest);
  const auto in_place = run_clipset_bounded({"split", "m.jsonl", "-o", "m.jsonl"}, cwd);
  INFO(in_place.err);
  CHECK(in_place.exit_code == 0);
  CHECK(contains(read_file(t / "m.jsonl"), "\"split\":"));
}

TEST_CASE("an unreadable sub-folder is a rejection: counted, in --rejects, fatal under --strict (issue 15, item 8)",
          "[hostile][regression]") {
  TempDir t;
  write_tone(t / "lake/dog/a.wav", {});
  write_tone(t / "lake/locked/b.wav", {});
  fs::permissions(t / "lake/locked", fs::perms::none);
  const std::string cwd = t.path().string();
  std::vector<std::string> args{"ingest", "lake", "--rejects", "rejects.jsonl", "-o", "raw.jsonl", "--strict"};
  CommandResult r;
  if (::geteuid() == 0) {
    // root reads any folder whatever its mode (CI runs as root): run the walk as nobody
    // (setpriv, util-linux), with everything but the locked folder open to it.
    fs::permissions(t.path(), fs::perms::all);
    for (const auto& entry : fs::recursive_directory_iterator(t / "lake/dog")) fs::permissions(entry.path(), fs::perms::all);
    fs::permissions(t / "lake", fs::perms::all);
    fs::permissions(t / "lake/dog", fs::perms::all);
    std::vector<std::string> argv{"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "timeout", "60", CLIPSET_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    r = run_command(argv, "", cwd);
  } else {
    r = run_clipset_bounded(args, cwd);
  }
  fs::permissions(t / "lake/locked", fs::perms::owner_all);
  INFO(r.command << "\n" << r.err);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "lake/locked: cannot read folder: permission denied"));
  CHECK(contains(r.err, "1 rejected"));
  CHECK(contains(read_file(t / "rejects.jsonl"), "cannot read folder"));
}

TEST_CASE("a number that would wrap is a usage error (issue 15, item 12)", "[hostile][regression]") {
  TempDir t;
  const std::string cwd = t.path().string();
  write_file(t / "m.jsonl", record("a", "a.wav"));
  fs::create_directory(t / "folder");
  const std::vector<std::vector<std::string>> cases{
      {"validate", "m.jsonl", "--min-per-class", "-1"}, {"stats", "m.jsonl", "--min-per-class", "-1"},
      {"split", "m.jsonl", "--seed", "-1"},             {"split", "m.jsonl", "--seed", "18446744073709551616"},
      {"split", "m.jsonl", "--seed", "1e23"},           {"learning-curve", "m.jsonl", "--seed", "-5"},
      {"validate", "m.jsonl", "--max-findings", "-1"},
  };
  for (const auto& args : cases) {
    CAPTURE(args);
    const auto r = run_clipset_bounded(args, cwd);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(lines_of(r.err).size() >= 1);
  }
  const auto seed = run_clipset_bounded({"split", "m.jsonl", "--seed", "18446744073709551615"}, cwd);
  CHECK(seed.exit_code == 0);
  // A folder where a file belongs is an I/O error, not an empty taxonomy.
  const auto folder = run_clipset_bounded({"validate", "m.jsonl", "--taxonomy", "folder"}, cwd);
  CHECK(folder.exit_code == 3);
  CHECK(contains(folder.err, "folder: is a directory"));
  CHECK(folder.out.empty());
}

TEST_CASE("with stderr closed, messages never land in the manifest (issue 15, item 11)", "[hostile][regression]") {
  TempDir t;
  const std::string cwd = t.path().string();
  write_file(t / "m.jsonl", record("a", "a.wav") + "not json\n");
  const std::string command = std::string("exec '") + CLIPSET_BINARY + "' split m.jsonl -o out.jsonl 2>&-";
  const auto r = run_command({"timeout", "60", "/bin/sh", "-c", command}, "", cwd);
  CHECK(r.exit_code == 0);
  const std::string out = read_file(t / "out.jsonl");
  CHECK_FALSE(contains(out, "not valid JSON"));
  for (const auto& line : lines_of(out)) CHECK_NOTHROW(Json::parse(line));
}

TEST_CASE("an empty option value is a usage error (issue 15, item 15)", "[hostile][regression]") {
  TempDir t;
  const std::string cwd = t.path().string();
  write_file(t / "m.jsonl", record("a", "a.wav"));
  for (const std::vector<std::string>& args : {std::vector<std::string>{"split", "m.jsonl", "-o", ""},
                                               {"stats", "m.jsonl", "--html", ""},
                                               {"ingest", ".", "--group-by", ""}}) {
    CAPTURE(args);
    const auto r = run_clipset_bounded(args, cwd);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "empty"));
    CHECK(r.out.empty());
  }
}

TEST_CASE("a loop of symbolic links is named as such (issue 15, item 15)", "[hostile][regression]") {
  TempDir t;
  write_tone(t / "lake/dog/a.wav", {});
  fs::create_symlink("loop2.wav", t / "lake/dog/loop1.wav");
  fs::create_symlink("loop1.wav", t / "lake/dog/loop2.wav");
  const auto r = run_clipset_bounded({"ingest", "lake"}, t.path().string());
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.err, "loop1.wav: a loop of symbolic links"));
  CHECK(lines_of(r.out).size() == 1);
}

namespace {

// A 1 MiB tmpfs for a full disk, unmounted when the test ends. Mounting needs root (CI runs as
// root); elsewhere `refused` says why and the test does not run.
class SmallDisk {
 public:
  explicit SmallDisk(const fs::path& at) : at_(at) {
    fs::create_directories(at);
    if (::geteuid() != 0) {
      refused_ = "mounting a tmpfs needs root";
      return;
    }
    const auto r = run_command({"mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", at.string()});
    if (r.exit_code != 0) refused_ = "mount refused: " + r.err;
    mounted_ = r.exit_code == 0;
  }
  ~SmallDisk() {
    if (mounted_) run_command({"umount", "-l", at_.string()});
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;
  const std::string& refused() const { return refused_; }

 private:
  fs::path at_;
  std::string refused_;
  bool mounted_ = false;
};

}  // namespace

TEST_CASE("a full disk stops segment and ingest with exit 3, the old -o intact (issue 15 item 7, issue 16 item 6)",
          "[hostile][regression]") {
  TempDir t;
  const SmallDisk disk(t / "disk");
  if (!disk.refused().empty()) {
    WARN("not run: " << disk.refused());
    return;
  }
  const std::string cwd = t.path().string();
  clipset::test::ToneSpec spec;
  spec.seconds = 20;  // 640 KB of 16 kHz pcm16 clips per recording: two overflow 1 MiB
  for (const char* name : {"a", "b", "c"}) write_tone(t / "lake/dog" / (std::string(name) + ".wav"), spec);
  const auto ingest = run_clipset_bounded({"ingest", "lake", "-o", "raw.jsonl"}, cwd);
  REQUIRE(ingest.exit_code == 0);

  write_file(t / "disk/clips.jsonl", "the previous manifest\n");
  const auto segment = run_clipset_bounded({"segment", "raw.jsonl", "--out", "disk/clips", "-o", "disk/clips.jsonl", "--jobs", "1"}, cwd);
  INFO(segment.err);
  CHECK(segment.exit_code == 3);
  CHECK(contains(segment.err, "disk/clips/"));
  CHECK(contains(segment.err, "no space left on device"));
  CHECK_FALSE(contains(segment.err, "rejected"));
  CHECK(read_file(t / "disk/clips.jsonl") == "the previous manifest\n");

  // ingest: the manifest itself cannot be written.
  fs::remove_all(t / "disk/clips");
  write_file(t / "disk/raw.jsonl", "the previous manifest\n");
  {
    // Fill the disk to the last few bytes.
    std::ofstream filler(t / "disk/filler", std::ios::binary);
    const std::string block(4096, 'x');
    while (filler.write(block.data(), static_cast<std::streamsize>(block.size())) && filler.flush()) {}
  }
  const auto full = run_clipset_bounded({"ingest", "lake", "-o", "disk/raw.jsonl"}, cwd);
  INFO(full.err);
  CHECK(full.exit_code == 3);
  CHECK(contains(full.err, "disk/raw.jsonl"));
  CHECK(read_file(t / "disk/raw.jsonl") == "the previous manifest\n");
}

TEST_CASE("an MP3 whose header claims 2^31 frames is rejected, never planned for (issue 15, item 4)", "[hostile][regression]") {
  TempDir t;
  const std::string cwd = t.path().string();
  clipset::test::write_phone_tone(t / "lake/dog/good.mp3", clipset::test::PhoneFormat::mp3);
  clipset::test::write_phone_tone(t / "lake/dog/bad.mp3", clipset::test::PhoneFormat::mp3);
  // The Xing/Info header: tag, 4 flag bytes, then the frame count (big-endian) when flag 1 is set.
  std::string bytes = read_file(t / "lake/dog/bad.mp3");
  std::size_t at = bytes.find("Info");
  if (at == std::string::npos) at = bytes.find("Xing");
  REQUIRE(at != std::string::npos);
  REQUIRE((static_cast<unsigned char>(bytes[at + 7]) & 1) == 1);
  bytes.replace(at + 8, 4, std::string("\x7f\xff\xff\xff", 4));
  write_file(t / "lake/dog/bad.mp3", bytes);

  const auto ingest = run_clipset_bounded({"ingest", "lake", "-o", "raw.jsonl"}, cwd);
  INFO(ingest.err);
  CHECK(ingest.exit_code == 0);
  CHECK(contains(ingest.err, "lake/dog/bad.mp3: "));
  CHECK(contains(ingest.err, "(the header declares 2473901161344 frames"));
  CHECK(lines_of(read_file(t / "raw.jsonl")).size() == 1);

  // A manifest written elsewhere still lists it: segment (even --virtual) rejects it, the good one is cut.
  write_file(t / "both.jsonl", record("good", "lake/dog/good.mp3") + record("bad", "lake/dog/bad.mp3"));
  for (const char* mode : {"--virtual", "--force"}) {
    const auto segment = run_clipset_bounded({"segment", "both.jsonl", "--out", "clips", "--length", "0.1s", mode}, cwd);
    INFO(segment.err);
    CHECK(segment.exit_code == 0);
    CHECK(contains(segment.err, "lake/dog/bad.mp3: "));
    CHECK(contains(segment.err, "(the header declares 2473901161344 frames"));
    CHECK_FALSE(lines_of(segment.out).empty());
  }
}

TEST_CASE("option values that would plan billions of clips or gigabyte clips are refused (issue 15, item 10)",
          "[hostile][regression]") {
  TempDir t;
  const std::string cwd = t.path().string();
  write_tone(t / "a.wav", {});
  write_file(t / "m.jsonl", record("a", "a.wav"));
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--length", "1e-9"}, {"--length", "100000s"},
                                               {"--length", "1s", "--hop", "1e-9"}}) {
    CAPTURE(args);
    std::vector<std::string> with_rate{"segment", "m.jsonl", "--virtual", "--rate", "16k"};
    with_rate.insert(with_rate.end(), args.begin(), args.end());
    const auto r = run_clipset_bounded(with_rate, cwd);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    // Without --rate each recording's own rate decides: the recording is rejected with the reason.
    std::vector<std::string> own_rate{"segment", "m.jsonl", "--virtual"};
    own_rate.insert(own_rate.end(), args.begin(), args.end());
    // (A clip longer than 10 minutes is refused whatever the rate.)
    const auto s = run_clipset_bounded(own_rate, cwd);
    INFO(s.err);
    CHECK(s.out.empty());
    if (args[1] == "100000s") {
      CHECK(s.exit_code == 2);
    } else {
      CHECK(s.exit_code == 1);  // its only recording rejected: no dataset
      CHECK(contains(s.err, "clipset segment: a.wav: "));
      CHECK(contains(s.err, "1 rejected"));
    }
  }
}

TEST_CASE("a dense annotation track costs what it outputs (issue 15, item 10)", "[hostile][regression]") {
  TempDir t;
  const std::string cwd = t.path().string();
  clipset::test::ToneSpec spec;
  spec.seconds = 100;
  spec.sample_rate = 8000;
  write_tone(t / "a.wav", spec);
  Json annotations = Json::array();
  for (int i = 0; i < 8000; ++i) {
    const double start = i * 0.0125;
    annotations.push_back({{"start", start}, {"end", start + 0.01}, {"label", i % 2 ? "dog" : "cat"}});
  }
  write_file(t / "m.jsonl", Json{{"id", "a"}, {"path", "a.wav"}, {"labels", Json::array()}, {"annotations", annotations}}.dump() + "\n");
  const auto r = run_clipset_bounded({"segment", "m.jsonl", "--virtual", "--labels", "events", "--length", "0.1s"}, cwd);
  INFO(r.err.substr(0, 2000));
  CHECK(r.exit_code == 0);
  const auto clips = lines_of(r.out);
  REQUIRE(clips.size() == 8000);
  // A 0.1 s clip around a 10 ms event, one every 12.5 ms: it overlaps 8 or 9 of them.
  const Json middle = Json::parse(clips[4000]);
  CHECK(middle["annotations"].size() >= 8);
  CHECK(middle["annotations"].size() <= 9);
}

TEST_CASE("one item too long for the agreement grid is named and left out, the others compared (issue 15, item 13)",
          "[hostile][regression]") {
  TempDir t;
  const std::string cwd = t.path().string();
  const std::string pair = R"({"start":0,"end":1,"label":"x","annotator":"a"},{"start":0,"end":1,"label":"x","annotator":"b"})";
  write_file(t / "m.jsonl", R"({"id":"huge","labels":["x"],"annotations":[{"start":0,"end":1e15,"label":"x","annotator":"a"},)" +
                                pair.substr(pair.find("},{") + 2) + "]}\n" + R"({"id":"fine","labels":["x"],"annotations":[)" + pair +
                                "]}\n");
  const auto r = run_clipset_bounded({"stats", "m.jsonl", "--agreement", "--format", "json"}, cwd);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.err, "too long for the --grid: 1 item"));
  CHECK(contains(r.err, "huge (1e+15 s)"));
  const Json report = Json::parse(r.out);
  CHECK(report["agreement"]["too_long_for_grid"]["items"] == 1);
  CHECK(report["agreement"]["items_compared"] == 1);
}

TEST_CASE("a 0 Hz WAV and a negative duration get reasons, not internal errors (issue 15, item 15)", "[hostile][regression]") {
  TempDir t;
  const std::string cwd = t.path().string();
  // A canonical 44-byte header whose sample rate and byte rate are 0, then 100 silent samples.
  std::string wav = "RIFF";
  auto le = [&](std::uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) wav += static_cast<char>((v >> (8 * i)) & 0xff);
  };
  le(36 + 200, 4);
  wav += "WAVEfmt ";
  le(16, 4), le(1, 2), le(1, 2), le(0, 4), le(0, 4), le(2, 2), le(16, 2);
  wav += "data";
  le(200, 4);
  wav += std::string(200, '\0');
  write_file(t / "lake/zero.wav", wav);
  const auto r = run_clipset_bounded({"ingest", "lake"}, cwd);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.err, "lake/zero.wav: not a sound file (the header declares a sample rate of 0 Hz or no channels)"));
  CHECK_FALSE(contains(r.err, "internal"));

  write_file(t / "m.jsonl", record("a", "a.wav", ",\"duration\":-5") + record("b", "b.wav", ",\"duration\":1"));
  const auto s = run_clipset_bounded({"split", "m.jsonl", "--weight", "seconds"}, cwd);
  INFO(s.err);
  CHECK(s.exit_code == 0);
  CHECK(contains(s.err, "m.jsonl:1: field 'duration' is negative"));
}

TEST_CASE("decoder libraries never print on stderr: every line is clipset's, escaped (issue 15, item 14)", "[hostile][regression]") {
  TempDir t;
  const std::string cwd = t.path().string();
  clipset::test::PhoneTone tone;
  tone.seconds = 3;
  clipset::test::write_phone_tone(t / "lake/noisy.mp3", clipset::test::PhoneFormat::mp3, tone);
  // Bytes changed all through the stream: libmpg123 used to warn about the Xing size, unprefixed.
  std::string bytes = read_file(t / "lake/noisy.mp3");
  for (std::size_t i = 400; i < bytes.size(); i += 97) bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
  write_file(t / "lake/noisy.mp3", bytes);
  write_tone(t / "lake/esc\x1b[2J.wav", {});
  for (const char* quiet : {"-v", "-q"}) {
    const auto r = run_clipset_bounded({"ingest", "lake", "--quality", quiet}, cwd);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    for (const auto& line : lines_of(r.err)) {
      CHECK(line.rfind("clipset ingest: ", 0) == 0);
      CHECK(line.find('\x1b') == std::string::npos);
    }
  }
}

TEST_CASE("option values out of range get a short reason, a duration past the limit is a bad line (issue 15, item 15)",
          "[hostile][regression]") {
  TempDir t;
  const std::string cwd = t.path().string();
  for (const char* option : {"--fmin", "--fmax"}) {
    const auto r = run_clipset_bounded({"learning-curve", "m.jsonl", option, "-1"}, cwd);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "expected a number, 0 or more, got '-1'"));
    CHECK(r.err.size() < 300);  // no 300-digit bound in the message
  }
  write_file(t / "m.jsonl", record("a", "a.wav", ",\"duration\":1e300,\"split\":\"train\"") +
                                record("b", "a.wav", ",\"duration\":2.5"));
  const auto split = run_clipset_bounded({"split", "m.jsonl", "--weight", "seconds"}, cwd);
  INFO(split.err);
  CHECK(split.exit_code == 0);
  CHECK(contains(split.err, "m.jsonl:1: field 'duration' is 1e+300 s, beyond the 10000000 s (115 days) a recording may last"));
  CHECK(lines_of(split.out).size() == 1);
  const auto strict = run_clipset_bounded({"split", "m.jsonl", "--strict"}, cwd);
  CHECK(strict.exit_code == 1);
}

TEST_CASE("library errors name options as the command line spells them (issue 16, item 5)", "[hostile]") {
  TempDir t;
  const std::string cwd = t.path().string();
  write_file(t / "m.jsonl", record("a", "a.wav"));
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases{
      {{"split", "m.jsonl", "--group-by", "a..b"}, "--group-by a..b: not a field name such as group or meta.recorder"},
      {{"segment", "m.jsonl", "--out", "c", "--rate", "8000", "--length", "0.00001"}, "--length: shorter than one sample at --rate"},
      {{"segment", "m.jsonl", "--out", "c", "--format", "flac", "--subtype", "float"},
       "--subtype float: FLAC stores integers only; use pcm16 or pcm24, or --format wav"},
      {{"split", "m.jsonl", "--folds-within", "train"}, "--folds-within: needs --folds K"},
      {{"split", "m.jsonl", "--holdout", "meta.x=1:nope"}, "--holdout meta.x=1:nope: no split named 'nope' (--names train,val,test)"},
      {{"learning-curve", "m.jsonl", "--eval-split", "train"}, "--eval-split train: is also the training split"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    const auto r = run_clipset_bounded(c.args, cwd);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, c.message));
    CHECK_FALSE(contains(r.err, "{{"));
  }
}

TEST_CASE("null means absent for every optional field, in every reader (issue 22, item 4)", "[hostile][regression]") {
  TempDir t;
  const std::string cwd = t.path().string();
  write_tone(t / "a.wav", {});
  // The shapes pandas' to_json and jq write for missing values.
  write_file(t / "m.jsonl", R"({"id":"a","path":"a.wav","labels":["dog"],"meta":null,"annotations":null,"group":null,"quality":null})"
                            "\n"
                            R"({"id":"b","path":"a.wav","labels":null,"meta":{"recorder":null},"split":null,"fold":null})"
                            "\n");
  const auto stats = run_clipset_bounded({"stats", "m.jsonl", "--by", "labels", "--format", "json"}, cwd);
  INFO(stats.err);
  CHECK(stats.exit_code == 0);
  CHECK_FALSE(contains(stats.err, "m.jsonl:"));  // no bad line
  const auto split = run_clipset_bounded({"split", "m.jsonl", "-o", "s.jsonl"}, cwd);
  INFO(split.err);
  CHECK(split.exit_code == 0);
  CHECK(lines_of(read_file(t / "s.jsonl")).size() == 2);
  const auto segment = run_clipset_bounded({"segment", "m.jsonl", "--length", "0.5s", "--out", "clips", "-o", "c.jsonl"}, cwd);
  INFO(segment.err);
  CHECK(segment.exit_code == 0);
  CHECK_FALSE(contains(segment.err, "m.jsonl:"));
  // validate reads both lines; "labels": null is a missing required field, as if left out.
  const auto validate = run_clipset_bounded({"validate", "m.jsonl", "--format", "json"}, cwd);
  INFO(validate.out);
  CHECK(contains(validate.out, "field 'labels' is missing"));
  CHECK_FALSE(contains(validate.out, "must be"));
}
