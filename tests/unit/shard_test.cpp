// The shard rule (clipset/shard.hpp): parsing I/N and auto, the Slurm and Kubernetes
// environments, which shard an item belongs to, and the shard output format.

#include "clipset/shard.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <sstream>
#include <string>

#include "clipset/error.hpp"

namespace {

using clipset::Environment;
using clipset::Item;
using clipset::Shard;
using clipset::parse_shard;

// The usage error parse_shard throws; fails the test when it throws none.
clipset::Error shard_error(const std::string& text, const Environment& env = {}) {
  try {
    const Shard s = parse_shard(text, env);
    FAIL(text << " was taken as " << s.text());
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::usage);
    CHECK(e.subject() == text);
    return e;
  }
  throw;  // not reached
}

bool reason_has(const std::string& text, const std::string& part, const Environment& env = {}) {
  const std::string reason = shard_error(text, env).reason();
  INFO(text << ": " << reason);
  return reason.find(part) != std::string::npos;
}

// A Slurm array's variables as sbatch --array=MIN-MAX sets them for task ID.
Environment slurm(std::size_t id, std::size_t min, std::size_t max, std::size_t count, const char* step = "1") {
  return {{"SLURM_JOB_ID", "77"},
          {"SLURM_ARRAY_TASK_ID", std::to_string(id)},
          {"SLURM_ARRAY_TASK_MIN", std::to_string(min)},
          {"SLURM_ARRAY_TASK_MAX", std::to_string(max)},
          {"SLURM_ARRAY_TASK_COUNT", std::to_string(count)},
          {"SLURM_ARRAY_TASK_STEP", step}};
}

Item item_with(const std::string& id, const std::string& group = "", const std::string& source = "") {
  Item item;
  item.id = id;
  if (!group.empty()) item.group = group;
  if (!source.empty()) {
    item.source = clipset::ClipSource{};
    item.source->id = source;
  }
  return item;
}

}  // namespace

TEST_CASE("shard: I/N is read with 0 <= I < N", "[shard]") {
  CHECK(parse_shard("0/1", {}) == Shard{0, 1});
  CHECK(parse_shard("3/7", {}) == Shard{3, 7});
  CHECK(parse_shard("6/7", {}) == Shard{6, 7});
  CHECK(parse_shard("3/7", {}).text() == "3/7");
}

TEST_CASE("shard: bad values are refused with the reason", "[shard]") {
  CHECK(reason_has("3/2", "index 3 is not below the count 2"));
  CHECK(reason_has("2/2", "shards are numbered 0 to N-1"));
  CHECK(reason_has("0/0", "count must be at least 1"));
  CHECK(reason_has("1/0", "count must be at least 1"));
  CHECK(reason_has("-1/2", "index is not a whole number"));
  CHECK(reason_has("a/b", "count is not a whole number"));
  CHECK(reason_has("1/b", "count is not a whole number"));
  CHECK(reason_has("a/2", "index is not a whole number"));
  CHECK(reason_has("+1/2", "index is not a whole number"));
  CHECK(reason_has(" 1/2", "index is not a whole number"));
  CHECK(reason_has("1/2/3", "not a shard"));
  CHECK(reason_has("3", "not a shard"));
  CHECK(reason_has("", "not a shard"));
  CHECK(reason_has("/", "count is not a whole number"));
  CHECK(reason_has("0/1e3", "count is not a whole number"));
  CHECK(reason_has("0/99999999999999999999", "count is not a whole number"));
  CHECK(reason_has("0/1000001", "at most 1000000 shards"));
}

