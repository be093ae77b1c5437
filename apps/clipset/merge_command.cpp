// clipset merge: shard outputs (or whole manifests) -> the one output a one-machine run writes.

#include <memory>

#include "clipset/error.hpp"
#include "clipset/merge.hpp"
#include "commands.hpp"

namespace clipset::app {

namespace {

constexpr std::size_t kNamedConflicts = 20;

struct MergeArgs {
  CommonOptions common;
  std::vector<std::string> inputs;
  std::string output = "-";
  std::size_t expect = 0;  // 0: not given
};

std::string conflict_line(const MergeConflict& c) {
  return "conflict: " + c.id + " differs between " + c.first_file + ":" + std::to_string(c.first_line) + " and " +
         c.second_file + ":" + std::to_string(c.second_line) + " (the first is kept)";
}

std::string summary_line(const MergeSummary& s, std::size_t inputs) {
  std::string line = std::to_string(s.records) + (s.records == 1 ? " record" : " records") + " from " +
                     std::to_string(inputs) + (inputs == 1 ? " input" : " inputs");
  if (s.run) {
    line += " (" + s.run->command + ", " + std::to_string(s.shards.size()) + " of " + std::to_string(s.run->shard.count) +
            " shards)";
  }
  line += "; " + std::to_string(s.duplicates) + " identical duplicates collapsed, " + std::to_string(s.conflicts) +
          (s.conflicts == 1 ? " conflict" : " conflicts");
  return line;
}

std::string missing_line(const MergeSummary& s) {
  std::string line = "missing shards:";
  for (const std::size_t i : s.missing) line += " " + Shard{i, s.run->shard.count}.text();
  return line + " (give --expect N to refuse an incomplete merge)";
}

int run_merge(const MergeArgs& args) {
  Reporter report("merge", args.common);
  std::vector<NamedFile> named;
  for (const auto& input : args.inputs) named.push_back({"input", input});
  refuse_clashing_files(named, {{"-o", args.output}});
  std::size_t stdin_inputs = 0;
  for (const auto& input : args.inputs) stdin_inputs += input == "-" ? 1 : 0;
  if (stdin_inputs > 1) throw_usage("-", "stdin can be read only once");

  std::vector<InputFile> files;
  std::vector<MergeInput> inputs;
  files.reserve(args.inputs.size());
  for (const auto& name : args.inputs) files.emplace_back(name);
  for (auto& file : files) inputs.push_back({file.display_name(), &file.stream()});
  MergeOptions options;
  if (args.expect > 0) options.expect = args.expect;

  AtomicOutput output(args.output);
  std::ostream& out = output.stream();
  MergeCallbacks callbacks;
  callbacks.record = [&](std::string_view line) {
    out << line << '\n';
    if (!out) throw_output(output.display_name(), "write failed");
  };
  // The first conflicts are named (all with --verbose): two unrelated manifests could clash on every line.
  std::size_t conflicts = 0;
  callbacks.conflict = [&](const MergeConflict& c) {
    if (args.common.verbose || ++conflicts <= kNamedConflicts) report.error(conflict_line(c));
  };
  callbacks.problem = [&](const ManifestProblem& p) { report.bad_line(p); };

  const MergeSummary summary = merge(inputs, options, callbacks);
  const bool failed = summary.conflicts > 0 || summary.problems > 0;
  if (!failed) output.commit();  // a merge with a conflict or an unread line is no one-machine output
  report.info(summary_line(summary, args.inputs.size()));
  if (summary.run && !summary.missing.empty()) report.warn(missing_line(summary));
  if (summary.conflicts > kNamedConflicts && !args.common.verbose) {
    report.error(std::to_string(summary.conflicts) + " conflicts in all (the first " + std::to_string(kNamedConflicts) +
                 " named above; --verbose names every one)");
  }
  if (summary.problems > 0) {
    report.error(std::to_string(summary.problems) + (summary.problems == 1 ? " line" : " lines") + " could not be read");
  }
  if (failed && args.output != "-") report.error(args.output + ": not written");
  return failed ? kExitData : kExitOk;
}

}  // namespace

Runner setup_merge(CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* cmd = app.add_subcommand("merge", "Put shard outputs (or manifests from several machines) back into one");
  cmd->add_option("inputs", args->inputs, "Shard outputs of one run, or whole manifests (- for stdin)")->required()->type_name("FILE...");
  cmd->add_option("-o,--output", args->output, "Write the merged records here, atomically (default: - for stdout)")->type_name("FILE");
  cmd->add_option("--expect", args->expect, "The run has N shards: refuse the merge when one is missing")
      ->type_name("N")
      ->check(CLI::Range(std::size_t{1}, kMaxShards));
  add_common_options(*cmd, args->common);
  cmd->footer(examples_footer({
      "clipset merge clips.*.jsonl --expect 8 -o clips.jsonl",
      "clipset merge raw.0.jsonl raw.1.jsonl raw.2.jsonl -o raw.jsonl",
      "clipset merge laptop-anna.jsonl laptop-ben.jsonl -o raw.jsonl     # whole manifests: each id once",
      "clipset merge findings.*.jsonl --expect 4 | jq -r 'select(.severity == \"error\") | .subject'",
  }) + "\nExit status: 0 merged, 1 a conflict, an unreadable line or inputs that do not belong together, 2 usage error, 3 I/O error.\n");
  return [args] { return run_merge(*args); };
}

}  // namespace clipset::app
