// clipset dups: a manifest -> its near-duplicate recordings (pairs, clusters) on stdout, and
// with --annotate the manifest again with each item's near_dup cluster.

#include <filesystem>
#include <iostream>
#include <memory>

#include "clipset/dups.hpp"
#include "clipset/error.hpp"
#include "clipset/units.hpp"
#include "commands.hpp"

namespace clipset::app {

namespace {

struct DupsArgs {
  CommonOptions common;
  std::string input;
  std::string output = "-";
  std::string format = "jsonl";
  std::string annotate;
  std::string min_overlap = "3.5s";
  double max_bit_error = 0.20;
  double min_correlation = 0.85;
  std::string cache;
  bool no_cache = false;
  std::string root;
  std::string rejects;
  bool strict = false;
};

DupsOptions to_options(const DupsArgs& a) {
  DupsOptions o;
  if (!a.root.empty()) o.root = a.root;
  if (!a.no_cache) o.cache_dir = a.cache.empty() ? default_cache_dir("fingerprints") : a.cache;
  o.match.min_overlap = parse_flag("--min-overlap", a.min_overlap, [](const std::string& t) { return parse_duration(t); });
  if (!(o.match.min_overlap > 0)) throw_usage("--min-overlap " + a.min_overlap, "must be more than 0 s");
  o.match.max_bit_error = a.max_bit_error;
  o.match.min_correlation = a.min_correlation;
  o.jobs = effective_jobs(a.common);
  o.keep_items = !a.annotate.empty();
  return o;
}

void summarize(Reporter& report, const DupsResult& r) {
  const auto clusters = duplicate_clusters(r);
  report.info(std::to_string(r.recordings.size()) + " recordings: " + std::to_string(r.computed) + " fingerprinted, " +
              std::to_string(r.cached) + " from the cache, " + std::to_string(r.short_sounds) + " short sounds compared by spectrogram, " +
              std::to_string(r.too_short) + " too short, " +
              std::to_string(r.unreadable) + " unreadable; " + std::to_string(r.matches.size()) +
              (r.matches.size() == 1 ? " pair" : " pairs") + " in " + std::to_string(clusters.size()) +
              (clusters.size() == 1 ? " cluster" : " clusters") +
              (r.refuted > 0 ? " (" + std::to_string(r.refuted) + " fingerprint " + (r.refuted == 1 ? "match" : "matches") +
                                   " refuted by the spectrograms)"
                             : ""));
  if (r.unchecked > 0) {
    report.warn(std::to_string(r.unchecked) + " fingerprint " + (r.unchecked == 1 ? "match" : "matches") +
                " could not be checked against the spectrograms (the audio could not be read again): kept unchecked");
  }
  if (r.too_short > 0) {
    report.warn(std::to_string(r.too_short) + " recordings are too short to compare: not compared (listed as skipped)");
  }
}

int run_dups(const DupsArgs& args) {
  Reporter report("dups", args.common);
  refuse_clashing_files({{"manifest", args.input}}, {{"-o", args.output}, {"--annotate", args.annotate}, {"--rejects", args.rejects}});
  if (args.annotate == "-" && args.output == "-") {
    throw_usage("--annotate -", "would mix the manifest into the pairs on stdout; give -o FILE or an --annotate file");
  }
  const DupsOptions options = to_options(args);
  InputFile input(args.input);
  AtomicOutput output(args.output);
  std::unique_ptr<AtomicOutput> annotated;
  if (!args.annotate.empty()) annotated = std::make_unique<AtomicOutput>(args.annotate);
  RejectsOutput rejects(args.rejects, args.output);

  DupsCallbacks callbacks;
  callbacks.problem = [&](const ManifestProblem& p) { report.bad_line(p); };
  callbacks.unreadable = [&](const DupsRecording& r) {
    const std::string& name = r.path.empty() ? r.id : r.path;  // an item without a path: its id
    report.warn(name + ": " + r.reason);
    rejects.write({name, r.reason});
  };
  callbacks.progress = [&](std::size_t done, std::size_t total) { report.progress(done, total, "recordings"); };
  callbacks.cache_note = [&](const std::string& note) { report.warn("fingerprint cache not written: " + note); };
  const DupsResult result = find_near_duplicates(options, input.stream(), input.display_name(), callbacks);
  report.finish_progress();

  if (args.format == "table") output.stream() << dups_table(result);
  else {
    for (const auto& line : dups_records(result)) output.stream() << line << '\n';
  }
  output.commit();
  if (annotated) {
    ManifestWriter writer(annotated->stream(), annotated->display_name());
    for (const auto& item : result.items) writer.write(item);
    annotated->commit();
  }
  rejects.commit();
  report.bad_lines_summary(false);
  summarize(report, result);
  if (args.strict && (result.unreadable > 0 || report.bad_lines() > 0)) return kExitData;
  return kExitOk;
}

}  // namespace

Runner setup_dups(CLI::App& app) {
  auto args = std::make_shared<DupsArgs>();
  CLI::App* cmd = app.add_subcommand("dups", "Find recordings that hold the same sound: re-encoded, louder, resampled, trimmed copies");
  cmd->add_option("manifest", args->input, "Manifest whose recordings to compare (- for stdin)")->required()->type_name("MANIFEST");
  cmd->add_option("-o,--output", args->output, "Pairs and clusters, atomically (default: - for stdout)")->type_name("FILE");
  cmd->add_option("--format", args->format, "jsonl (default: one record per line) or table (for people)")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"jsonl", "table"}));
  cmd->add_option("--annotate", args->annotate, "Also write the manifest with each item's near_dup cluster (for split --group-by)")
      ->type_name("FILE");
  cmd->add_option("--min-overlap", args->min_overlap, "Shortest stretch of shared audio that makes a match (default 3.5s)")->type_name("DURATION");
  cmd->add_option("--max-bit-error", args->max_bit_error, "Largest share of differing fingerprint bits in a match (default 0.2)")
      ->type_name("SHARE")
      ->check(CLI::Range(0.0, 0.5));
  cmd->add_option("--min-correlation", args->min_correlation, "Least spectrogram correlation of a short sounds' match and of a fingerprint match's check (default 0.85)")
      ->type_name("R")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--cache", args->cache, "Fingerprint cache folder (default: $XDG_CACHE_HOME/clipset/fingerprints)")->type_name("DIR");
  cmd->add_flag("--no-cache", args->no_cache, "Neither read nor write the fingerprint cache");
  cmd->add_option("--root", args->root, "Resolve relative paths against this folder (default: the working directory)")->type_name("DIR");
  cmd->add_option("--rejects", args->rejects, "Write the recordings that could not be read, with their reasons, as JSON Lines")->type_name("FILE");
  cmd->add_flag("--strict", args->strict, "Exit 1 when a recording could not be read or a manifest line is bad");
  cmd->get_option("--no-cache")->excludes(cmd->get_option("--cache"));
  add_common_options(*cmd, args->common);
  cmd->footer(examples_footer({
      "clipset dups dataset.jsonl --format table",
      "clipset dups clips.jsonl --annotate clips.dups.jsonl -o pairs.jsonl",
      "clipset split clips.dups.jsonl --group-by group,near-dup -o dataset.jsonl",
      "clipset dups raw.jsonl | jq -c 'select(.type == \"cluster\")'",
  }));
  return [args] { return run_dups(*args); };
}

}  // namespace clipset::app
