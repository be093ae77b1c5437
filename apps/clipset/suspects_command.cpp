// clipset suspects: a split dataset -> the clips most likely mislabelled, most suspect first, as
// manifest lines with `suspect` added; a review page to listen to them; Audacity label tracks.

#include <filesystem>
#include <memory>

#include "clipset/error.hpp"
#include "clipset/manifest.hpp"
#include "clipset/paths.hpp"
#include "clipset/suspects.hpp"
#include "commands.hpp"

namespace clipset::app {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kNamedLeftOut = 20;

struct SuspectsArgs {
  CommonOptions common;
  std::string input;
  std::string output = "-";
  std::string html;
  std::string audacity;
  std::string root;
  std::size_t folds = 5;
  std::uint64_t seed = 0;
  std::string cache;
  bool no_cache = false;
};

SuspectsOptions to_options(const SuspectsArgs& a) {
  SuspectsOptions o;
  o.root = a.root;
  o.folds = a.folds;
  o.seed = a.seed;
  if (!a.no_cache) o.cache_dir = a.cache.empty() ? default_cache_dir("features") : a.cache;
  o.jobs = effective_jobs(a.common);
  return o;
}

fs::path absolute_normal(const fs::path& p) { return fs::absolute(p).lexically_normal(); }

// The audio of a suspect as a path relative to the page: its clip file, or the recording a
// virtual clip is cut from.
std::string link_from(const fs::path& page_folder, const ClipOrigin& origin, const fs::path& root) {
  const std::string& path = origin.clip_path.empty() ? origin.recording_path : origin.clip_path;
  const fs::path file = absolute_normal(resolve_path(path, root));
  const fs::path relative = file.lexically_relative(page_folder);
  return (relative.empty() ? file : relative).generic_string();
}

// Items left out are named up to a point (all with --verbose); classes always.
SuspectsCallbacks make_callbacks(Reporter& report, const SuspectsArgs& args, std::size_t& named) {
  SuspectsCallbacks callbacks;
  callbacks.problem = [&report](const ManifestProblem& p) { report.bad_line(p); };
  callbacks.left_out = [&report, &args, &named](const std::string& subject, const std::string& reason) {
    const bool is_class = subject.rfind("class '", 0) == 0;
    if (!is_class && ++named > kNamedLeftOut && !args.common.verbose) return;
    report.warn(subject + ": left out: " + reason);
  };
  callbacks.progress = [&report](std::size_t done, std::size_t total, const char* unit) { report.progress(done, total, unit); };
  callbacks.cache_note = [&report](const std::string& note) { report.warn(note); };
  return callbacks;
}

int run_suspects_command(const SuspectsArgs& args) {
  Reporter report("suspects", args.common);
  refuse_clashing_files({{"manifest", args.input}}, {{"-o", args.output}, {"--html", args.html}});
  if (args.html == "-" && args.output == "-") throw_usage("--html -", "stdout already takes the suspects; give the page a file");
  const SuspectsOptions options = to_options(args);
  // Open everything first: a bad path fails before a long run.
  InputFile input(args.input);
  AtomicOutput output(args.output);
  std::unique_ptr<AtomicOutput> html;
  if (!args.html.empty()) html = std::make_unique<AtomicOutput>(args.html);

  std::size_t named = 0;
  const SuspectsResult result = find_suspects(options, input.stream(), input.display_name(), make_callbacks(report, args, named));
  report.finish_progress();
  report.bad_lines_summary(false);
  if (named > kNamedLeftOut && !args.common.verbose) {
    report.warn("left out " + std::to_string(named) + " items in all (--verbose names every one)");
  }
  for (const Suspect& s : result.suspects) output.stream() << s.record << '\n';
  if (html) {
    const fs::path page_folder = absolute_normal(args.html == "-" ? fs::path(".") : fs::path(args.html)).parent_path();
    html->stream() << suspects_html(result, [&](const ClipOrigin& o) { return link_from(page_folder, o, options.root); });
  }
  if (!args.audacity.empty()) {
    const auto tracks = write_suspect_tracks(result, args.audacity);
    report.info("wrote " + std::to_string(tracks.size()) + " label tracks under " + args.audacity);
  }
  output.commit();
  if (html) html->commit();
  report.block(suspects_summary(result));
  return kExitOk;
}

}  // namespace

Runner setup_suspects(CLI::App& app) {
  auto args = std::make_shared<SuspectsArgs>();
  CLI::App* cmd = app.add_subcommand("suspects", "The clips most likely mislabelled, most suspect first, to listen to and fix");
  cmd->add_option("manifest", args->input, "Split dataset (- for stdin)")->required()->type_name("DATASET");
  cmd->add_option("-o,--output", args->output, "Write the suspects' lines here, atomically (default: - for stdout)")
      ->type_name("FILE");
  cmd->add_option("--folds", args->folds, "Cross-validation folds, by group: no clip scored by a model that saw its recording (default 5)")
      ->type_name("K")
      ->check(CLI::Range(std::size_t{2}, std::size_t{100}));
  cmd->add_option("--html", args->html, "A review page: a player per suspect, given and suggested label")->type_name("FILE");
  cmd->add_option("--audacity", args->audacity, "A label track per recording marking its suspects, under DIR")->type_name("DIR");
  cmd->add_option("--seed", args->seed, "Seed of the order groups are dealt to folds (default 0)")->type_name("N")->check(whole_number());
  cmd->add_option("--cache", args->cache, "Feature cache folder, shared with learning-curve (default: $XDG_CACHE_HOME/clipset/features)")
      ->type_name("DIR");
  cmd->add_flag("--no-cache", args->no_cache, "Neither read nor write the feature cache");
  cmd->add_option("--root", args->root, "Resolve relative paths against DIR (default: the working directory)")->type_name("DIR");
  add_common_options(*cmd, args->common);
  cmd->footer(examples_footer({
                  "clipset suspects dataset.jsonl --html review.html -o suspects.jsonl",
                  "clipset suspects dataset.jsonl | jq -r '[.suspect.rank, .id, .suspect.given, .suspect.suggested] | @tsv' | head",
                  "clipset suspects dataset.jsonl --audacity review/ -o /dev/null   # then: cp -r review/* datalake/",
              }) +
              "\nExit status: 0 clips ranked (with or without suspects), 1 no clip could be read, 2 usage error, 3 I/O error.\n");
  return [args] { return run_suspects_command(*args); };
}

}  // namespace clipset::app
