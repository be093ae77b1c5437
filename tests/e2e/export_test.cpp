// End-to-end tests of `clipset export`: the binary run on datasets built by ingest, segment and
// split from generated audio; every format read back by its own rules with Python's standard
// modules (tests/scripts/export_read_back.py), independently of the writer; re-exports into the
// same folder, and --shard.

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clipset/hash.hpp"
#include "support/audio_fixtures.hpp"
#include "support/run_command.hpp"
#include "support/signals.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using clipset::test::CommandResult;
using clipset::test::lines_of;
using clipset::test::read_file;
using clipset::test::run_clipset;
using clipset::test::run_command;
using clipset::test::TempDir;
using clipset::test::write_file;

const std::string kReadBack = std::string(CLIPSET_SOURCE_DIR) + "/tests/scripts/export_read_back.py";
const std::string kKaldiCheck = std::string(CLIPSET_SOURCE_DIR) + "/tests/scripts/kaldi_validate_data_dir.py";

CommandResult run_in(const TempDir& t, const std::vector<std::string>& args) {
  auto r = run_clipset(args, "", t.path().string());
  INFO(r.command << "\nstderr: " << r.err);
  return r;
}

// Six recordings of noise (so that no two clips hold the same bytes) in two classes, ingested,
// cut into 0.5 s clips (written, or virtual) and split three ways with two folds.
void make_dataset(const TempDir& t, bool virtual_clips = false, const std::vector<std::string>& segment_options = {}) {
  for (int rec = 0; rec < 6; ++rec) {
    const auto samples = clipset::test::noise(16000 * 2, 0.3, 11 + static_cast<std::uint64_t>(rec));
    clipset::test::write_samples(t / ((rec < 3 ? "lake/dog/rec" : "lake/cat/rec") + std::to_string(rec) + ".wav"), samples, 16000);
  }
  REQUIRE(run_in(t, {"ingest", "lake", "-o", "raw.jsonl"}).exit_code == 0);
  std::vector<std::string> segment{"segment", "raw.jsonl", "--length", "0.5s", "-o", "clips.jsonl"};
  segment.insert(segment.end(), segment_options.begin(), segment_options.end());
  if (virtual_clips) segment.push_back("--virtual");
  else segment.insert(segment.end(), {"--out", "clips"});
  REQUIRE(run_in(t, segment).exit_code == 0);
  REQUIRE(run_in(t, {"split", "clips.jsonl", "--ratios", "1,1,1", "--folds", "2", "-o", "dataset.jsonl"}).exit_code == 0);
}

void read_back(const TempDir& t, const std::string& format, const std::string& manifest, const std::string& out, bool virtual_clips = false,
               const std::string& shard_size = "") {
  std::vector<std::string> argv{"/usr/bin/python3", kReadBack, format, (t / manifest).string(), (t / out).string()};
  if (virtual_clips) argv.push_back("--virtual");
  if (!shard_size.empty()) argv.insert(argv.end(), {"--shard-size", shard_size});
  const auto r = run_command(argv);
  INFO(r.command << "\n" << r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "ok\n");
}

std::vector<Json> records(const std::string& text) {
  std::vector<Json> out;
  for (const auto& line : lines_of(text)) out.push_back(Json::parse(line));
  return out;
}

// The audio files under `dir` (by extension) as SHA-256 digests.
std::multiset<std::string> audio_digests(const fs::path& dir) {
  std::multiset<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".wav") out.insert(clipset::sha256_file(entry.path()).sha256);
  }
  return out;
}

// Every file and link under `dir`, relative to it.
std::set<std::string> files_under(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!fs::is_directory(entry.symlink_status())) out.insert(fs::relative(entry.path(), dir).string());
  }
  return out;
}

// A process id that no process has any more: a child that has exited and been reaped.
pid_t dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

std::map<std::string, std::int64_t> mtimes(const fs::path& dir) {
  std::map<std::string, std::int64_t> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    struct stat st{};
    ::lstat(entry.path().c_str(), &st);
    out[entry.path().string()] = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
  }
  return out;
}

}  // namespace

