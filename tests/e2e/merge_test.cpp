// End-to-end tests of `--shard I/N` (ingest, segment, validate) and `clipset merge`: shards merged
// give the one-machine output byte for byte, for any N (more shards than recordings too); bad
// shard values, missing shards, shards of another run and conflicts are refused the documented way.

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/audio_fixtures.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using clipset::test::CommandResult;
using clipset::test::lines_of;
using clipset::test::read_file;
using clipset::test::run_clipset;
using clipset::test::TempDir;
using clipset::test::ToneSpec;
using clipset::test::write_file;
using clipset::test::write_tone;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A small lake in dir/data: 9 recordings over three labels, one a copy of another (content
// duplicate), two of one group by the sheet, one stereo, one not audio at all (rejected).
void make_lake(const TempDir& dir) {
  const char* labels[] = {"dog", "cat", "owl"};
  for (int i = 0; i < 8; ++i) {
    ToneSpec spec;
    spec.seconds = 0.6 + 0.35 * i;
    spec.sample_rate = 8000;
    spec.channels = i == 4 ? 2 : 1;
    spec.frequency = 200.0 + 90.0 * i;
    write_tone(dir / ("data/" + std::string(labels[i % 3]) + "/r" + std::to_string(i) + ".wav"), spec);
  }
  fs::copy_file(dir / "data/dog/r0.wav", dir / "data/owl/copy_of_r0.wav");
  write_file(dir / "data/cat/broken.wav", "RIFF, but not really");
  write_file(dir / "data/sheet.csv", "file,group\nr1.wav,session-a\nr5.wav,session-a\n");
}

CommandResult run_in(const TempDir& dir, std::vector<std::string> args) {
  auto r = run_clipset(args, "", dir.path().string());
  return r;
}

// Runs `args` once per shard of n with "--shard I/N -o prefix.I.jsonl"; returns the files.
std::vector<std::string> run_shards(const TempDir& dir, const std::vector<std::string>& args, std::size_t n,
                                    const std::string& prefix, int expected_exit = 0) {
  std::vector<std::string> files;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string file = prefix + "." + std::to_string(i) + ".jsonl";
    auto shard_args = args;
    shard_args.insert(shard_args.end(), {"--shard", std::to_string(i) + "/" + std::to_string(n), "-o", file});
    const auto r = run_in(dir, shard_args);
    INFO(r.command << "\n" << r.err);
    REQUIRE(r.exit_code == expected_exit);
    files.push_back(file);
  }
  return files;
}

std::string merge_to_stdout(const TempDir& dir, const std::vector<std::string>& files, std::size_t expect) {
  std::vector<std::string> args{"merge"};
  args.insert(args.end(), files.begin(), files.end());
  args.insert(args.end(), {"--expect", std::to_string(expect)});
  const auto r = run_in(dir, args);
  INFO(r.command << "\n" << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

// Every file under `root`, relative, with its bytes.
std::map<std::string, std::string> files_under(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files[fs::relative(entry.path(), root).generic_string()] = read_file(entry.path());
  }
  return files;
}

const std::vector<std::string> kIngest{"ingest", "data", "--metadata", "data/sheet.csv", "--quality", "-q"};

}  // namespace

TEST_CASE("merge: ingest shards merged equal the one-machine ingest, for N = 1, 2, 3, 7 and 12", "[merge][shard]") {
  TempDir dir;
  make_lake(dir);
  auto whole_args = kIngest;
  whole_args.insert(whole_args.end(), {"-o", "raw.jsonl"});
  REQUIRE(run_in(dir, whole_args).exit_code == 0);
  const std::string whole = read_file(dir / "raw.jsonl");
  REQUIRE(contains(whole, "\"duplicate_of\""));  // the copy: marked across shards by merge
  REQUIRE(lines_of(whole).size() == 9);
  for (const std::size_t n : {1u, 2u, 3u, 7u, 12u}) {
    INFO("N = " << n);
    const auto files = run_shards(dir, kIngest, n, "raw" + std::to_string(n));
    CHECK(merge_to_stdout(dir, files, n) == whole);
    // Each shard hashed and probed only its share: the records of all shards add up to the whole.
    std::size_t records = 0;
    for (const auto& f : files) records += lines_of(read_file(dir / f)).size() - 1;  // minus the header
    CHECK(records == 9);
  }
}

