// clipset compare: do two sets of items look alike? Two manifests, the splits of one, or its
// periods; per --by field a divergence, a test and findings in words.
// stdout (or -o): the report in --format; stderr: notes; exit 1 when a divergence passes --threshold.

#include <memory>

#include "clipset/compare.hpp"
#include "clipset/error.hpp"
#include "clipset/text.hpp"
#include "clipset/units.hpp"
#include "commands.hpp"

namespace clipset::app {

namespace {

struct CompareArgs {
  CommonOptions common;
  std::vector<std::string> inputs;
  std::string output = "-";
  std::string between;
  std::string period;
  std::string time_field = "meta.recorded_at";
  std::vector<std::string> by;
  std::string format = "table";
  std::string threshold;
  bool strict = false;
};

CompareOptions to_options(const CompareArgs& a) {
  CompareOptions o;
  o.by = trimmed_list(a.by);
  if (!a.between.empty() && !a.period.empty()) throw_usage("--between " + a.between, "give either --between or --period, not both");
  if (!a.between.empty()) o.mode = CompareMode::split;
  if (!a.period.empty()) {
    o.mode = CompareMode::period;
    o.period = parse_compare_period(a.period);
  }
  o.time_field = std::string(trim(a.time_field));
  if (!a.threshold.empty()) o.threshold = parse_flag("--threshold", a.threshold, [](const std::string& t) { return parse_fraction(t); });
  o.strict = a.strict;
  o.jobs = effective_jobs(a.common);
  return o;
}

std::string render(const CompareReport& report, const std::string& format) {
  if (format == "json") return compare_to_json(report).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  if (format == "html") {
    std::string title = "clipset compare:";
    for (const auto& input : report.inputs) title += " " + input;
    return compare_to_html(report, title);
  }
  return compare_to_table(report);
}

void notes(Reporter& report, const CompareReport& result) {
  report.bad_lines_summary();
  if (result.left_out > 0) {
    report.warn("left out " + std::to_string(result.left_out) + (result.left_out == 1 ? " item" : " items") + ", e.g.");
    for (const auto& example : result.left_out_examples) report.warn("  " + example);
  }
  if (result.comparisons.empty()) report.info("nothing to compare: fewer than two sides with items");
  for (const auto& c : result.comparisons) {
    if (c.reference_items == 0) report.info(c.reference + ": no items");
    if (c.other_items == 0) report.info(c.other + ": no items");
  }
  if (result.over_threshold()) report.warn("a divergence is over --threshold (exit 1)");
}

int run_compare(const CompareArgs& args) {
  Reporter report("compare", args.common);
  std::vector<NamedFile> inputs;
  for (const auto& input : args.inputs) inputs.push_back({"manifest", input});
  refuse_clashing_files(inputs, {{"-o", args.output}});
  if (args.inputs.size() == 2 && args.inputs[0] == "-" && args.inputs[1] == "-") {
    throw_usage("-", "stdin can be only one of the two manifests");
  }
  const CompareOptions options = to_options(args);
  std::vector<std::unique_ptr<InputFile>> files;
  std::vector<std::unique_ptr<ManifestBlocks>> blocks;
  std::vector<ManifestBlocks*> views;
  for (const auto& input : args.inputs) {
    files.push_back(std::make_unique<InputFile>(input));
    blocks.push_back(std::make_unique<ManifestBlocks>(*files.back()));
    views.push_back(blocks.back().get());
  }
  AtomicOutput output(args.output);
  CompareCallbacks callbacks;
  callbacks.problem = [&](const ManifestProblem& p) { report.bad_line(p); };
  callbacks.progress = [&](std::size_t bytes) { report.progress(bytes >> 20, 0, "MiB read"); };
  const CompareReport result = compare_manifests(options, views, callbacks);
  report.finish_progress();
  output.stream() << render(result, args.format);
  output.commit();
  notes(report, result);
  return result.over_threshold() ? kExitData : kExitOk;
}

}  // namespace

Runner setup_compare(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* cmd = app.add_subcommand("compare", "Compare field distributions: two manifests, splits, or periods (drift)");
  cmd->add_option("manifests", args->inputs, "One manifest (with --between or --period) or two (- for stdin)")
      ->required()
      ->expected(1, 2)
      ->type_name("A [B]");
  cmd->add_option("--by", args->by, "Fields to compare, dotted, comma-separated (labels, meta.device, duration, ...)")
      ->required()
      ->type_name("FIELDS")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--between", args->between, "Compare the splits of one manifest, each against the largest")
      ->type_name("split")
      ->check(CLI::IsMember({"split"}));
  cmd->add_option("--period", args->period, "Compare periods of --time-field, each against all earlier ones: day, week, month")
      ->type_name("PERIOD");
  cmd->add_option("--time-field", args->time_field, "Field holding the recording time (default meta.recorded_at)")
      ->type_name("FIELD");
  cmd->add_option("--format", args->format, "Report: table (default), json, html")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"table", "json", "html"}));
  cmd->add_option("-o,--output", args->output, "Write the report to FILE (default stdout)")->type_name("FILE");
  cmd->add_option("--threshold", args->threshold, "Exit 1 when a field's Jensen-Shannon divergence is over X (0 to 1)")
      ->type_name("X");
  cmd->add_flag("--strict", args->strict, "Exit 1 on the first bad line");
  add_common_options(*cmd, args->common);
  cmd->footer(examples_footer({
      "clipset compare lake.jsonl uploads.jsonl --by labels,meta.device,duration --threshold 0.1",
      "clipset compare dataset.jsonl --between split --by labels,meta.device",
      "clipset compare raw.jsonl --period month --by meta.device,sample_rate --format html -o drift.html",
      "clipset compare a.jsonl b.jsonl --by labels --format json | jq '.comparisons[].findings'",
  }));
  return [args] { return run_compare(*args); };
}

}  // namespace clipset::app
