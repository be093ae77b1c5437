// clipset augment: a split manifest -> the same items, each one of the chosen splits followed by
// its augmented copies (files, or recipes with --virtual).

#include <memory>
#include <sstream>

#include "clipset/augment.hpp"
#include "clipset/error.hpp"
#include "clipset/units.hpp"
#include "augment_options.hpp"
#include "commands.hpp"

namespace clipset::app {

namespace {

struct AugmentArgs {
  CommonOptions common;
  std::string input;
  std::string output = "-";
  std::vector<std::string> splits{"train"};
  AugmentRecipeArgs recipe;
  std::uint64_t seed = 0;
  bool virtual_copies = false;
  std::string out_dir;
  std::string format = "wav";
  std::string subtype = "pcm16";
  std::string rejects;
  std::string root;
  bool strict = false;
};

AugmentOptions to_options(const AugmentArgs& a, Reporter& report) {
  AugmentOptions o;
  o.splits = trimmed_list(a.splits);
  apply_augment_recipe(a.recipe, o, report);
  o.seed = a.seed;
  o.virtual_copies = a.virtual_copies;
  if (a.virtual_copies && !a.out_dir.empty()) throw_usage("--out", "give either --out DIR or --virtual, not both");
  o.out = a.out_dir;
  if (!a.root.empty()) o.root = a.root;
  o.encoding = clip_encoding(a.format, a.subtype);
  o.jobs = effective_jobs(a.common);
  check_augment_options(o);
  return o;
}

std::string summary_line(const AugmentSummary& s, bool virtual_copies) {
  std::ostringstream line;
  line << s.copies << (s.copies == 1 ? " copy" : " copies") << " (" << format_duration(s.seconds) << ") of " << s.augmented
       << (s.augmented == 1 ? " item" : " items") << " out of " << s.items;
  if (!virtual_copies) line << "; " << s.written << " files written, " << s.unchanged << " already in place";
  if (s.failed > 0) line << "; " << s.failed << " failed";
  if (s.replaced > 0) line << "; " << s.replaced << " copies of an earlier run replaced";
  return line.str();
}

int run_augment(const AugmentArgs& args) {
  Reporter report("augment", args.common);
  refuse_clashing_files({{"manifest", args.input}, {"--noise", args.recipe.noise}}, {{"-o", args.output}, {"--rejects", args.rejects}});
  const AugmentOptions options = to_options(args, report);
  RejectsOutput rejects(args.rejects, args.output);
  InputFile input(args.input);
  ManifestReader reader(input.stream(), input.display_name());
  reader.set_strict(args.strict);
  reader.set_unique_ids(true);  // ids name copy files
  reader.on_problem([&](const ManifestProblem& p) { report.bad_line(p); });
  AtomicOutput output(args.output);
  ManifestWriter writer(output.stream(), output.display_name());

  AugmentCallbacks callbacks;
  callbacks.item = [&](const Item& item) { writer.write(item); };
  callbacks.rejected = [&](const Rejection& r) {
    report.warn(r.path + ": " + r.reason);
    rejects.write(r);
  };
  callbacks.progress = [&](std::size_t done) { report.progress(done, 0, "items"); };
  const AugmentSummary summary = augment(reader, options, callbacks);
  report.finish_progress();
  output.commit();
  rejects.commit();
  report.info(summary_line(summary, options.virtual_copies));
  if (summary.items > 0 && summary.augmented == 0) {
    std::string names;
    for (const auto& s : options.splits) names += (names.empty() ? "" : ",") + s;
    report.warn("no item is in the splits augmented (" + names + "): give --splits, or run split first");
  }
  report.bad_lines_summary();
  if (args.strict && (summary.failed > 0 || reader.problem_count() > 0)) return kExitData;
  return kExitOk;
}

}  // namespace

Runner setup_augment(CLI::App& app) {
  auto args = std::make_shared<AugmentArgs>();
  CLI::App* cmd = app.add_subcommand("augment", "Add augmented copies of training clips that never leak across splits");
  cmd->add_option("manifest", args->input, "Split manifest to augment (- for stdin)")->required()->type_name("MANIFEST");
  cmd->add_option("-o,--output", args->output, "Manifest to write, atomically: every item, each followed by its copies (default: -)")
      ->type_name("FILE");
  cmd->add_option("--splits", args->splits, "Splits whose items get copies (default: train)")
      ->type_name("SPLITS")
      ->delimiter(',')
      ->allow_extra_args(false);
  add_augment_recipe_options(*cmd, args->recipe);
  cmd->add_option("--seed", args->seed, "Seed of every draw (default 0)")->type_name("N")->check(whole_number());
  cmd->add_flag("--virtual", args->virtual_copies, "Write no audio: copies are recipes, rendered by export and learning-curve");
  cmd->add_option("--out", args->out_dir, "Folder for the copies' files")->type_name("DIR");
  cmd->add_option("--format", args->format, "Copy files: wav (default) or flac")->type_name("FMT")->check(CLI::IsMember({"wav", "flac"}));
  cmd->add_option("--subtype", args->subtype, "Samples: pcm16 (default), pcm24, float")
      ->type_name("TYPE")
      ->check(CLI::IsMember({"pcm16", "pcm24", "float"}));
  cmd->add_option("--rejects", args->rejects, "Write items that got no copies, with the reasons, as JSON Lines")->type_name("FILE");
  cmd->add_option("--root", args->root, "Resolve relative paths against this folder (default: the working directory)")->type_name("DIR");
  cmd->add_flag("--strict", args->strict, "Exit 1 when a copy failed or a manifest line was bad");
  add_common_options(*cmd, args->common);
  cmd->footer(examples_footer({
      "clipset augment dataset.jsonl --copies 2 --gain -6..6dB --speed 0.9..1.1 --out aug/ -o augmented.jsonl",
      "clipset augment dataset.jsonl --shift --noise background.jsonl --snr 0..20dB --out aug/ -o augmented.jsonl",
      "clipset augment dataset.jsonl --splits train,val --copies 3 --gain -3..3dB --virtual -o augmented.jsonl",
  }));
  return [args] { return run_augment(*args); };
}

}  // namespace clipset::app