TEST_CASE("merge: segment shards write into one --out and merge to the one-machine clips", "[merge][shard]") {
  TempDir dir;
  make_lake(dir);
  REQUIRE(run_in(dir, {"ingest", "data", "--metadata", "data/sheet.csv", "-q", "-o", "raw.jsonl"}).exit_code == 0);
  const std::vector<std::string> segment{"segment", "raw.jsonl", "--rate", "4k", "--mono", "--length", "0.5s", "--hop", "0.25s",
                                         "--out", "clips", "-q"};
  auto whole_args = segment;
  whole_args.insert(whole_args.end(), {"-o", "clips.jsonl"});
  REQUIRE(run_in(dir, whole_args).exit_code == 0);
  const std::string whole = read_file(dir / "clips.jsonl");
  const auto whole_files = files_under(dir / "clips");
  REQUIRE(whole_files.size() > 20);
  for (const std::size_t n : {1u, 2u, 3u, 7u, 12u}) {
    INFO("N = " << n);
    fs::remove_all(dir / "clips");
    const auto files = run_shards(dir, segment, n, "clips" + std::to_string(n));
    CHECK(merge_to_stdout(dir, files, n) == whole);
    CHECK(files_under(dir / "clips") == whole_files);
  }
  // A shard run again resumes from its own output: nothing is cut twice, the output is the same.
  const std::string first = read_file(dir / "clips3.1.jsonl");
  auto again = segment;
  again.insert(again.end(), {"--shard", "1/3", "-o", "clips3.1.jsonl"});
  again.erase(std::find(again.begin(), again.end(), "-q"));
  const auto r = run_in(dir, again);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.err, "already complete"));
  CHECK(read_file(dir / "clips3.1.jsonl") == first);
}

TEST_CASE("merge: validate's findings from shards equal the one-machine findings", "[merge][shard]") {
  TempDir dir;
  make_lake(dir);
  REQUIRE(run_in(dir, {"ingest", "data", "--metadata", "data/sheet.csv", "-q", "-o", "raw.jsonl"}).exit_code == 0);
  REQUIRE(run_in(dir, {"segment", "raw.jsonl", "--length", "0.5s", "--out", "clips", "-q", "-o", "clips.jsonl"}).exit_code == 0);
  // Findings of every kind: a missing clip, a changed one, a bad line, starved classes.
  const auto clips = lines_of(read_file(dir / "clips.jsonl"));
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir / "clips")) names.push_back(entry.path().string());
  std::sort(names.begin(), names.end());
  fs::remove(names[1]);
  write_file(names[4], "changed");
  write_file(dir / "clips.jsonl", read_file(dir / "clips.jsonl") + "{\"id\": 5}\n");
  const std::vector<std::string> validate{"validate", "clips.jsonl", "--hash", "--decode", "--min-per-class", "1000",
                                          "--format", "json", "-q"};
  const auto whole = run_in(dir, validate);
  REQUIRE(whole.exit_code == 1);
  REQUIRE(contains(whole.out, "missing-file"));
  REQUIRE(contains(whole.out, "size-mismatch"));
  REQUIRE(contains(whole.out, "starved-class"));
  REQUIRE(contains(whole.out, "\"schema\""));
  for (const std::size_t n : {1u, 2u, 3u, 7u, 40u}) {
    INFO("N = " << n);
    std::vector<std::string> files;
    for (std::size_t i = 0; i < n; ++i) {
      auto args = validate;
      files.push_back("findings." + std::to_string(i) + ".jsonl");
      args.insert(args.end(), {"--shard", std::to_string(i) + "/" + std::to_string(n), "-o", files.back()});
      const auto r = run_in(dir, args);
      CHECK((r.exit_code == 0 || r.exit_code == 1));
    }
    CHECK(merge_to_stdout(dir, files, n) == whole.out);
  }
}