TEST_CASE("shard: auto in a Slurm array is the task's rank", "[shard]") {
  CHECK(parse_shard("auto", slurm(0, 0, 3, 4)) == Shard{0, 4});
  CHECK(parse_shard("auto", slurm(3, 0, 3, 4)) == Shard{3, 4});
  // --array=1-4: the rank counts from the array's first id
  CHECK(parse_shard("auto", slurm(1, 1, 4, 4)) == Shard{0, 4});
  CHECK(parse_shard("auto", slurm(4, 1, 4, 4)) == Shard{3, 4});
  // Without SLURM_ARRAY_TASK_MAX and _STEP (older Slurm) the count and minimum suffice.
  Environment old = slurm(2, 0, 3, 4);
  old.erase("SLURM_ARRAY_TASK_MAX");
  old.erase("SLURM_ARRAY_TASK_STEP");
  CHECK(parse_shard("auto", old) == Shard{2, 4});
  // auto/N in a Slurm array: the array must have N tasks.
  CHECK(parse_shard("auto/4", slurm(2, 0, 3, 4)) == Shard{2, 4});
  CHECK(reason_has("auto/5", "has 4 tasks, not 5", slurm(2, 0, 3, 4)));
}

TEST_CASE("shard: a Slurm array with gaps or a step is refused", "[shard]") {
  // --array=0,2,5: 3 tasks with ids 0 to 5
  CHECK(reason_has("auto", "has gaps (3 tasks with ids 0 to 5)", slurm(2, 0, 5, 3)));
  // --array=0-6:2: step 2
  CHECK(reason_has("auto", "has step 2", slurm(2, 0, 6, 4, "2")));
  CHECK(reason_has("auto", "--array=0-(N-1)", slurm(2, 0, 6, 4, "2")));
  Environment broken = slurm(1, 0, 3, 4);
  broken["SLURM_ARRAY_TASK_COUNT"] = "four";
  CHECK(reason_has("auto", "SLURM_ARRAY_TASK_COUNT=four is not a whole number", broken));
  Environment no_count = slurm(1, 0, 3, 4);
  no_count.erase("SLURM_ARRAY_TASK_COUNT");
  CHECK(reason_has("auto", "SLURM_ARRAY_TASK_COUNT is not set", no_count));
  Environment below = slurm(0, 1, 4, 4);
  CHECK(reason_has("auto", "below SLURM_ARRAY_TASK_MIN", below));
}

TEST_CASE("shard: auto/N in a Kubernetes Indexed Job reads JOB_COMPLETION_INDEX", "[shard]") {
  CHECK(parse_shard("auto/8", {{"JOB_COMPLETION_INDEX", "0"}}) == Shard{0, 8});
  CHECK(parse_shard("auto/8", {{"JOB_COMPLETION_INDEX", "7"}}) == Shard{7, 8});
  CHECK(reason_has("auto/8", "index 8 (JOB_COMPLETION_INDEX) is not below the count 8", {{"JOB_COMPLETION_INDEX", "8"}}));
  CHECK(reason_has("auto/8", "JOB_COMPLETION_INDEX=-1 is not a whole number", {{"JOB_COMPLETION_INDEX", "-1"}}));
  CHECK(reason_has("auto", "Kubernetes gives no shard count; give auto/N", {{"JOB_COMPLETION_INDEX", "3"}}));
  CHECK(reason_has("auto/0", "count must be at least 1", {{"JOB_COMPLETION_INDEX", "0"}}));
}

TEST_CASE("shard: auto without its environment says what is missing", "[shard]") {
  CHECK(reason_has("auto", "neither a Slurm array job"));
  CHECK(reason_has("auto/4", "JOB_COMPLETION_INDEX is not set"));
  CHECK(reason_has("auto", "no array job", {{"SLURM_JOB_ID", "12"}}));
}

TEST_CASE("shard: an item's shard follows its group key", "[shard]") {
  // Clips of one recording and recordings of one group share a shard.
  for (const std::size_t n : {2u, 3u, 7u, 100u}) {
    const std::size_t recording = clipset::shard_of(item_with("rec1", "rec1"), n);
    CHECK(clipset::shard_of(item_with("rec1__000001", "rec1", "rec1"), n) == recording);
    CHECK(clipset::shard_of(item_with("rec1__000002", "", "rec1"), n) ==
          clipset::shard_of_key("source.id=rec1", n));
    CHECK(clipset::shard_of(item_with("a", "anna"), n) == clipset::shard_of(item_with("b", "anna"), n));
  }
  CHECK(clipset::shard_of(item_with("x"), 1) == 0);
}