TEST_CASE("export hf: per-split folders whose metadata.csv Python's csv module reads back", "[export]") {
  TempDir t;
  make_dataset(t);
  const auto r = run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--out", "hf"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("train") != std::string::npos);
  CHECK(fs::is_regular_file(t / "hf/train/metadata.csv"));
  CHECK(fs::is_regular_file(t / "hf/validation/metadata.csv"));
  CHECK(fs::is_regular_file(t / "hf/test/metadata.csv"));
  read_back(t, "hf", "dataset.jsonl", "hf");
  // Hard links by default: the export's audio is the clip files themselves.
  const auto first = records(read_file(t / "dataset.jsonl")).front();
  struct stat clip{}, linked{};
  REQUIRE(::stat((t / first["path"].get<std::string>()).c_str(), &clip) == 0);
  CHECK(clip.st_nlink == 2);
  (void)linked;
}

TEST_CASE("export hf: --link copy and sym give the same dataset", "[export]") {
  TempDir t;
  make_dataset(t);
  REQUIRE(run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--link", "copy", "--out", "copied"}).exit_code == 0);
  REQUIRE(run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--link", "sym", "--out", "linked"}).exit_code == 0);
  read_back(t, "hf", "dataset.jsonl", "copied");
  read_back(t, "hf", "dataset.jsonl", "linked");
  std::size_t links = 0;
  for (const auto& entry : fs::directory_iterator(t / "linked/test")) links += fs::is_symlink(entry.symlink_status());
  CHECK(links == 8);
}

TEST_CASE("export hf: several labels give metadata.jsonl with a labels list, and --fields adds columns", "[export]") {
  TempDir t;
  make_dataset(t);
  std::string text;
  for (auto record : records(read_file(t / "dataset.jsonl"))) {
    if (record["id"].get<std::string>().find("rec1") != std::string::npos) record["labels"].push_back("bark, loud");
    record["meta"]["recorder"] = "pixel 7";
    text += record.dump() + "\n";
  }
  write_file(t / "multi.jsonl", text);
  REQUIRE(run_in(t, {"export", "multi.jsonl", "--to", "hf", "--fields", "meta.recorder,duration", "--out", "hf"}).exit_code == 0);
  CHECK_FALSE(fs::exists(t / "hf/train/metadata.csv"));
  read_back(t, "hf", "multi.jsonl", "hf");
  const auto rows = records(read_file(t / "hf/train/metadata.jsonl"));
  REQUIRE_FALSE(rows.empty());
  CHECK(rows.front()["meta.recorder"] == "pixel 7");
  CHECK(rows.front()["duration"] == 0.5);
}

TEST_CASE("export hf: virtual clips are cut exactly as segment writes them", "[export]") {
  TempDir written, cut;
  make_dataset(written);
  make_dataset(cut, true);
  const auto r = run_in(cut, {"export", "dataset.jsonl", "--to", "hf", "--out", "hf", "--jobs", "2"});
  REQUIRE(r.exit_code == 0);
  read_back(cut, "hf", "dataset.jsonl", "hf", true);
  CHECK(audio_digests(cut / "hf") == audio_digests(written / "clips"));
}

TEST_CASE("export csv: an ESC-50 style table with folds and class indexes", "[export]") {
  TempDir t;
  make_dataset(t);
  const auto r = run_in(t, {"export", "dataset.jsonl", "--to", "csv", "--out", "esc"});
  REQUIRE(r.exit_code == 0);
  read_back(t, "csv", "dataset.jsonl", "esc");
  const std::string header = lines_of(read_file(t / "esc/meta/dataset.csv")).front();
  CHECK(header == "filename,fold,target,category,group,split");
}

TEST_CASE("export: a second run over the same input rewrites nothing", "[export]") {
  TempDir t;
  make_dataset(t, true);
  REQUIRE(run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--out", "hf"}).exit_code == 0);
  const auto before = mtimes(t / "hf");
  const auto again = run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--out", "hf"});
  REQUIRE(again.exit_code == 0);
  CHECK(again.err.find(" 0 files written") != std::string::npos);
  CHECK(mtimes(t / "hf") == before);
}

TEST_CASE("export webdataset: shards Python's tarfile reads as complete samples with dot-free keys", "[export][webdataset]") {
  TempDir t;
  make_dataset(t);
  const auto r = run_in(t, {"export", "dataset.jsonl", "--to", "webdataset", "--shard-size", "40000", "--out", "wds"});
  REQUIRE(r.exit_code == 0);
  CHECK(fs::exists(t / "wds/train-000000.tar"));
  CHECK(fs::exists(t / "wds/train-000001.tar"));  // 0.5 s clips are 16 kB: two to a 40 kB shard
  CHECK(read_file(t / "wds/classes.txt") == "cat\ndog\n");
  read_back(t, "webdataset", "dataset.jsonl", "wds", false, "40000");
}

TEST_CASE("export webdataset: virtual clips, shuffled, the same for any --jobs", "[export][webdataset]") {
  TempDir t;
  make_dataset(t, true);
  for (const char* jobs : {"1", "2"}) {
    const std::string out = std::string("wds") + jobs;
    REQUIRE(run_in(t, {"export", "dataset.jsonl", "--to", "webdataset", "--shuffle", "7", "--jobs", jobs, "--out", out}).exit_code == 0);
    read_back(t, "webdataset", "dataset.jsonl", out, true);
    CHECK_FALSE(fs::exists(t / out / ".clipset-staging"));
  }
  for (const auto& entry : fs::directory_iterator(t / "wds1")) {
    if (entry.path().extension() != ".tar") continue;
    CHECK(read_file(entry.path()) == read_file(t / "wds2" / entry.path().filename()));
  }
  // Unshuffled, the same clips in manifest order: another order than the shuffled one.
  REQUIRE(run_in(t, {"export", "dataset.jsonl", "--to", "webdataset", "--out", "plain"}).exit_code == 0);
  read_back(t, "webdataset", "dataset.jsonl", "plain", true);
  CHECK(read_file(t / "plain/train-000000.tar") != read_file(t / "wds1/train-000000.tar"));
}

TEST_CASE("export webdataset: a second run keeps every shard, a changed item rewrites its shard only", "[export][webdataset]") {
  TempDir t;
  make_dataset(t);
  REQUIRE(run_in(t, {"export", "dataset.jsonl", "--to", "webdataset", "--shard-size", "40000", "--out", "wds"}).exit_code == 0);
  const auto before = mtimes(t / "wds");
  const auto again = run_in(t, {"export", "dataset.jsonl", "--to", "webdataset", "--shard-size", "40000", "--out", "wds"});
  REQUIRE(again.exit_code == 0);
  CHECK(again.err.find(" 0 files written") != std::string::npos);
  CHECK(mtimes(t / "wds") == before);
  // The last item of the manifest changes: only the shard holding it is written again.
  auto lines = lines_of(read_file(t / "dataset.jsonl"));
  Json last = Json::parse(lines.back());
  last["meta"]["reviewed"] = true;
  lines.back() = last.dump();
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  write_file(t / "dataset.jsonl", text);
  const auto changed = run_in(t, {"export", "dataset.jsonl", "--to", "webdataset", "--shard-size", "40000", "--out", "wds"});
  REQUIRE(changed.exit_code == 0);
  CHECK(changed.err.find(" 1 file written") != std::string::npos);
  read_back(t, "webdataset", "dataset.jsonl", "wds", false, "40000");
}

namespace {

void validate_kaldi(const TempDir& t, const std::string& out, const std::string& manifest) {
  for (const char* split : {"train", "val", "test"}) {
    const auto r = run_command({"/usr/bin/python3", kKaldiCheck, (t / out / split).string(), (t / manifest).string(), split});
    INFO(r.command << "\n" << r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "ok\n");
  }
}

}  // namespace

TEST_CASE("export kaldi: clip files give data directories that pass validate_data_dir's checks", "[export][kaldi]") {
  TempDir t;
  make_dataset(t);
  const auto r = run_in(t, {"export", "dataset.jsonl", "--to", "kaldi", "--out", "data"});
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(fs::exists(t / "data/train/segments"));
  validate_kaldi(t, "data", "dataset.jsonl");
}

TEST_CASE("export kaldi: virtual clips become segments of their recordings, resampled ones are cut", "[export][kaldi]") {
  TempDir t;
  make_dataset(t, true);
  REQUIRE(run_in(t, {"export", "dataset.jsonl", "--to", "kaldi", "--out", "data"}).exit_code == 0);
  CHECK(fs::exists(t / "data/train/segments"));
  validate_kaldi(t, "data", "dataset.jsonl");

  TempDir resampled;
  make_dataset(resampled, true, {"--rate", "8k"});
  REQUIRE(run_in(resampled, {"export", "dataset.jsonl", "--to", "kaldi", "--out", "data"}).exit_code == 0);
  CHECK_FALSE(fs::exists(resampled / "data/train/segments"));
  validate_kaldi(resampled, "data", "dataset.jsonl");
}

TEST_CASE("export kaldi: speakers from a field, sorted the C way even when one speaker's id begins another's", "[export][kaldi]") {
  TempDir t;
  make_dataset(t);
  std::string text;
  int n = 0;
  for (auto record : records(read_file(t / "dataset.jsonl"))) {
    // "a", "a-b" and "a b": ids where a plain "-" join sorts differently by utterance and by speaker.
    record["meta"]["speaker"] = n % 3 == 0 ? "a" : n % 3 == 1 ? "a-b" : "a b";
    record["labels"] = {"dog barking", "x,y"};
    ++n;
    text += record.dump() + "\n";
  }
  write_file(t / "spk.jsonl", text);
  REQUIRE(run_in(t, {"export", "spk.jsonl", "--to", "kaldi", "--speaker", "meta.speaker", "--out", "data"}).exit_code == 0);
  validate_kaldi(t, "data", "spk.jsonl");
}

TEST_CASE("export audacity: label tracks beside the recordings ingest back to the same annotations", "[export][audacity]") {
  TempDir t;
  for (int rec = 0; rec < 2; ++rec) {
    clipset::test::write_samples(t / ("lake/dog/rec" + std::to_string(rec) + ".wav"), clipset::test::noise(16000 * 3, 0.3, 5 + rec), 16000);
  }
  write_file(t / "lake/dog/rec0.anna.txt", "0.5\t1.25\tdog bark [BG] [hard] [night]\n\\\t100\t4000\n2\t2\tpoint, label\n");
  write_file(t / "lake/dog/rec0.anna.2.txt", "0.4\t1.3\tdog bark\n");
  write_file(t / "lake/dog/rec0.ben.txt", "0.333333\t1.666667\tdog\n");
  write_file(t / "lake/dog/rec1.txt", "0\t3\tquiet\n");
  REQUIRE(run_in(t, {"ingest", "lake", "-o", "raw.jsonl"}).exit_code == 0);
  const auto r = run_in(t, {"export", "raw.jsonl", "--to", "audacity", "--out", "review"});
  REQUIRE(r.exit_code == 0);
  CHECK(fs::is_regular_file(t / "review/dog__rec0.anna.txt"));
  CHECK(fs::is_regular_file(t / "review/dog__rec0.anna.2.txt"));
  CHECK(fs::is_regular_file(t / "review/dog__rec1.txt"));
  REQUIRE(run_in(t, {"ingest", "review", "-o", "again.jsonl"}).exit_code == 0);
  // The same recordings (by content), with the same annotations, tags included; annotated_at is
  // the fallback, each track file's modification time, so it is the export's.
  CHECK(read_file(t / "review/dog__rec0.anna.txt").find("dog bark [bg] [hard] [night]") != std::string::npos);
  const auto annotations_of = [](const Json& record) {
    Json list = record["annotations"];
    for (auto& a : list) {
      CHECK(a["annotated_at_source"] == "file_mtime");
      a.erase("annotated_at");
    }
    return list;
  };
  std::map<std::string, Json> before, after;
  for (const auto& record : records(read_file(t / "raw.jsonl"))) before[record["sha256"]] = annotations_of(record);
  for (const auto& record : records(read_file(t / "again.jsonl"))) after[record["sha256"]] = annotations_of(record);
  CHECK(before.size() == 2);
  CHECK(before == after);
}

TEST_CASE("export audacity: clips give a track of their labels on the recording they were cut from", "[export][audacity]") {
  TempDir t;
  make_dataset(t, true);
  REQUIRE(run_in(t, {"export", "dataset.jsonl", "--to", "audacity", "--out", "review"}).exit_code == 0);
  const std::string track = read_file(t / "review/dog__rec0.clips.txt");
  CHECK(track == "0\t0.5\tdog\n0.5\t1\tdog\n1\t1.5\tdog\n1.5\t2\tdog\n");
  REQUIRE(run_in(t, {"ingest", "review", "-o", "again.jsonl"}).exit_code == 0);
  for (const auto& record : records(read_file(t / "again.jsonl"))) {
    CHECK(record["annotations"].size() == 4);
    CHECK(record["annotations"][0]["annotator"] == "clips");
  }
}

TEST_CASE("export: a missing or damaged clip and a clip in no split are named, left out, exit 1", "[export][bad]") {
  TempDir t;
  make_dataset(t);
  auto items = records(read_file(t / "dataset.jsonl"));
  REQUIRE(items.size() == 24);
  fs::remove(t / items[0]["path"].get<std::string>());                                    // missing
  write_file(t / items[1]["path"].get<std::string>(), "RIFF, but cut short");            // damaged
  items[2].erase("split");                                                                // no split
  items[3]["labels"] = Json::array({"dog\nbark"});  // would split classes.txt and Kaldi's text in two
  std::string text;
  for (const auto& item : items) text += item.dump() + "\n";
  write_file(t / "bad.jsonl", text);
  for (const char* format : {"hf", "webdataset", "kaldi", "csv"}) {
    INFO(format);
    const std::string out = std::string("out-") + format;
    const auto r = run_in(t, {"export", "bad.jsonl", "--to", format, "--out", out, "--rejects", out + ".rejects.jsonl"});
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err.find("clipset export: " + items[0]["path"].get<std::string>() + ": item " + items[0]["id"].get<std::string>() +
                     ": no such file or directory") != std::string::npos);
    CHECK(r.err.find("item " + items[1]["id"].get<std::string>() + ": damaged or changed") != std::string::npos);
    CHECK(r.err.find("item " + items[2]["id"].get<std::string>() + ": has no split (run clipset split first)") != std::string::npos);
    CHECK(r.err.find("item " + items[3]["id"].get<std::string>() + ": has the label 'dog\\nbark', with a line break") !=
          std::string::npos);
    CHECK(r.err.find("4 items left out") != std::string::npos);
    CHECK(lines_of(read_file(t / (out + ".rejects.jsonl"))).size() == 4);
  }
  // Every other item is exported, and only those.
  std::string kept;
  for (std::size_t i = 4; i < items.size(); ++i) kept += items[i].dump() + "\n";
  write_file(t / "kept.jsonl", kept);
  read_back(t, "hf", "kept.jsonl", "out-hf");
  read_back(t, "webdataset", "kept.jsonl", "out-webdataset");
  read_back(t, "csv", "kept.jsonl", "out-csv");
}

TEST_CASE("export: a virtual clip whose source is gone is named with its source", "[export][bad]") {
  TempDir t;
  make_dataset(t, true);
  fs::remove(t / "lake/dog/rec0.wav");
  const auto r = run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--out", "hf"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("clipset export: lake/dog/rec0.wav: item dog__rec0.wav_000000.000: lake/dog/rec0.wav: ") != std::string::npos);
  CHECK(r.err.find("4 items left out") != std::string::npos);
}

TEST_CASE("export: labels with spaces, commas and quotes, and ids alike after sanitising, survive every format", "[export][bad]") {
  TempDir t;
  make_dataset(t);
  std::string text;
  int n = 0;
  for (auto item : records(read_file(t / "dataset.jsonl"))) {
    item["labels"] = {n % 2 ? "dog, barking \"loud\"" : " cat, meow "};
    // Ids that the safe-name and dot-free rules map alike: "a/b" vs "a_b", "x.y" vs "x_y", "" prefixes.
    const char* ids[] = {"a/b", "a_b", "x.y", "x_y", "../up", "-rf", "x", "x.wav"};
    if (n < 8) item["id"] = ids[n];
    ++n;
    text += item.dump() + "\n";
  }
  write_file(t / "odd.jsonl", text);
  for (const char* format : {"hf", "webdataset", "csv"}) {
    const std::string out = std::string("odd-") + format;
    const auto r = run_in(t, {"export", "odd.jsonl", "--to", format, "--out", out});
    INFO(format << "\n" << r.err);
    CHECK(r.exit_code == 0);
    read_back(t, format, "odd.jsonl", out);
  }
  REQUIRE(run_in(t, {"export", "odd.jsonl", "--to", "kaldi", "--out", "odd-kaldi"}).exit_code == 0);
  validate_kaldi(t, "odd-kaldi", "odd.jsonl");
  CHECK_FALSE(fs::exists(t / "up"));
  CHECK_FALSE(fs::exists(t / "odd-hf/up"));
}

TEST_CASE("export: an --out holding another export or other files is refused unless --force", "[export][bad]") {
  TempDir t;
  make_dataset(t);
  REQUIRE(run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--out", "out"}).exit_code == 0);
  const auto other = run_in(t, {"export", "dataset.jsonl", "--to", "webdataset", "--out", "out"});
  CHECK(other.exit_code == 2);
  CHECK(other.err.find("clipset export: out: holds a hf export") != std::string::npos);
  CHECK_FALSE(fs::exists(t / "out/train-000000.tar"));
  write_file(t / "mine/notes.txt", "my notes");
  const auto foreign = run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--out", "mine"});
  CHECK(foreign.exit_code == 2);
  CHECK(foreign.err.find("holds files that are not a clipset export") != std::string::npos);
  write_file(t / "file", "x");
  CHECK(run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--out", "file"}).exit_code == 2);
  const auto forced = run_in(t, {"export", "dataset.jsonl", "--to", "webdataset", "--out", "out", "--force"});
  CHECK(forced.exit_code == 0);
  CHECK(fs::exists(t / "out/train-000000.tar"));
  CHECK(read_file(t / "mine/notes.txt") == "my notes");
}

TEST_CASE("export: an interrupted export resumes, writing only what is missing", "[export]") {
  TempDir t;
  make_dataset(t, true);
  REQUIRE(run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--out", "hf"}).exit_code == 0);
  // As if the run had stopped part-way: some clips and a metadata file never appeared.
  fs::remove(t / "hf/train/metadata.csv");
  std::size_t removed = 0;
  for (const auto& entry : fs::directory_iterator(t / "hf/test")) {
    if (entry.path().extension() == ".wav" && removed < 3) removed += fs::remove(entry.path());
  }
  const auto r = run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--out", "hf"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find(" 4 files written") != std::string::npos);
  read_back(t, "hf", "dataset.jsonl", "hf", true);
}

TEST_CASE("export: --splits picks splits, a name no item has is a usage error", "[export][bad]") {
  TempDir t;
  make_dataset(t);
  const auto r = run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--splits", "test, val", "--out", "hf"});
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(fs::exists(t / "hf/train"));
  CHECK(lines_of(read_file(t / "hf/test/metadata.csv")).size() == 9);
  CHECK(r.err.find("8 items of other splits not exported") != std::string::npos);
  const auto typo = run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--splits", "tset", "--out", "typo"});
  CHECK(typo.exit_code == 2);
  CHECK(typo.err.find("clipset export: --splits tset: no item of the manifest is in this split") != std::string::npos);
  CHECK_FALSE(fs::exists(t / "typo"));
  const auto size = run_in(t, {"export", "dataset.jsonl", "--to", "webdataset", "--shard-size", "0", "--out", "w"});
  CHECK(size.exit_code == 2);
  CHECK(size.err.find("clipset export: --shard-size 0: expected a size in bytes") != std::string::npos);
}

TEST_CASE("export attribution: TASL credits grouped by licence, one line per recording", "[export][attribution]") {
  TempDir t;
  auto clip = [](const std::string& id, const std::string& source, const std::string& meta) {
    return R"({"id":")" + id + R"(","path":"clips/)" + id + R"(.wav","labels":["dog"],"split":"train","source":{"id":")" + source +
           R"(","path":"lake/)" + source + R"(.wav","start":0,"duration":1},"meta":)" + meta + "}\n";
  };
  const std::string night = R"({"license":"CC-BY-4.0","author":"Anna Berg","title":"Night dog","source_url":"https://example.org/s/1"})";
  write_file(t / "m.jsonl", clip("r1_0", "r1", night) + clip("r1_1", "r1", night) +
                                clip("r2_0", "r2", R"({"license":"CC BY-SA 4.0","title":"Park *walk*"})") +
                                clip("r3_0", "r3", R"({"license":"CC0-1.0","author":"Ben"})") +
                                clip("r4_0", "r4", R"({"author":"Cleo"})") +
                                clip("r5_0", "r5", R"({"license":"CC-BY-4.0","author":"Dan","title":"Bark"})"));
  const auto r = run_in(t, {"export", "m.jsonl", "--to", "attribution", "--out", "credits"});
  REQUIRE(r.exit_code == 0);
  CHECK(read_file(t / "credits/ATTRIBUTION.md") ==
        "# Attribution\n\nThis dataset holds recordings whose licences require crediting their authors.\n"
        "\n## Creative Commons Attribution 4.0 International (CC-BY-4.0)\n\nhttps://creativecommons.org/licenses/by/4.0/\n\n"
        "- \"Bark\" by Dan, licensed under CC-BY-4.0\n"
        "- \"Night dog\" by Anna Berg, https://example.org/s/1, licensed under CC-BY-4.0\n"
        "\n## Creative Commons Attribution Share Alike 4.0 International (CC-BY-SA-4.0)\n\nhttps://creativecommons.org/licenses/by-sa/4.0/\n\n"
        "- \"Park \\*walk\\*\" by an unknown author, licensed under CC-BY-SA-4.0\n"
        "\nAlso included, without a requirement to credit: 1 recordings under CC0-1.0.\n");
  CHECK(r.err.find("1 recordings have no meta.license: not credited") != std::string::npos);
  CHECK(r.err.find("1 credited recordings have no meta.author") != std::string::npos);
}

TEST_CASE("export hf: a re-export after the manifest lost items leaves exactly what it names", "[export]") {
  TempDir t;
  make_dataset(t);
  REQUIRE(run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--out", "hf"}).exit_code == 0);
  write_file(t / "hf/train/notes.txt", "my notes");  // the user's own: never the export's to remove
  write_file(t / "hf/README.md", "read me");
  // The manifest loses its test split and two train clips.
  std::string kept_lines;
  std::size_t train_dropped = 0;
  for (const auto& line : lines_of(read_file(t / "dataset.jsonl"))) {
    if (line.find("\"split\":\"test\"") != std::string::npos) continue;
    if (line.find("\"split\":\"train\"") != std::string::npos && train_dropped < 2) {
      ++train_dropped;
      continue;
    }
    kept_lines += line + "\n";
  }
  write_file(t / "smaller.jsonl", kept_lines);
  const auto r = run_in(t, {"export", "smaller.jsonl", "--to", "hf", "--out", "hf"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("of an earlier export removed") != std::string::npos);
  CHECK_FALSE(fs::exists(t / "hf/test"));  // emptied, so removed
  read_back(t, "hf", "smaller.jsonl", "hf");
  // Exactly: the export's audio and metadata, its two bookkeeping files, the user's files.
  std::set<std::string> expected{".clipset-export.json", ".clipset-files", "README.md", "train/notes.txt", "train/metadata.csv",
                                 "validation/metadata.csv"};
  std::size_t audio = 0;
  for (const auto& name : files_under(t / "hf")) {
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".wav") == 0) ++audio;
    else CHECK(expected.count(name) == 1);
  }
  CHECK(audio == lines_of(kept_lines).size());
  CHECK(read_file(t / "hf/train/notes.txt") == "my notes");
}

TEST_CASE("export: temporary links an interrupted run left are cleared by the next run", "[export]") {
  TempDir t;
  make_dataset(t);
  REQUIRE(run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--out", "hf"}).exit_code == 0);
  // A run killed between linking a clip beside its target and renaming it over the target.
  fs::path clip;
  for (const auto& entry : fs::directory_iterator(t / "hf/train"))
    if (entry.path().extension() == ".wav") clip = entry.path();
  REQUIRE_FALSE(clip.empty());
  const std::string stem = "." + clip.filename().string() + ".tmp-link-";
  const fs::path stale = t / "hf/train" / (stem + std::to_string(dead_pid()) + "-0");
  const fs::path live = t / "hf/train" / (stem + std::to_string(::getpid()) + "-0");  // a run still going
  const fs::path mine = t / "hf/train/.plans.tmp-link-draft";                         // not one of ours
  fs::create_hard_link(clip, stale);
  fs::create_hard_link(clip, live);
  write_file(mine, "x");
  const auto r = run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--out", "hf"});
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(live));
  CHECK(fs::exists(mine));
  read_back(t, "hf", "dataset.jsonl", "hf");
}

TEST_CASE("export kaldi: a folder whose path holds spaces and quotes is read through a pipe in wav.scp", "[export][kaldi]") {
  TempDir t;
  make_dataset(t);
  const std::string out = "my data/it's here";
  REQUIRE(run_in(t, {"export", "dataset.jsonl", "--to", "kaldi", "--out", out}).exit_code == 0);
  const auto lines = lines_of(read_file(t / out / "train/wav.scp"));
  REQUIRE_FALSE(lines.empty());
  for (const auto& line : lines) {
    CHECK(line.find(" cat '/") != std::string::npos);
    CHECK(line.back() == '|');
  }
  validate_kaldi(t, out, "dataset.jsonl");
  // A line break cannot be in a wav.scp line at all: refused before anything is written.
  const auto r = run_in(t, {"export", "dataset.jsonl", "--to", "kaldi", "--out", "bad\nname"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("holds a line break") != std::string::npos);
  CHECK_FALSE(fs::exists(t / "bad\nname"));
}

TEST_CASE("export --shard: the shards' audio and one run's metadata equal the one-machine export", "[export][shard]") {
  TempDir t;
  make_dataset(t);
  REQUIRE(run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--out", "one"}).exit_code == 0);
  for (const char* shard : {"0/3", "1/3", "2/3"}) {
    const auto r = run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--shard", shard, "--out", "many"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.empty());
  }
  // The shards placed every clip and no metadata file.
  std::set<std::string> one_audio, many_audio;
  for (const auto& name : files_under(t / "one"))
    if (name.find(".wav") != std::string::npos) one_audio.insert(name);
  for (const auto& name : files_under(t / "many")) {
    CHECK(name.find("metadata") == std::string::npos);
    if (name.find(".wav") != std::string::npos) many_audio.insert(name);
  }
  CHECK(many_audio == one_audio);
  const auto last = run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--out", "many"});
  REQUIRE(last.exit_code == 0);
  CHECK(last.err.find(" 3 files written") != std::string::npos);  // the three metadata files only
  const auto names = files_under(t / "one");
  REQUIRE(files_under(t / "many") == names);
  for (const auto& name : names) {
    INFO(name);
    CHECK(read_file(t / "many" / name) == read_file(t / "one" / name));
  }
}

TEST_CASE("export --shard: formats written by one run refuse it, a bad shard is a usage error", "[export][shard][bad]") {
  TempDir t;
  make_dataset(t);
  const auto wds = run_in(t, {"export", "dataset.jsonl", "--to", "webdataset", "--shard", "0/2", "--out", "wds"});
  CHECK(wds.exit_code == 2);
  CHECK(wds.err.find("--shard 0/2") != std::string::npos);
  CHECK(wds.err.find("written by one run") != std::string::npos);
  CHECK_FALSE(fs::exists(t / "wds"));
  const auto bad = run_in(t, {"export", "dataset.jsonl", "--to", "hf", "--shard", "3/2", "--out", "hf"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--shard 3/2") != std::string::npos);
  CHECK_FALSE(fs::exists(t / "hf"));
}
