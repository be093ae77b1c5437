// clipset split: a manifest -> the same items with `split` (and `fold`) filled in.

#include <algorithm>
#include <filesystem>
#include <memory>

#include "clipset/error.hpp"
#include "clipset/item_keys.hpp"
#include "clipset/split.hpp"
#include "clipset/text.hpp"
#include "clipset/units.hpp"
#include "commands.hpp"

namespace clipset::app {

namespace {

struct SplitArgs {
  CommonOptions common;
  std::string input;
  std::string output = "-";
  std::string ratios = "80,10,10";
  std::vector<std::string> names;
  std::vector<std::string> group_by;
  std::string group_key = "value";
  std::string stratify = "labels";
  std::string method = "balanced";
  std::string weight = "items";
  std::uint64_t seed = 0;
  bool keep_existing = false;
  std::vector<std::string> holdouts;
  int folds = 0;
  std::vector<std::string> folds_within;
  std::string report;
  bool strict = false;
};

SplitOptions to_options(const SplitArgs& a) {
  SplitOptions o;
  o.ratios = parse_flag("--ratios", a.ratios, [](const std::string& t) { return parse_ratios(t); });
  if (!a.names.empty()) o.names = trimmed_list(a.names);
  if (!a.group_by.empty()) o.group_by = trimmed_list(a.group_by);
  std::replace(o.group_by.begin(), o.group_by.end(), std::string(kNearDupName), std::string(kNearDupField));
  o.group_key = a.group_key == "nohash" ? GroupKeyForm::nohash : GroupKeyForm::value;
  o.stratify = a.stratify == "none" ? "" : std::string(trim(a.stratify));
  o.method = a.method == "hash" ? SplitMethod::hash : SplitMethod::balanced;
  o.weight = a.weight == "seconds" ? SplitWeight::seconds : SplitWeight::items;
  o.seed = a.seed;
  o.keep_existing = a.keep_existing;
  for (const auto& text : a.holdouts) o.holdouts.push_back(parse_holdout(text));
  o.folds = a.folds;
  o.folds_within = trimmed_list(a.folds_within);
  o.strict = a.strict;
  o.jobs = effective_jobs(a.common);
  check_split_options(o);
  return o;
}

// The input's size when it is a regular file (for the progress bar), else 0.
std::size_t input_size(const std::string& name) {
  if (name == "-") return 0;
  std::error_code ec;
  const auto size = std::filesystem::file_size(name, ec);
  return ec ? 0 : static_cast<std::size_t>(size);
}

int run_split(const SplitArgs& args) {
  Reporter report("split", args.common);
  // -o may replace the manifest it splits (all of it is read first, the output appears atomically).
  refuse_clashing_files({{"manifest", args.input}}, {{"--report", args.report}});
  refuse_clashing_files({}, {{"-o", args.output}, {"--report", args.report}});
  const SplitOptions options = to_options(args);
  if (args.report == "-" && args.output == "-") {
    throw_usage("--report -", "would mix the report into the manifest on stdout; give -o FILE or a report file");
  }
  // Open everything first: a bad path fails before a long read.
  InputFile input(args.input);
  AtomicOutput output(args.output);
  std::unique_ptr<AtomicOutput> report_output;
  if (!args.report.empty()) report_output = std::make_unique<AtomicOutput>(args.report);

  const std::size_t total = input_size(args.input);
  SplitCallbacks callbacks;
  callbacks.problem = [&](const ManifestProblem& p) { report.bad_line(p); };
  callbacks.progress = [&](std::size_t bytes) { report.progress(bytes >> 20, total >> 20, "MiB read"); };

  ManifestBlocks blocks(input);
  const SplitReport result = split_manifest(options, blocks, output.stream(), output.display_name(), callbacks);
  report.finish_progress();
  output.commit();
  if (report_output) {
    report_output->stream() << split_report_to_json(result).dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
    report_output->commit();
  }

  report.bad_lines_summary();
  if (result.items == 0) {
    report.info("empty manifest: no items to split, nothing written");
    return kExitOk;
  }
  for (const auto& line : split_report_lines(result, args.common.verbose ? SIZE_MAX : 30)) {
    if (line.warning) report.warn(line.text);
    else report.info(line.text);
  }
  return kExitOk;
}

}  // namespace

Runner setup_split(CLI::App& app) {
  auto args = std::make_shared<SplitArgs>();
  CLI::App* cmd = app.add_subcommand("split", "Assign leak-free, stratified train/val/test splits (and folds)");
  cmd->add_option("manifest", args->input, "Manifest to split (- for stdin)")->required()->type_name("MANIFEST");
  cmd->add_option("-o,--output", args->output, "Manifest to write, atomically (default: - for stdout)")->type_name("FILE");
  cmd->add_option("--ratios", args->ratios, "Split sizes, e.g. 80,10,10 or 0.7,0.15,0.15 (default 80,10,10)")->type_name("R,R,...");
  cmd->add_option("--names", args->names, "Split names, one per ratio (default train,val,test)")->type_name("NAMES")->delimiter(',')->allow_extra_args(false);
  cmd->add_option("--group-by", args->group_by, "Fields whose items must stay together; several join (default: group; near-dup: clusters of dups --annotate)")
      ->type_name("FIELDS")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--group-key", args->group_key, "value (default), or nohash: file name cut at _nohash_ (Speech Commands)")
      ->type_name("FORM")
      ->check(CLI::IsMember({"value", "nohash"}));
  cmd->add_option("--stratify", args->stratify, "Balance classes of this field: labels (default), none, or a field")->type_name("FIELD");
  cmd->add_option("--method", args->method, "balanced (default: optimise the ratios) or hash (stable as data grows)")
      ->type_name("METHOD")
      ->check(CLI::IsMember({"balanced", "hash"}));
  cmd->add_option("--weight", args->weight, "What the ratios count: items (default) or seconds")
      ->type_name("UNIT")
      ->check(CLI::IsMember({"items", "seconds"}));
  cmd->add_option("--seed", args->seed, "Seed of the balanced method (default 0)")->type_name("N")
      ->check(whole_number());
  cmd->add_flag("--keep-existing", args->keep_existing, "Items that have a split (and fold) keep it; only new ones are assigned");
  cmd->add_option("--holdout", args->holdouts, "Send matching groups to a split first, e.g. 'meta.device=iphone-12:test' (repeatable)")
      ->type_name("EXPR")
      ->allow_extra_args(false);
  cmd->add_option("--folds", args->folds, "Also assign group-aware stratified folds 0..K-1")->type_name("K")->check(CLI::Range(2, 1000));
  cmd->add_option("--folds-within", args->folds_within, "Folds only for items of these splits, e.g. train (default: every item)")
      ->type_name("SPLITS")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--report", args->report, "Write the per-split and per-class report as JSON")->type_name("FILE");
  cmd->add_flag("--strict", args->strict, "Exit 1 on bad lines, items without a group, groups the input already leaks");
  add_common_options(*cmd, args->common);
  cmd->footer(examples_footer({
      "clipset split clips.jsonl -o dataset.jsonl",
      "clipset split clips.jsonl --group-by meta.recorder --ratios 70,15,15 --seed 3 -o dataset.jsonl",
      "clipset split clips.jsonl --holdout 'meta.recorded_at>=2026-06-01:test' --ratios 90,10,0 -o dataset.jsonl",
      "clipset split dataset.jsonl --keep-existing -o dataset.jsonl      # new items only; test stays frozen",
      "clipset split clips.jsonl --ratios 80,20 --names train,test --folds 5 --folds-within train",
      "clipset split sc.jsonl --method hash --group-by path --group-key nohash --names val,test,train --ratios 10,10,80",
  }));
  return [args] { return run_split(*args); };
}

}  // namespace clipset::app