TEST_CASE("merge: bad --shard values are usage errors naming the value", "[merge][shard]") {
  TempDir dir;
  make_lake(dir);
  struct Case {
    const char* value;
    const char* reason;
  };
  for (const Case& c : {Case{"3/2", "index 3 is not below the count 2"}, Case{"0/0", "count must be at least 1"},
                        Case{"1/0", "count must be at least 1"}, Case{"-1/2", "index is not a whole number"},
                        Case{"a/b", "count is not a whole number"}}) {
    for (const char* command : {"ingest", "segment", "validate"}) {
      std::vector<std::string> args{command, command == std::string("ingest") ? "data" : "raw.jsonl", "--shard", c.value};
      const auto r = run_in(dir, args);
      INFO(r.command << "\n" << r.err);
      CHECK(r.exit_code == 2);
      CHECK(r.out.empty());
      CHECK(contains(r.err, "--shard " + std::string(c.value) + ": "));
      CHECK(contains(r.err, c.reason));
    }
  }
  const auto json = run_in(dir, {"validate", "raw.jsonl", "--shard", "0/2"});
  CHECK(json.exit_code == 2);
  CHECK(contains(json.err, "add --format json"));
  const auto update = run_in(dir, {"ingest", "data", "--update", "raw.jsonl", "--shard", "0/2"});
  CHECK(update.exit_code == 2);
  CHECK(contains(update.err, "--update: cannot be combined with --shard"));
}

TEST_CASE("merge: a missing shard, a shard of another run, and mixed inputs are refused", "[merge][shard]") {
  TempDir dir;
  make_lake(dir);
  REQUIRE(run_in(dir, {"ingest", "data", "-q", "-o", "raw.jsonl"}).exit_code == 0);
  const std::vector<std::string> segment{"segment", "raw.jsonl", "--length", "0.5s", "--virtual", "-q"};
  const auto files = run_shards(dir, segment, 3, "v");
  write_file(dir / "old.jsonl", "keep me\n");

  SECTION("--expect names the missing shards; nothing is written") {
    const auto r = run_in(dir, {"merge", files[0], "--expect", "3", "-o", "old.jsonl"});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "clipset merge: missing shards 1/3, 2/3 (have 0/3)"));
    CHECK(read_file(dir / "old.jsonl") == "keep me\n");
  }
  SECTION("without --expect an incomplete merge is a warning") {
    const auto r = run_in(dir, {"merge", files[0], files[2]});
    CHECK(r.exit_code == 0);
    CHECK(contains(r.err, "missing shards: 1/3"));
  }
  SECTION("--expect with another count") {
    const auto r = run_in(dir, {"merge", files[0], files[1], files[2], "--expect", "4"});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "v.0.jsonl: shard 0/3 of a run in 3 shards, not the 4 expected"));
  }
  SECTION("a shard of a run with other settings") {
    auto other = segment;
    other[3] = "0.25s";
    const auto foreign = run_shards(dir, other, 3, "w");
    const auto r = run_in(dir, {"merge", files[0], foreign[1], files[2], "-o", "old.jsonl"});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "clipset merge: w.1.jsonl: shard 1/3 of another run (segment with settings "));
    CHECK(read_file(dir / "old.jsonl") == "keep me\n");
  }
  SECTION("a shard of a run in another count") {
    const auto other = run_shards(dir, segment, 2, "two");
    const auto r = run_in(dir, {"merge", files[0], other[1]});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "two.1.jsonl: shard 1/2 of a run in 2 shards, while v.0.jsonl is shard 0/3"));
  }
  SECTION("a shard of another command") {
    const auto ingest = run_shards(dir, {"ingest", "data", "-q"}, 3, "i");
    const auto r = run_in(dir, {"merge", files[0], ingest[1]});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "of another run (ingest with settings"));
  }
  SECTION("shards mixed with a whole manifest, or an empty file") {
    auto r = run_in(dir, {"merge", files[0], "raw.jsonl"});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "raw.jsonl: no shard header, while other inputs are shards"));
    write_file(dir / "empty.jsonl", "");
    r = run_in(dir, {"merge", files[0], "empty.jsonl"});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "empty.jsonl: empty (a shard's output starts with its header line"));
  }
}

