// clipset stats: what is in a manifest, how balanced it is, and how far annotators agree.
// stdout: the report in --format; --html: a self-contained page; stderr: notes and warnings.

#include <filesystem>
#include <iostream>
#include <sstream>

#include "clipset/error.hpp"
#include "clipset/report_format.hpp"
#include "clipset/stats.hpp"
#include "clipset/text.hpp"
#include "clipset/units.hpp"
#include "commands.hpp"

namespace clipset::app {

namespace {

struct StatsArgs {
  CommonOptions common;
  std::string input;
  std::vector<std::string> by;
  std::string format = "table";
  std::string html;
  std::size_t min_per_class = 100;
  bool agreement = false;
  std::string grid = "10ms";
  std::string collar = "200ms";
  std::string accuracy;
  std::string max_ci = "0.10";
  std::string test_split = "test";
  std::size_t quota = 0;
  std::string quota_file;
  std::string from_curve;
  std::string now;
  std::string taxonomy;
  std::size_t level = 0;
  std::vector<std::string> open_set_labels;
  bool strict = false;
};

double fraction_option(const char* flag, const std::string& text) {
  return parse_flag(flag, text, [](const std::string& t) { return parse_fraction(t); });
}

// The file's text; a missing or unreadable file is an I/O error naming it.
std::string read_text(const std::string& name) {
  InputFile file(name);
  std::ostringstream text;
  text << file.stream().rdbuf();
  return text.str();
}

// --quota N, --quota-file FILE and --from-curve FILE: targets per class and per --by value.
std::optional<QuotaOptions> quota_options(const StatsArgs& a) {
  if (a.quota == 0 && a.quota_file.empty() && a.from_curve.empty()) {
    if (!a.now.empty()) throw_usage("--now", "needs --quota, --quota-file or --from-curve");
    return std::nullopt;
  }
  QuotaOptions q;
  q.each = a.quota;
  if (!a.from_curve.empty()) {
    Json curve;
    try {
      curve = Json::parse(read_text(a.from_curve));
    } catch (const Json::parse_error&) {
      throw_data(a.from_curve, "not JSON (write it with learning-curve --format json)");
    }
    q.targets = quota_targets_from_curve(curve, a.from_curve);
  }
  if (!a.quota_file.empty()) {
    for (const auto& [key, target] : parse_quota_targets(read_text(a.quota_file), a.quota_file)) q.targets[key] = target;
  }
  if (!a.now.empty() && !quota_day(a.now)) throw_usage("--now " + a.now, "expected a date such as 2026-11-26");
  q.now = a.now;
  return q;
}

double duration_option(const char* flag, const std::string& text) {
  return parse_flag(flag, text, [](const std::string& t) { return parse_duration(t); });
}

StatsOptions to_options(const StatsArgs& a) {
  StatsOptions o;
  if (!a.by.empty()) {
    o.by.clear();
    for (const auto& field : a.by) o.by.emplace_back(trim(field));
  }
  o.min_per_class = a.min_per_class;
  if (!a.accuracy.empty()) o.accuracy = fraction_option("--accuracy", a.accuracy);
  o.max_ci = fraction_option("--max-ci", a.max_ci);
  o.test_split = std::string(trim(a.test_split));
  o.quota = quota_options(a);
  if (a.taxonomy.empty() != (a.level == 0)) {
    throw_usage(a.taxonomy.empty() ? "--level" : "--taxonomy", a.taxonomy.empty() ? "needs --taxonomy FILE: the levels are its own"
                                                                                  : "needs --level N: the depth counts roll up to (1: the top)");
  }
  if (!a.taxonomy.empty()) o.roll_up = LabelLevel{read_taxonomy(a.taxonomy), a.level};
  if (!a.open_set_labels.empty()) o.open_set_labels = trimmed_list(a.open_set_labels);
  o.strict = a.strict;
  o.jobs = effective_jobs(a.common);
  if (a.agreement) {
    AgreementOptions agreement;
    agreement.grid = duration_option("--grid", a.grid);
    agreement.collar = duration_option("--collar", a.collar);
    if (agreement.grid <= 0) throw_usage("--grid " + a.grid, "must be more than 0");
    o.agreement = agreement;
  }
  return o;
}

std::string render(const StatsReport& report, const std::string& format) {
  if (format == "json") return stats_to_json(report).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  if (format == "csv") return stats_to_csv(report);
  if (format == "markdown") return stats_to_markdown(report);
  return stats_to_table(report);
}

void warn_agreement(Reporter& report, const AgreementReport& a) {
  if (a.not_computed) report.warn("agreement: " + *a.not_computed);
  if (a.too_long > 0) {
    report.warn("left out of the agreement, too long for the --grid: " + std::to_string(a.too_long) +
                (a.too_long == 1 ? " item" : " items") + ", e.g.");
    for (const auto& example : a.too_long_examples) report.warn("  " + example);
  }
  if (a.outside_recording > 0) {
    report.warn("annotations outside their recording (clipped to it): " + std::to_string(a.outside_recording) + ", e.g.");
    for (const auto& example : a.outside_examples) report.warn("  " + example);
  }
  for (const auto& l : a.labels) {
    if (l.annotators.size() == 1) report.warn("label '" + l.label + "' is used only by " + l.annotators.front() + " (a taxonomy difference?)");
  }
}

int run_stats(const StatsArgs& args) {
  Reporter report("stats", args.common);
  refuse_clashing_files({{"manifest", args.input}, {"--taxonomy", args.taxonomy}}, {{"--html", args.html}});
  const StatsOptions options = to_options(args);
  InputFile input(args.input);
  std::unique_ptr<AtomicOutput> html;
  if (!args.html.empty()) {
    if (args.html == "-") throw_usage("--html -", "stdout carries the --format report; give a file name");
    html = std::make_unique<AtomicOutput>(args.html);
  }
  std::size_t total = 0;
  if (args.input != "-") {
    std::error_code ec;
    const auto size = std::filesystem::file_size(args.input, ec);
    if (!ec) total = static_cast<std::size_t>(size);
  }
  StatsCallbacks callbacks;
  callbacks.problem = [&](const ManifestProblem& p) { report.bad_line(p); };
  callbacks.progress = [&](std::size_t bytes) { report.progress(bytes >> 20, total >> 20, "MiB read"); };
  ManifestBlocks blocks(input);
  const StatsReport result = compute_stats(options, blocks, callbacks);
  report.finish_progress();

  std::cout << render(result, args.format);
  if (html) {
    html->stream() << stats_to_html(result, "clipset stats: " + input.display_name());
    html->commit();
  }
  report.bad_lines_summary();
  if (result.total.items == 0) report.info("empty manifest: no items");
  std::size_t under = 0;
  for (const auto& c : result.classes) under += c.under_min ? 1 : 0;
  if (under > 0) {
    report.info(std::to_string(under) + " of " + std::to_string(result.classes.size()) + " classes have fewer than " +
                std::to_string(result.min_per_class) + " items");
  }
  std::size_t wide = 0;
  for (const auto& c : result.precision.classes) wide += c.over_max ? 1 : 0;
  if (wide > 0) {
    report.info(std::to_string(wide) + " of " + std::to_string(result.precision.classes.size()) +
                " classes: accuracy measurable only to more than \u00b1" + fixed(100.0 * result.precision.max_ci, 0) +
                " points on " + (result.precision.whole_manifest ? "the whole manifest" : "split '" + result.precision.test_split + "'") +
                " (--max-ci)");
  }
  if (result.agreement) warn_agreement(report, *result.agreement);
  if (!result.outside_taxonomy.empty()) {
    std::string names;
    for (const auto& [label, items] : result.outside_taxonomy) names += (names.empty() ? "" : ", ") + label + " (" + std::to_string(items) + ")";
    report.warn("labels not in --taxonomy, counted under their own names: " + names);
  }
  return kExitOk;
}

}  // namespace

Runner setup_stats(CLI::App& app) {
  auto args = std::make_shared<StatsArgs>();
  CLI::App* cmd = app.add_subcommand("stats", "Count items, groups and seconds per class and split; annotator agreement");
  cmd->add_option("manifest", args->input, "Manifest to describe (- for stdin)")->required()->type_name("MANIFEST");
  cmd->add_option("--by", args->by, "Fields of the cells, dotted, comma-separated (default labels,split)")
      ->type_name("FIELDS")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--format", args->format, "Report on stdout: table (default), json, csv, markdown")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"table", "json", "csv", "markdown"}));
  cmd->add_option("--html", args->html, "Also write a self-contained HTML report with charts")->type_name("FILE");
  cmd->add_option("--min-per-class", args->min_per_class, "Flag classes with fewer items (default 100)")->type_name("N")
      ->check(whole_number());
  cmd->add_option("--accuracy", args->accuracy, "Expected accuracy for the test-set intervals (default 0.5, the widest)")
      ->type_name("X");
  cmd->add_option("--max-ci", args->max_ci, "Flag classes whose 95% interval half-width is over X (default 0.10)")->type_name("X");
  cmd->add_option("--test-split", args->test_split, "The split an accuracy is measured on (default test)")->type_name("NAME");
  cmd->add_flag("--agreement", args->agreement, "Annotator agreement: kappa, alpha, event F1, self-agreement, per label");
  cmd->add_option("--grid", args->grid, "Frame length for strong labels (default 10ms)")->type_name("DURATION");
  cmd->add_option("--collar", args->collar, "Event onset collar (default 200ms)")->type_name("DURATION");
  cmd->add_option("--quota", args->quota, "Target items per class and per value of the --by fields: collected, to go, when")
      ->type_name("N")
      ->check(whole_number());
  cmd->add_option("--quota-file", args->quota_file, "Targets per class or FIELD=VALUE, one 'KEY,N' a line")->type_name("FILE");
  cmd->add_option("--from-curve", args->from_curve, "Targets per class from learning-curve --target --format json")->type_name("FILE");
  cmd->add_option("--now", args->now, "Date the collection pace is measured up to (default: the newest meta.recorded_at)")
      ->type_name("DATE");
  cmd->add_option("--taxonomy", args->taxonomy, "With --level: roll label counts up this taxonomy (list, parent/child paths, AudioSet JSON)")
      ->type_name("FILE");
  cmd->add_option("--level", args->level, "Count each label under its ancestor at this depth of --taxonomy (1: the top)")
      ->type_name("N")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--open-set-labels", args->open_set_labels, "Labels outside the closed set, their share per split (default unknown,background)")
      ->type_name("LABELS")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_flag("--strict", args->strict, "Exit 1 on the first bad line");
  add_common_options(*cmd, args->common);
  cmd->footer(examples_footer({
      "clipset stats dataset.jsonl",
      "clipset stats dataset.jsonl --by meta.recorder,split --format markdown",
      "clipset stats dataset.jsonl --format json | jq '.classes.under_min'",
      "clipset stats dataset.jsonl --accuracy 0.9 --max-ci 0.05",
      "clipset stats raw.jsonl --agreement --grid 10ms --collar 200ms --html report.html",
      "clipset stats raw.jsonl --by labels,meta.recorder --quota 100 --html progress.html",
      "clipset stats raw.jsonl --from-curve curve.json --quota-file quotas.csv",
      "clipset stats raw.jsonl --taxonomy ontology.json --level 2     # counts under AudioSet's second level",
  }));
  return [args] { return run_stats(*args); };
}

}  // namespace clipset::app
