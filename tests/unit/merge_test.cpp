// The merge module: shards back into one-machine order, manifests by id, and what it refuses.

#include "clipset/merge.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "clipset/error.hpp"

namespace {

using clipset::MergeConflict;
using clipset::MergeSummary;
using clipset::Shard;
using clipset::ShardHeader;

struct Run {
  std::vector<std::unique_ptr<std::istringstream>> streams;
  std::vector<clipset::MergeInput> inputs;
  std::string out;
  std::vector<MergeConflict> conflicts;
  std::vector<clipset::ManifestProblem> problems;

  void add(const std::string& name, const std::string& text) {
    streams.push_back(std::make_unique<std::istringstream>(text));
    inputs.push_back({name, streams.back().get()});
  }
  MergeSummary merge(clipset::MergeOptions options = {}) {
    clipset::MergeCallbacks callbacks;
    callbacks.record = [&](std::string_view line) { out.append(line).push_back('\n'); };
    callbacks.conflict = [&](const MergeConflict& c) { conflicts.push_back(c); };
    callbacks.problem = [&](const clipset::ManifestProblem& p) { problems.push_back(p); };
    return clipset::merge(inputs, options, callbacks);
  }
};

std::string header(const char* command, const char* settings, Shard shard, std::vector<std::string> deferred = {}) {
  return clipset::shard_header_line(ShardHeader{command, settings, shard, std::move(deferred)}) + "\n";
}

std::string record(const std::string& body, clipset::ShardOrder order) { return clipset::with_shard_order(body, order) + "\n"; }

}  // namespace

TEST_CASE("merge: shards interleave by order, whatever order they are given in", "[merge]") {
  Run run;
  run.add("b", header("segment", "s", {1, 3}) + record(R"({"id":"r1_0"})", {1, 0}) + record(R"({"id":"r4_0"})", {4, 0}));
  run.add("a", header("segment", "s", {0, 3}) + record(R"({"id":"r0_0"})", {0, 0}) + record(R"({"id":"r0_1"})", {0, 1}) +
                   record(R"({"id":"r3_0"})", {3, 0}));
  run.add("c", header("segment", "s", {2, 3}));  // a shard with nothing to do
  const auto s = run.merge({3});
  CHECK(run.out == "{\"id\":\"r0_0\"}\n{\"id\":\"r0_1\"}\n{\"id\":\"r1_0\"}\n{\"id\":\"r3_0\"}\n{\"id\":\"r4_0\"}\n");
  CHECK(s.records == 5);
  CHECK(s.shards == std::vector<std::size_t>{0, 1, 2});
  CHECK(s.missing.empty());
  CHECK(s.run->command == "segment");
}

TEST_CASE("merge: a shard given twice collapses, another content at one place is a conflict", "[merge]") {
  Run run;
  const std::string shard = header("segment", "s", {0, 1}) + record(R"({"id":"x","d":1})", {0}) + record(R"({"id":"y"})", {1});
  run.add("one", shard);
  run.add("again", shard);
  run.add("edited", header("segment", "s", {0, 1}) + record(R"({"id":"x","d":2})", {0}));
  const auto s = run.merge();
  CHECK(run.out == "{\"id\":\"x\",\"d\":1}\n{\"id\":\"y\"}\n");
  CHECK(s.duplicates == 2);
  REQUIRE(run.conflicts.size() == 1);
  CHECK(run.conflicts[0].id == "x");
  CHECK(run.conflicts[0].first_file == "one");
  CHECK(run.conflicts[0].first_line == 2);
  CHECK(run.conflicts[0].second_file == "edited");
  CHECK(run.conflicts[0].second_line == 2);
}

TEST_CASE("merge: ingest's deferred duplicate_of is marked in the merged order", "[merge]") {
  Run run;
  const std::string sha(64, 'a');
  run.add("1", header("ingest", "i", {1, 2}, {"duplicate_of"}) + record(R"({"id":"b","sha256":")" + sha + R"("})", {1}));
  run.add("0", header("ingest", "i", {0, 2}, {"duplicate_of"}) + record(R"({"id":"a","sha256":")" + sha + R"("})", {0}) +
                   record(R"({"id":"c","sha256":")" + sha + R"("})", {2}));
  run.merge();
  CHECK(run.out.find(R"("id":"a")") < run.out.find(R"("id":"b")"));
  CHECK(run.out.find(R"("duplicate_of":"a")") != std::string::npos);
  std::size_t marked = 0;
  for (std::size_t at = run.out.find("duplicate_of"); at != std::string::npos; at = run.out.find("duplicate_of", at + 1)) ++marked;
  CHECK(marked == 2);
}

TEST_CASE("merge: manifests keep the order given, each id once", "[merge]") {
  Run run;
  run.add("anna", "{\"id\":\"a\"}\n{\"id\":\"b\", \"x\":1}\n");
  run.add("ben", "{\"id\":\"b\",\"x\":1}\n\n{\"id\":\"c\"}\nnot json\n{\"id\":\"a\",\"x\":2}\n");
  const auto s = run.merge();
  CHECK_FALSE(s.run);
  CHECK(run.out == "{\"id\":\"a\"}\n{\"id\":\"b\", \"x\":1}\n{\"id\":\"c\"}\n");
  CHECK(s.duplicates == 1);  // spacing does not matter
  REQUIRE(run.problems.size() == 1);
  CHECK(run.problems[0].source == "ben");
  CHECK(run.problems[0].line == 4);
  REQUIRE(run.conflicts.size() == 1);
  CHECK(run.conflicts[0].first_file == "anna");
  CHECK(run.conflicts[0].second_line == 5);
}

TEST_CASE("merge: inputs that do not belong together are refused before anything is written", "[merge]") {
  auto refused = [](Run& run, clipset::MergeOptions options = {}) {
    try {
      run.merge(options);
    } catch (const clipset::Error& e) {
      CHECK(run.out.empty());
      return std::string(e.subject() + ": " + e.reason());
    }
    FAIL("not refused");
    return std::string();
  };
  Run other;
  other.add("a", header("segment", "s1", {0, 2}));
  other.add("b", header("segment", "s2", {1, 2}));
  CHECK(refused(other).find("b: shard 1/2 of another run (segment with settings s2") == 0);
  Run count;
  count.add("a", header("segment", "s", {0, 2}));
  count.add("b", header("segment", "s", {1, 3}));
  CHECK(refused(count).find("b: shard 1/3 of a run in 3 shards") == 0);
  Run mixed;
  mixed.add("a", header("segment", "s", {0, 2}));
  mixed.add("m", "{\"id\":\"x\"}\n");
  CHECK(refused(mixed).find("m: no shard header") == 0);
  Run missing;
  missing.add("a", header("segment", "s", {1, 4}));
  CHECK(refused(missing, {4}) == ": missing shards 0/4, 2/4, 3/4 (have 1/4)");
  Run expect;
  expect.add("m", "{\"id\":\"x\"}\n");
  CHECK(refused(expect, {2}).find("m: is no shard output") == 0);
}
