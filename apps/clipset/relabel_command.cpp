// clipset relabel: a manifest -> the same items with their labels renamed onto a taxonomy
// (--map), and labels outside it made one "unknown" class (--unknown).

#include <filesystem>
#include <memory>

#include "clipset/error.hpp"
#include "clipset/label_rewrite.hpp"
#include "commands.hpp"
#include "label_rewrite_options.hpp"

namespace clipset::app {

namespace {

struct RelabelArgs {
  CommonOptions common;
  std::string input;
  std::string output = "-";
  LabelRewriteArgs relabel;
  bool strict = false;
};

std::string labels_line(const RelabelSummary& s) {
  std::string line = "labels:";
  if (s.per_label.empty()) line += " none";
  bool first = true;
  for (const auto& [label, items] : s.per_label) {
    line += (first ? " " : ", ") + label + " " + std::to_string(items);
    first = false;
  }
  return line;
}

int run_relabel(const RelabelArgs& args) {
  Reporter report("relabel", args.common);
  // -o may replace the manifest it reads: the output appears atomically after the last line.
  refuse_clashing_files(label_rewrite_inputs(args.relabel), {{"-o", args.output}});
  const LabelRewrite rewrite = label_rewrite_from(args.relabel);
  if (!rewrite.map && !rewrite.unknown) {
    throw_usage("", "nothing to rewrite: give --map MAP.tsv, or --taxonomy FILE with --unknown LABEL, or both");
  }
  InputFile input(args.input);
  AtomicOutput output(args.output);

  std::error_code ec;
  const auto total = args.input == "-" ? 0 : std::filesystem::file_size(args.input, ec);
  RelabelCallbacks callbacks;
  callbacks.problem = [&](const ManifestProblem& p) { report.bad_line(p); };
  callbacks.progress = [&](std::size_t bytes) { report.progress(bytes >> 20, (ec ? 0 : total) >> 20, "MiB read"); };
  ManifestBlocks blocks(input);
  const RelabelSummary summary =
      relabel_manifest(rewrite, blocks, output.stream(), output.display_name(), effective_jobs(args.common), args.strict, callbacks);
  report.finish_progress();
  output.commit();

  report.bad_lines_summary();
  report.info(std::to_string(summary.items) + (summary.items == 1 ? " item, " : " items, ") + std::to_string(summary.tally.items_changed) +
              " relabelled");
  report.info(labels_line(summary));
  report_label_rewrite(report, rewrite, summary.tally);
  return kExitOk;
}

}  // namespace

Runner setup_relabel(CLI::App& app) {
  auto args = std::make_shared<RelabelArgs>();
  CLI::App* cmd = app.add_subcommand("relabel", "Rename labels onto a taxonomy; labels outside it become one unknown class");
  cmd->add_option("manifest", args->input, "Manifest to relabel (- for stdin)")->required()->type_name("MANIFEST");
  cmd->add_option("-o,--output", args->output, "Manifest to write, atomically; may be the input (default: - for stdout)")->type_name("FILE");
  add_label_rewrite_options(*cmd, args->relabel);
  cmd->add_flag("--strict", args->strict, "Exit 1 on the first bad line");
  add_common_options(*cmd, args->common);
  cmd->footer(examples_footer({
      "clipset relabel raw.jsonl --map audioset.tsv -o raw.jsonl",
      "clipset relabel raw.jsonl --taxonomy classes.txt --unknown unknown -o open.jsonl",
      "clipset relabel raw.jsonl --map audioset.tsv --taxonomy ontology.json --unknown /m/unknown -o mapped.jsonl",
  }));
  return [args] { return run_relabel(*args); };
}

}  // namespace clipset::app