TEST_CASE("shard: the hash is fixed and spreads keys evenly", "[shard]") {
  // Fixed values: a change of the rule would move work between shards of a running job.
  CHECK(clipset::shard_of_key("group=dog__a.wav", 7) == clipset::shard_of_key("group=dog__a.wav", 7));
  std::vector<std::size_t> counts(8, 0);
  for (int i = 0; i < 8000; ++i) ++counts[clipset::shard_of_key("group=rec" + std::to_string(i), 8)];
  for (const auto c : counts) {
    CHECK(c > 850);
    CHECK(c < 1150);
  }
}

TEST_CASE("shard: header lines and record orders round-trip", "[shard]") {
  const clipset::ShardHeader header{"ingest", "abc123", Shard{2, 7}, {"duplicate_of"}};
  const std::string line = clipset::shard_header_line(header);
  CHECK(line == R"({"clipset_shard":{"version":1,"command":"ingest","settings":"abc123","shard":"2/7","deferred":["duplicate_of"]}})");
  const auto back = clipset::parse_shard_header(line);
  REQUIRE(back);
  CHECK(back->command == "ingest");
  CHECK(back->settings == "abc123");
  CHECK(back->shard == Shard{2, 7});
  CHECK(back->deferred == std::vector<std::string>{"duplicate_of"});
  CHECK_FALSE(clipset::parse_shard_header(R"({"id":"x"})"));
  CHECK_THROWS_AS(clipset::parse_shard_header(R"({"clipset_shard":{"version":1}})"), clipset::Error);
  CHECK_THROWS_AS(clipset::parse_shard_header(R"({"clipset_shard":{"version":2,"command":"x","settings":"y","shard":"0/1"}})"),
                  clipset::Error);
  CHECK_THROWS_AS(clipset::parse_shard_header(R"({"clipset_shard":{"version":1,"command":"x","settings":"y","shard":"3/2"}})"),
                  clipset::Error);

  const std::string record = R"({"id":"a","shard_order":[1]})";  // a user's own field of that name stays
  const std::string ordered = clipset::with_shard_order(record, {12, 0, 18446744073709551615ull});
  CHECK(ordered == R"({"id":"a","shard_order":[1],"shard_order":[12,0,18446744073709551615]})");
  const auto split = clipset::split_shard_order(ordered);
  CHECK(split.record == record);
  CHECK(split.order == clipset::ShardOrder{12, 0, 18446744073709551615ull});
  CHECK_THROWS_AS(clipset::split_shard_order(R"({"id":"a"})"), clipset::Error);
  CHECK_THROWS_AS(clipset::split_shard_order(R"({"id":"a","shard_order":[]})"), clipset::Error);
  CHECK_THROWS_AS(clipset::split_shard_order(R"({"id":"a","shard_order":[1,]})"), clipset::Error);
  CHECK_THROWS_AS(clipset::split_shard_order(R"({"id":"a","shard_order":[-1]})"), clipset::Error);
  CHECK_THROWS_AS(clipset::split_shard_order(R"({"id":"a","shard_order":[99999999999999999999]})"), clipset::Error);
}

TEST_CASE("shard: a shard writer writes the header first, even with no records", "[shard]") {
  std::ostringstream out;
  clipset::ShardWriter writer(out, "x.jsonl", {"segment", "d1", Shard{0, 2}, {}});
  CHECK(out.str() == R"({"clipset_shard":{"version":1,"command":"segment","settings":"d1","shard":"0/2"}})" "\n");
  writer.write(item_with("a"), {3, 1});
  const std::string second = out.str().substr(out.str().find('\n') + 1);
  CHECK(second == clipset::with_shard_order(clipset::item_to_line(item_with("a")), {3, 1}) + "\n");
  CHECK(second.substr(second.size() - 22) == R"(,"shard_order":[3,1]})" "\n");
}
