// Unit tests of the export module's plan: split folders, file names and WebDataset keys.

#include <catch2/catch.hpp>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "clipset/error.hpp"
#include "clipset/export.hpp"
#include "export/internal.hpp"

namespace {

using clipset::ExportFormat;
using clipset::ExportOptions;

struct PlanRun {
  clipset::detail::ExportPlan plan;
  clipset::ExportSummary summary;
  std::vector<clipset::Rejection> rejected;
};

PlanRun plan_of(const std::string& manifest, const ExportOptions& options) {
  std::istringstream in(manifest);
  clipset::ManifestReader reader(in, "m.jsonl");
  PlanRun run;
  clipset::ExportCallbacks callbacks;
  callbacks.rejected = [&](const clipset::Rejection& r) { run.rejected.push_back(r); };
  run.plan = clipset::detail::read_plan(reader, options, callbacks, run.summary);
  return run;
}

std::string line(const std::string& id, const std::string& split) {
  return R"({"id":")" + id + R"(","path":"clips/)" + id + R"(.wav","labels":["dog"],"split":")" + split + "\"}\n";
}

}  // namespace

TEST_CASE("export plan: ids that look alike get distinct file names and dot-free keys", "[export]") {
  const std::vector<std::string> ids{"x.wav_000001.500", "x_wav_000001_500", "a/b", "a_b", "x", "x.wav", "..", "-rm"};
  std::string manifest;
  for (const auto& id : ids) manifest += line(id, "train");
  const auto run = plan_of(manifest, {});
  CHECK(run.rejected.empty());
  REQUIRE(run.plan.entries.size() == ids.size());
  std::set<std::string> names, keys;
  for (const auto& e : run.plan.entries) {
    names.insert(e.file_name);
    keys.insert(e.key);
    CHECK(e.key.find('.') == std::string::npos);
    CHECK(e.file_name.find('/') == std::string::npos);
    CHECK(e.file_name.front() != '.');
    CHECK(e.file_name.front() != '-');
  }
  CHECK(names.size() == ids.size());
  CHECK(keys.size() == ids.size());
  CHECK(run.plan.entries[0].file_name == "x.wav_000001.500.wav");
  CHECK(run.plan.entries[4].file_name == "x.wav");  // "x" with its extension
  CHECK(run.plan.entries[5].file_name != "x.wav");  // "x.wav" is taken: the id's hash tells it apart
}

TEST_CASE("export plan: splits in reading order, hf names, items without a split left out", "[export]") {
  ExportOptions options;
  options.format = ExportFormat::hf;
  const auto run = plan_of(line("a", "test") + line("b", "val") + line("c", "train") + R"({"id":"d","path":"d.wav"})" "\n", options);
  REQUIRE(run.plan.splits.size() == 3);
  CHECK(run.plan.splits[0].out_name == "train");
  CHECK(run.plan.splits[1].out_name == "validation");
  CHECK(run.plan.splits[2].out_name == "test");
  REQUIRE(run.rejected.size() == 1);
  CHECK(run.rejected[0].reason == "item d: has no split (run clipset split first)");
  CHECK(run.summary.left_out == 1);

  options.splits = {"train"};
  const auto train_only = plan_of(line("a", "test") + line("c", "train"), options);
  CHECK(train_only.plan.entries.size() == 1);
  CHECK(train_only.summary.not_selected == 1);

  // val and validation would share hf's validation folder.
  options.splits.clear();
  CHECK_THROWS_AS(plan_of(line("a", "val") + line("b", "validation"), options), clipset::Error);
  options.format = ExportFormat::kaldi;
  CHECK(plan_of(line("a", "val") + line("b", "validation"), options).plan.splits.size() == 2);
}

TEST_CASE("export plan: a virtual clip is cut by the shared rule, one it cannot cut is named", "[export]") {
  const std::string good =
      R"({"id":"v1","sample_rate":16000,"frames":8000,"labels":["dog"],"split":"train","source":{"id":"r","path":"r.wav","start":0.5,"duration":0.5}})" "\n";
  const std::string no_rate = R"({"id":"v2","labels":["dog"],"split":"train","source":{"id":"r","path":"r.wav","start":0,"duration":0.5}})" "\n";
  const std::string bad_channel =
      R"({"id":"v3","sample_rate":16000,"split":"train","source":{"id":"r","path":"r.wav","start":0,"duration":0.5,"channel":0}})" "\n";
  const auto run = plan_of(good + no_rate + bad_channel, {});
  REQUIRE(run.plan.entries.size() == 1);
  const auto& cut = *run.plan.entries[0].cut;
  CHECK(cut.range.start == 8000);
  CHECK(cut.range.content == 8000);
  CHECK(run.plan.entries[0].file_name == "v1.wav");
  REQUIRE(run.rejected.size() == 2);
  CHECK(run.rejected[0].reason == "item v2: a virtual clip without a sample_rate");
  CHECK(run.rejected[1].reason == "item v3: source.channel must be a channel number from 1");
}