TEST_CASE("merge: identical duplicates collapse, conflicts name both files and lines", "[merge]") {
  TempDir dir;
  write_file(dir / "anna.jsonl", "{\"id\":\"a\",\"duration\":1}\n{\"id\":\"b\",\"duration\":2}\n");
  write_file(dir / "ben.jsonl", "{\"id\":\"b\",\"duration\":2}\n\n{\"id\":\"c\",\"duration\":3}\n");
  write_file(dir / "cleo.jsonl", "{\"id\":\"c\",\"duration\":3.5}\n");
  write_file(dir / "old.jsonl", "keep me\n");

  SECTION("manifests from several machines: in the order given, each id once") {
    const auto r = run_in(dir, {"merge", "anna.jsonl", "ben.jsonl", "-o", "all.jsonl"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
    CHECK(read_file(dir / "all.jsonl") ==
          "{\"id\":\"a\",\"duration\":1}\n{\"id\":\"b\",\"duration\":2}\n{\"id\":\"c\",\"duration\":3}\n");
    CHECK(contains(r.err, "3 records from 2 inputs; 1 identical duplicates collapsed, 0 conflicts"));
  }
  SECTION("the same id with other content") {
    const auto r = run_in(dir, {"merge", "anna.jsonl", "ben.jsonl", "cleo.jsonl", "-o", "old.jsonl"});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "clipset merge: conflict: c differs between ben.jsonl:3 and cleo.jsonl:1"));
    CHECK(contains(r.err, "old.jsonl: not written"));
    CHECK(read_file(dir / "old.jsonl") == "keep me\n");
  }
  SECTION("a shard given twice collapses; an edited shard conflicts") {
    make_lake(dir);
    REQUIRE(run_in(dir, {"ingest", "data", "-q", "-o", "raw.jsonl"}).exit_code == 0);
    const auto files = run_shards(dir, {"segment", "raw.jsonl", "--virtual", "-q"}, 2, "s");
    const std::string whole = run_in(dir, {"segment", "raw.jsonl", "--virtual", "-q"}).out;
    auto r = run_in(dir, {"merge", files[0], files[1], files[0]});
    CHECK(r.exit_code == 0);
    CHECK(r.out == whole);
    std::string edited = read_file(dir / files[1]);
    const auto at = edited.find("\"duration\":");
    REQUIRE(at != std::string::npos);
    edited.insert(at, "\"note\":\"edited\",");
    write_file(dir / "edited.jsonl", edited);
    const std::size_t line = static_cast<std::size_t>(std::count(edited.begin(), edited.begin() + static_cast<long>(at), '\n')) + 1;
    r = run_in(dir, {"merge", files[0], files[1], "edited.jsonl"});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "differs between " + files[1] + ":" + std::to_string(line) + " and edited.jsonl:" + std::to_string(line)));
  }
  SECTION("a damaged shard line is named and the merge not written") {
    make_lake(dir);
    REQUIRE(run_in(dir, {"ingest", "data", "-q", "-o", "raw.jsonl"}).exit_code == 0);
    const auto files = run_shards(dir, {"segment", "raw.jsonl", "--virtual", "-q"}, 1, "one");
    write_file(dir / "cut.jsonl", read_file(dir / files[0]) + "{\"id\":\"x\"}\n");
    const auto r = run_in(dir, {"merge", "cut.jsonl", "-o", "old.jsonl"});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "cut.jsonl:"));
    CHECK(contains(r.err, "no \"shard_order\" as its last field"));
    CHECK(read_file(dir / "old.jsonl") == "keep me\n");
  }
  SECTION("--expect on whole manifests is a usage error") {
    const auto r = run_in(dir, {"merge", "anna.jsonl", "--expect", "2"});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "anna.jsonl: is no shard output"));
  }
}
