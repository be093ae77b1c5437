// clipset learning-curve: a dataset -> how the score grows with training data, on stderr as a
// table, on stdout as JSON or CSV, as an SVG plot, and how much data a target needs.

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>

#include "clipset/error.hpp"
#include "clipset/learning_curve.hpp"
#include "clipset/manifest.hpp"
#include "clipset/units.hpp"
#include "augment_options.hpp"
#include "commands.hpp"
#include "shard_option.hpp"

namespace clipset::app {

namespace {

constexpr std::size_t kNamedUnreadable = 20;

struct CurveArgs {
  CommonOptions common;
  std::string input;
  std::string output = "-";
  std::string format;
  std::string plot;
  std::string export_features;
  std::string root;
  std::string train_split = "train";
  std::string eval_split = "val";
  std::string sizes;
  std::size_t steps = 8;
  std::size_t repeats = 5;
  std::uint64_t seed = 0;
  std::string metric = "accuracy";
  std::string target;
  bool per_class = false;
  std::size_t bootstrap = 1000;
  std::string cache;
  std::string annotations;
  bool no_cache = false;
  std::string shard;
  std::string window = "25ms";
  std::string hop = "10ms";
  int mel_bands = 64;
  double min_hz = 0;
  double max_hz = 0;
  bool deltas = false;
  double c = 1.0;
  int max_iterations = 200;
  bool augment = false;
  AugmentRecipeArgs recipe;
};

std::string format_score(double score) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", score);
  return text;
}

double parse_seconds(const std::string& flag, const std::string& text) {
  return parse_flag(flag, text, [](const std::string& t) { return parse_duration(t); });
}

LearningCurveOptions to_options(const CurveArgs& a) {
  LearningCurveOptions o;
  o.root = a.root;
  o.train_split = a.train_split;
  o.eval_split = a.eval_split;
  if (!a.sizes.empty()) o.sizes = parse_sizes(a.sizes);
  o.steps = a.steps;
  o.repeats = a.repeats;
  o.seed = a.seed;
  o.metric = parse_metric(a.metric);
  if (!a.target.empty()) {
    o.target = parse_flag("--target", a.target, [](const std::string& t) { return parse_fraction(t); });
  }
  o.bootstrap = a.bootstrap;
  o.annotations = a.annotations;
  if (!a.no_cache) o.cache_dir = a.cache.empty() ? default_cache_dir("features") : a.cache;
  o.features.window_seconds = parse_seconds("--window", a.window);
  o.features.hop_seconds = parse_seconds("--hop", a.hop);
  o.features.mel_bands = a.mel_bands;
  o.features.min_hz = a.min_hz;
  o.features.max_hz = a.max_hz;
  o.features.deltas = a.deltas;
  if (!(a.c > 0)) throw_usage("--C", "must be above 0");
  o.classifier.inverse_regularization = a.c;
  o.classifier.max_iterations = a.max_iterations;
  o.jobs = effective_jobs(a.common);
  o.keep_features = !a.export_features.empty();
  o.shard = shard_option(a.shard);
  o.augmented_curve = a.augment;
  if (a.recipe.any() && !a.augment) throw_usage("--augment", "is needed by --shift, --gain, --speed and --noise (they shape its copies)");
  if (o.shard && a.augment) throw_usage("--augment", "draws a curve; a shard only fills the feature cache");
  return o;
}

// --augment with a recipe: the manifest with virtual copies of its training items, made in memory
// as `clipset augment --virtual` would with the same options and --seed.
std::string with_copies(const CurveArgs& args, InputFile& input, Reporter& report) {
  AugmentOptions o;
  apply_augment_recipe(args.recipe, o, report);
  o.splits = {args.train_split};
  o.seed = args.seed;
  o.virtual_copies = true;
  if (!args.root.empty()) o.root = args.root;
  o.jobs = effective_jobs(args.common);
  check_augment_options(o);
  ManifestReader reader(input.stream(), input.display_name());
  reader.set_unique_ids(true);
  reader.on_problem([&](const ManifestProblem& p) { report.bad_line(p); });
  std::ostringstream text;
  ManifestWriter writer(text, "(copies in memory)");
  AugmentCallbacks callbacks;
  callbacks.item = [&](const Item& item) { writer.write(item); };
  callbacks.rejected = [&](const Rejection& r) { report.warn(r.path + ": no copies: " + r.reason); };
  const AugmentSummary summary = augment(reader, o, callbacks);
  report.info("--augment: " + std::to_string(summary.copies) + " virtual copies of " + std::to_string(summary.augmented) +
              " training items, made in memory");
  return text.str();
}

// --shard: this shard's features into the cache, no curve (docs/recipes/scale.md).
int fill_cache_command(const CurveArgs& args, const LearningCurveOptions& options, Reporter& report) {
  for (const auto& [flag, value] : {std::pair<const char*, const std::string*>{"--format", &args.format},
                                    {"--plot", &args.plot}, {"--export-features", &args.export_features}}) {
    if (!value->empty()) throw_usage(flag, "a shard only fills the feature cache; draw the curve in one run after the shards");
  }
  if (options.cache_dir.empty()) throw_usage("--shard", "fills the feature cache: give --cache DIR (not --no-cache)");
  InputFile input(args.input);
  LearningCurveCallbacks callbacks;
  callbacks.problem = [&](const ManifestProblem& p) { report.bad_line(p); };
  callbacks.unreadable = [&](const std::string& id, const std::string& reason) { report.warn(id + ": left out: " + reason); };
  callbacks.progress = [&](std::size_t done, std::size_t total, const char* unit) { report.progress(done, total, unit); };
  callbacks.cache_note = [&](const std::string& note) { report.warn(note); };
  const FeatureFillSummary s = fill_feature_cache(options, input.stream(), input.display_name(), callbacks);
  report.finish_progress();
  report.bad_lines_summary(false);
  report.info("shard " + options.shard->text() + ": " + std::to_string(s.clips) + " clips: " + std::to_string(s.extracted) +
              " extracted, " + std::to_string(s.cached) + " already cached, " + std::to_string(s.unreadable) +
              " unreadable; " + std::to_string(s.other_shards) + " left to other shards; cache " + options.cache_dir.string());
  if (s.uncacheable > 0) report.warn(std::to_string(s.uncacheable) + " clips have no sha256: their features cannot be cached");
  return kExitOk;
}

int run_learning_curve_command(const CurveArgs& args) {
  Reporter report("learning-curve", args.common);
  refuse_clashing_files({{"manifest", args.input}, {"--annotations", args.annotations}},
                        {{"-o", args.output}, {"--plot", args.plot}, {"--export-features", args.export_features}});
  const LearningCurveOptions options = to_options(args);
  if (options.shard) return fill_cache_command(args, options, report);
  if (!args.format.empty() && args.output == "-" && (args.plot == "-" || args.export_features == "-")) {
    throw_usage("-", "stdout can take one of --format, --plot and --export-features; give the others a file");
  }
  if (args.plot == "-" && args.export_features == "-") throw_usage("--plot - --export-features -", "both on stdout");
  // The first run that creates the default cache says where it is: a folder appearing in the
  // user's home unannounced is a surprise.
  std::error_code ec;
  if (!options.cache_dir.empty() && args.cache.empty() && !std::filesystem::exists(options.cache_dir, ec)) {
    report.info("caching features in " + options.cache_dir.string() + " (--cache DIR puts them elsewhere, --no-cache nowhere)");
  }
  // Open everything first: a bad path fails before a long run.
  InputFile input(args.input);
  std::unique_ptr<AtomicOutput> output, plot, features;
  if (!args.format.empty()) output = std::make_unique<AtomicOutput>(args.output);
  if (!args.plot.empty()) plot = std::make_unique<AtomicOutput>(args.plot);
  if (!args.export_features.empty()) features = std::make_unique<AtomicOutput>(args.export_features);

  std::size_t unreadable = 0;
  LearningCurveCallbacks callbacks;
  callbacks.problem = [&](const ManifestProblem& p) { report.bad_line(p); };
  callbacks.unreadable = [&](const std::string& id, const std::string& reason) {
    ++unreadable;
    if (args.common.verbose || unreadable <= kNamedUnreadable) report.warn(id + ": left out: " + reason);
  };
  callbacks.progress = [&](std::size_t done, std::size_t total, const char* unit) { report.progress(done, total, unit); };
  callbacks.cache_note = [&](const std::string& note) { report.warn(note); };
  std::istringstream copies;
  if (args.augment && args.recipe.any()) copies.str(with_copies(args, input, report));
  std::istream& manifest = args.augment && args.recipe.any() ? static_cast<std::istream&>(copies) : input.stream();
  LearningCurveResult result = run_learning_curve(options, manifest, input.display_name(), callbacks);
  for (std::string& note : result.notes) note = spell_flags(note);  // the table, JSON and CSV all say --max-iter
  report.finish_progress();
  report.bad_lines_summary(false);  // bad lines are always skipped: no --strict
  if (unreadable > kNamedUnreadable && !args.common.verbose) {
    report.warn("left out " + std::to_string(unreadable) + " unreadable clips in all (--verbose names every one)");
  }

  if (result.multi_label > 0) {
    report.warn("left out " + std::to_string(result.multi_label) + (result.multi_label == 1 ? " clip" : " clips") +
                " with several labels: the curve is that of a single-label classifier");
  }
  if (result.target && result.ceiling && result.target->target > result.ceiling->agreement) {
    report.warn("--target " + format_score(result.target->target) + " is above the annotators' agreement (" +
                format_score(result.ceiling->agreement) + "): a model scored against these labels rarely gets there; "
                "it asks for better labels, not more data");
  }
  if (output) output->stream() << (args.format == "json" ? curve_json(result, args.per_class) : curve_csv(result, args.per_class));
  if (plot) plot->stream() << curve_svg(result);
  if (features) write_features_csv(features->stream(), result.exported);
  for (auto* out : {output.get(), plot.get(), features.get()}) {
    if (out) out->commit();
  }
  report.block(curve_table(result));
  return kExitOk;
}

}  // namespace

