// clipset validate: a manifest -> findings on stdout, exit 1 when any is an error.

#include <iterator>
#include <memory>

#include "clipset/error.hpp"
#include "clipset/licenses.hpp"
#include "clipset/manifest.hpp"
#include "clipset/text.hpp"
#include "clipset/units.hpp"
#include "clipset/validate.hpp"
#include "commands.hpp"
#include "shard_option.hpp"
#include "validate_report.hpp"

namespace clipset::app {

namespace {

struct ValidateArgs {
  CommonOptions common;
  std::string input;
  std::string output = "-";
  std::string root;
  bool hash = false;
  bool decode = false;
  std::string taxonomy;
  bool leaf_only = false;
  std::size_t min_per_class = 0;
  std::vector<std::string> orphans;
  bool per_split = false;
  std::string ratios;
  std::vector<std::string> names;
  std::string tolerance = "0.05";
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  std::vector<std::string> warn_only;
  std::string allow_license;
  bool single_label = false;
  bool open_set = false;
  std::vector<std::string> open_set_labels;
  std::size_t max_findings = 0;
  std::string format = "human";
  std::string shard;
};

std::set<std::string> id_set(const std::vector<std::string>& list) {
  std::set<std::string> ids;
  for (const auto& entry : list) {
    if (const auto id = trim(entry); !id.empty()) ids.emplace(id);
  }
  return ids;
}

// --allow-license: SPDX ids, common spellings read as them; a text that names no licence clipset
// knows is a typo unless it is a LicenseRef- of the user's own.
std::vector<std::string> allowed_licenses(const std::string& list) {
  if (list.empty()) return {};
  std::vector<std::string> ids;
  for (const auto& id : read_license_list(list)) {
    if (!read_license(id).recognised && id.rfind("LicenseRef-", 0) != 0) {
      throw_usage("--allow-license " + id, "not a licence clipset knows (SPDX ids such as CC0-1.0, CC-BY-4.0, or LicenseRef-...)");
    }
    ids.push_back(id);
  }
  if (ids.empty()) throw_usage("--allow-license " + list, "names no licence");
  return ids;
}

ValidateOptions to_options(const ValidateArgs& a) {
  ValidateOptions o;
  o.root = a.root;
  o.hash = a.hash;
  o.decode = a.decode;
  if (!a.taxonomy.empty()) o.taxonomy = read_taxonomy(a.taxonomy);
  if (a.leaf_only && !o.taxonomy) throw_usage("--leaf-only", "needs --taxonomy FILE");
  o.leaf_only = a.leaf_only;
  o.min_per_class = a.min_per_class;
  o.orphans.assign(a.orphans.begin(), a.orphans.end());
  if (a.per_split && a.min_per_class == 0) throw_usage("--per-split", "needs --min-per-class N");
  o.per_split = a.per_split;
  if (!a.ratios.empty()) {
    o.ratios = parse_flag("--ratios", a.ratios, [](const std::string& t) { return parse_ratios(t); });
  }
  if (!a.names.empty()) {
    o.names.clear();
    for (const auto& name : a.names) o.names.emplace_back(trim(name));
  }
  if (!o.ratios.empty() && o.names.size() != o.ratios.size()) {
    throw_usage("--names", std::to_string(o.names.size()) + " names for " + std::to_string(o.ratios.size()) + " ratios");
  }
  o.ratio_tolerance = parse_flag("--tolerance", a.tolerance, [](const std::string& t) { return parse_fraction(t); });
  o.select = id_set(a.select);
  o.ignore = id_set(a.ignore);
  o.warn_only = id_set(a.warn_only);
  o.allowed_licenses = allowed_licenses(a.allow_license);
  o.single_label = a.single_label;
  o.open_set = a.open_set;
  if (!a.open_set_labels.empty()) {
    if (!a.open_set) throw_usage("--open-set-labels", "needs --open-set");
    o.open_set_labels = trimmed_list(a.open_set_labels);
  }
  o.jobs = effective_jobs(a.common);
  o.shard = shard_option(a.shard);
  if (o.shard && a.format != "json") {
    throw_usage("--shard", "writes findings for clipset merge, which reads JSON Lines; add --format json");
  }
  if (o.shard && a.max_findings > 0) throw_usage("--max-findings", "cannot be combined with --shard (cut the merged findings)");
  return o;
}

std::string count_text(std::size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

int run_validate(const ValidateArgs& args) {
  Reporter report("validate", args.common);
  refuse_clashing_files({{"manifest", args.input}, {"--taxonomy", args.taxonomy}}, {{"-o", args.output}});
  const ValidateOptions options = to_options(args);
  // Open everything first: a bad path fails before a long run.
  InputFile input(args.input);
  AtomicOutput output(args.output);

  ValidateCallbacks callbacks;
  callbacks.files_checked = [&](std::size_t done, std::size_t total) { report.progress(done, total, "files"); };
  const ValidateResult result = validate_manifest(options, input.stream(), input.display_name(), callbacks);
  report.finish_progress();
  if (options.shard) {
    RecordOutput shard(output.stream(), output.display_name(),
                       ShardHeader{"validate", validate_settings_digest(options), *options.shard, {}});
    for (const auto& finding : result.findings) shard.write(json_line(result, finding), finding_order(finding));
  } else {
    write_findings(output.stream(), result, args.format, args.max_findings);
  }
  output.commit();

  if (args.max_findings > 0 && result.findings.size() > args.max_findings) {
    report.warn("showing the first " + std::to_string(args.max_findings) + " of " + std::to_string(result.findings.size()) +
                " findings (--max-findings)");
  }
  std::string summary = result.manifest + ": " + count_text(result.items, "item", "items") + ", " +
                        count_text(result.files, "file", "files") + " checked: ";
  if (result.findings.empty()) summary += "no findings";
  else summary += count_text(result.errors, "error", "errors") + ", " + count_text(result.warnings, "warning", "warnings");
  if (result.errors > 0) report.warn(summary);
  else report.info(summary);
  return result.errors > 0 ? kExitData : kExitOk;
}

std::string check_list() {
  std::string text = "\nChecks (severity):\n";
  for (const auto& c : validate_checks()) {
    const char* option = needed_option(c.needs);
    text += "  " + std::string(c.id) + " (" + severity_name(c.severity) + (option ? ", with " + spell_flags(option) : "") + "): " +
            spell_flags(c.summary) + "\n";
  }
  return text;
}

}  // namespace

Runner setup_validate(CLI::App& app) {
  auto args = std::make_shared<ValidateArgs>();
  CLI::App* cmd = app.add_subcommand("validate", "Check a dataset: schema, files, hashes, audio, leaks, labels, classes, splits");
  cmd->add_option("manifest", args->input, "Manifest to check (- for stdin)")->required()->type_name("MANIFEST");
  cmd->add_option("-o,--output", args->output, "Write the findings here, atomically (default: - for stdout)")->type_name("FILE");
  cmd->add_option("--format", args->format, "Findings as human lines (default), json (JSON Lines), junit (XML) or github")
      ->type_name("FORMAT")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(kValidateFormats), std::end(kValidateFormats))));
  cmd->add_option("--root", args->root, "Resolve relative paths against DIR (default: the working directory)")->type_name("DIR");
  cmd->add_flag("--hash", args->hash, "Hash every file and compare with its sha256 (hash-mismatch)");
  cmd->add_flag("--decode", args->decode, "Decode every file in full (decode-error, audio-mismatch)");
  cmd->add_option("--taxonomy", args->taxonomy, "Known labels: a list, parent/child paths, or AudioSet ontology JSON")
      ->type_name("FILE");
  cmd->add_flag("--leaf-only", args->leaf_only, "Labels must be leaves of the taxonomy (non-leaf-label)");
  cmd->add_option("--min-per-class", args->min_per_class, "Each class needs at least N items (starved-class)")->type_name("N")
      ->check(whole_number());
  cmd->add_flag("--per-split", args->per_split, "Count --min-per-class within each split");
  cmd->add_option("--orphans", args->orphans, "A clip folder whose every file a record should name (orphan-file; repeatable)")
      ->type_name("DIR")
      ->allow_extra_args(false);
  cmd->add_option("--ratios", args->ratios, "Expected split shares, e.g. 80,10,10 (split-ratio)")->type_name("R,R,...");
  cmd->add_option("--names", args->names, "Split names, one per ratio (default train,val,test)")
      ->type_name("NAMES")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--tolerance", args->tolerance, "Allowed share difference for --ratios: 0.05 (default) or 5%")->type_name("X");
  cmd->add_option("--allow-license", args->allow_license, "Licences items may have, e.g. CC0-1.0,CC-BY-4.0 (license)")
      ->type_name("LIST");
  cmd->add_flag("--single-label", args->single_label, "Each item has at most one label (multi-label)");
  cmd->add_flag("--open-set", args->open_set, "Test holds unknown examples and no class unseen in train (open-set)");
  cmd->add_option("--open-set-labels", args->open_set_labels, "The labels outside the closed set (default unknown,background)")
      ->type_name("LABELS")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--select", args->select, "Run only these checks")->type_name("CHECK,...")->delimiter(',')->allow_extra_args(false);
  cmd->add_option("--ignore", args->ignore, "Skip these checks")->type_name("CHECK,...")->delimiter(',')->allow_extra_args(false);
  cmd->add_option("--warn-only", args->warn_only, "Report these checks as warnings (exit 0 for them)")
      ->type_name("CHECK,...")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--max-findings", args->max_findings, "Show at most N findings (the exit status counts all)")->type_name("N")
      ->check(whole_number());
  add_shard_option(*cmd, args->shard);
  add_common_options(*cmd, args->common);
  cmd->footer(check_list() + examples_footer({
      "clipset validate dataset.jsonl",
      "clipset validate dataset.jsonl --hash --decode --jobs 4",
      "clipset validate dataset.jsonl --taxonomy labels.txt --min-per-class 100 --per-split",
      "clipset validate dataset.jsonl --ratios 80,10,10 --tolerance 2% --warn-only split-ratio",
      "clipset validate dataset.jsonl --hash --format junit -o validate.xml",
      "clipset validate dataset.jsonl --allow-license CC0-1.0,CC-BY-4.0 --warn-only license",
      "clipset validate dataset.jsonl --format github --ignore duplicate-content",
      "clipset validate dataset.jsonl --hash --decode --format json --shard auto -o findings.$SLURM_ARRAY_TASK_ID.jsonl",
  }) + "\nExit status: 0 no error-level finding, 1 error-level findings, 2 usage error, 3 unreadable manifest or I/O error.\n");
  return [args] { return run_validate(*args); };
}

}  // namespace clipset::app