Runner setup_learning_curve(CLI::App& app) {
  auto args = std::make_shared<CurveArgs>();
  CLI::App* cmd = app.add_subcommand("learning-curve", "How the score grows with training data, and how much a target needs");
  cmd->add_option("manifest", args->input, "Dataset with train and val splits (- for stdin)")->required()->type_name("MANIFEST");
  cmd->add_option("--format", args->format, "Also write the curve to stdout (or -o) as json or csv")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"json", "csv"}));
  cmd->add_option("-o,--output", args->output, "Where --format writes, atomically (default: - for stdout)")->type_name("FILE");
  cmd->add_option("--plot", args->plot, "Draw the curve as SVG")->type_name("FILE");
  cmd->add_option("--export-features", args->export_features, "Write every clip's features as CSV (id,split,label,f0,...)")
      ->type_name("FILE");
  cmd->add_option("--target", args->target, "The score to reach: 0.9 or 90%; says how many training clips it needs")
      ->type_name("SCORE");
  cmd->add_option("--metric", args->metric, "accuracy (default), macro-f1 or balanced-accuracy")
      ->type_name("METRIC")
      ->check(CLI::IsMember({"accuracy", "macro-f1", "balanced-accuracy"}));
  cmd->add_option("--sizes", args->sizes, "Training sizes: counts or shares, e.g. 100,500,25%,100% (default: geometric)")
      ->type_name("N,...");
  cmd->add_option("--steps", args->steps, "Number of default sizes, from 5 per class to all of train (default 8)")
      ->type_name("K")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100}));
  cmd->add_option("--repeats", args->repeats, "Random subsets per size, drawn by group (default 5)")
      ->type_name("R")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
  cmd->add_option("--seed", args->seed, "Seed of the subsets and the bootstrap (default 0)")->type_name("N")
      ->check(whole_number());
  cmd->add_flag("--augment", args->augment,
                "Two curves: without and with augmented copies of the training clips (the manifest's, or made with the options below)");
  add_augment_recipe_options(*cmd, args->recipe);
  cmd->add_option("--train-split", args->train_split, "Split to train on (default train)")->type_name("NAME");
  cmd->add_option("--eval-split", args->eval_split, "Split to score on (default val)")->type_name("NAME");
  cmd->add_flag("--per-class", args->per_class, "Per-class precision, recall and F1 in --format output");
  cmd->add_option("--bootstrap", args->bootstrap, "Resamples for the target's interval (default 1000)")
      ->type_name("N")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  cmd->add_option("--cache", args->cache, "Feature cache folder (default: $XDG_CACHE_HOME/clipset/features)")->type_name("DIR");
  cmd->add_option("--annotations", args->annotations,
                  "The recordings' manifest (ingest's): their annotations give the annotator-agreement ceiling")
      ->type_name("MANIFEST");
  cmd->add_flag("--no-cache", args->no_cache, "Neither read nor write the feature cache");
  cmd->add_option("--root", args->root, "Resolve relative paths against DIR (default: the working directory)")->type_name("DIR");
  cmd->add_option("--window", args->window, "Analysis window (default 25ms)")->type_name("DUR");
  cmd->add_option("--hop", args->hop, "Window hop (default 10ms)")->type_name("DUR");
  cmd->add_option("--mel-bands", args->mel_bands, "Mel bands (default 64)")->type_name("N")->check(CLI::Range(1, 512));
  cmd->add_option("--fmin", args->min_hz, "Lowest mel frequency, Hz (default 0)")->type_name("HZ")->check(non_negative_number());
  cmd->add_option("--fmax", args->max_hz, "Highest mel frequency, Hz (default: half the sample rate)")
      ->type_name("HZ")
      ->check(non_negative_number());
  cmd->add_flag("--deltas", args->deltas, "Also summarise the frame-to-frame differences");
  cmd->add_option("--C", args->c, "Inverse L2 strength of the logistic regression, as scikit-learn's C (default 1)")
      ->type_name("C");
  cmd->add_option("--max-iter", args->max_iterations, "L-BFGS iterations per model (default 200)")
      ->type_name("N")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--shard", args->shard,
                  "Only extract shard I of N's features into --cache, no curve (then draw it in one run): I/N, auto or auto/N")
      ->type_name("I/N");
  add_common_options(*cmd, args->common);
  cmd->footer(examples_footer({
                  "clipset learning-curve dataset.jsonl --target 0.9 --plot curve.svg",
                  "clipset learning-curve dataset.jsonl --annotations raw.jsonl --target 0.95   # with the annotators' ceiling",
                  "clipset learning-curve dataset.jsonl --format json | jq '.target.total'",
                  "clipset learning-curve dataset.jsonl --sizes 50,100,200,400 --repeats 10 --metric macro-f1",
                  "clipset learning-curve dataset.jsonl --eval-split test --format csv -o curve.csv",
                  "clipset learning-curve dataset.jsonl --export-features features.csv --no-cache",
                  "clipset learning-curve dataset.jsonl --cache /shared/cache --shard auto   # per shard, then one run draws",
                  "clipset learning-curve dataset.jsonl --augment --gain -6..6dB --speed 0.9..1.1 --plot curves.svg   # do copies help?",
              }) +
              "\nExit status: 0 curve measured, 1 unusable data (nothing readable to train or score), 2 usage error, 3 I/O error.\n");
  return [args] { return run_learning_curve_command(*args); };
}

}  // namespace clipset::app
