// clipset segment: recordings -> fixed-size labelled clips.

#include <cerrno>
#include <filesystem>
#include <memory>
#include <sstream>

#include "clipset/error.hpp"
#include "clipset/segment.hpp"
#include "clipset/units.hpp"
#include "commands.hpp"
#include "shard_option.hpp"

namespace clipset::app {

namespace {

struct SegmentArgs {
  CommonOptions common;
  std::string input;
  std::string out_dir;
  std::string output = "-";
  std::string rate;
  std::string resampler = "soxr";
  std::string quality = "fastest";
  bool mono = false;
  int channel = 0;  // 1-based; 0: not given
  std::string length = "1s";
  std::string hop;
  std::string tail = "pad";
  std::string min_length = "0";
  std::string format = "wav";
  std::string subtype = "pcm16";
  std::string layout = "flat";
  bool virtual_clips = false;
  std::string drop_silent;
  std::string labels = "auto";
  std::string min_overlap = "0.5";
  std::string background = "none";
  std::string annotator = "vote";
  std::string salience;
  bool force = false;
  bool clean = false;
  std::string rejects;
  std::string root;
  bool strict = false;
  std::string shard;
};

SegmentOptions to_options(const SegmentArgs& a) {
  const auto seconds = [](const std::string& t) { return parse_duration(t); };
  SegmentOptions o;
  o.out_dir = a.out_dir;
  if (!a.root.empty()) o.root = a.root;
  if (!a.rate.empty()) o.sample_rate = parse_flag("--rate", a.rate, [](const std::string& t) { return parse_sample_rate(t); });
  o.resampler = a.resampler == "libsamplerate" ? ResamplerKind::libsamplerate : ResamplerKind::soxr;
  o.quality = a.quality == "best" ? ResampleQuality::best : a.quality == "medium" ? ResampleQuality::medium : ResampleQuality::fastest;
  if (a.mono && a.channel > 0) throw_usage("--mono", "give either --mono or --channel, not both");
  if (a.mono) o.channels.mode = ChannelSelection::Mode::mono;
  if (a.channel > 0) {
    o.channels.mode = ChannelSelection::Mode::pick;
    o.channels.channel = a.channel - 1;
  }
  o.length = parse_flag("--length", a.length, seconds);
  if (!(o.length > 0)) throw_usage("--length " + a.length, "must be more than 0");
  o.hop = a.hop.empty() ? o.length : parse_flag("--hop", a.hop, seconds);
  if (!(o.hop > 0)) throw_usage("--hop " + a.hop, "must be more than 0");
  o.tail = a.tail == "drop" ? TailPolicy::drop : a.tail == "keep" ? TailPolicy::keep : TailPolicy::pad;
  o.min_length = parse_flag("--min-length", a.min_length, seconds);
  o.encoding = clip_encoding(a.format, a.subtype);
  o.layout = a.layout == "by-label" ? ClipLayout::by_label : ClipLayout::flat;
  o.virtual_clips = a.virtual_clips;
  if (!a.drop_silent.empty()) o.drop_silent_db = parse_flag("--drop-silent", a.drop_silent, [](const std::string& t) { return parse_decibels(t); });
  o.labels = a.labels == "weak"     ? ClipLabels::weak
             : a.labels == "strong" ? ClipLabels::strong
             : a.labels == "events" ? ClipLabels::events
                                    : ClipLabels::automatic;
  o.min_overlap = parse_flag("--min-overlap", a.min_overlap, [](const std::string& t) { return parse_fraction(t); });
  o.background = a.background;
  if (o.background.empty()) throw_usage("--background", "give a label, or none to drop clips without one");
  o.annotator = a.annotator;
  o.salience = a.salience;
  o.force = a.force;
  o.jobs = effective_jobs(a.common);
  o.shard = shard_option(a.shard);
  if (!o.virtual_clips && a.out_dir.empty()) throw_usage("--out", "is required (the folder for clip files), unless --virtual");
  if (a.clean && o.virtual_clips) throw_usage("--clean", "removes clip files; --virtual writes none");
  if (a.clean && o.shard) throw_usage("--clean", "would remove the clips of the other shards; clean after clipset merge, on one machine");
  return o;
}

std::string summary_line(const SegmentSummary& s) {
  std::ostringstream line;
  line << s.clips << (s.clips == 1 ? " clip" : " clips") << " (" << format_duration(s.seconds_out) << ") from "
       << s.recordings << (s.recordings == 1 ? " recording" : " recordings") << " (" << format_duration(s.seconds_in)
       << "); " << s.rejected << " rejected";
  if (s.written > 0) line << ", " << s.written << (s.written == 1 ? " file" : " files") << " written";
  if (s.unchanged > 0) line << ", " << s.unchanged << " already complete";
  if (s.reused > 0) line << " (" << s.reused << (s.reused == 1 ? " recording" : " recordings") << " not decoded)";
  if (s.dropped_silent > 0) line << ", " << s.dropped_silent << " silent dropped";
  if (s.dropped_unlabelled > 0) line << ", " << s.dropped_unlabelled << " without a label dropped";
  if (s.other_salience > 0) {
    line << ", " << s.other_salience << (s.other_salience == 1 ? " recording" : " recordings") << " of another salience not cut";
  }
  return line.str();
}

// Every recording of a non-empty input rejected is no dataset: say so (exit 1), and when none
// was found at all, the usual cause (paths relative to another folder) and its fix.
bool nothing_segmented(Reporter& report, const SegmentSummary& summary, std::size_t missing, const SegmentArgs& args) {
  if (summary.recordings > 0 || summary.rejected == 0) return false;
  if (missing == summary.rejected) {
    std::error_code ec;
    const std::string base = args.root.empty() ? std::filesystem::current_path(ec).string() : args.root;
    report.error("none of the " + std::to_string(missing) + " recordings exists relative to " + base +
                 ": run from the folder the manifest's paths are relative to, or give it with --root");
  } else {
    report.error("every recording was rejected (" + std::to_string(summary.rejected) + "): no clips");
  }
  return true;
}

// A default that drops data says so on a line of its own, with the option that keeps it.
void warn_dropped(Reporter& report, const SegmentSummary& summary) {
  if (summary.dropped_unlabelled > 0) {
    report.warn("dropped " + std::to_string(summary.dropped_unlabelled) +
                (summary.dropped_unlabelled == 1 ? " clip" : " clips") +
                " without a label (--background LABEL keeps them, labelled LABEL)");
  }
  if (summary.outvoted_events > 0) {
    report.warn("left out " + std::to_string(summary.outvoted_events) +
                (summary.outvoted_events == 1 ? " event" : " events") +
                " marked by no strict majority of the recording's annotators (--annotator union keeps them)");
  }
}

// --clean, once the new manifest is in place: only after a run that read every recording, so
// that a file unreadable today does not lose the clips an earlier run cut from it.
void clean_out_dir(Reporter& report, const SegmentOptions& options, const SegmentSummary& summary,
                   std::size_t bad_lines, const NamedFiles& named) {
  if (summary.rejected > 0 || bad_lines > 0) {
    report.warn("--clean: nothing removed, since " + std::to_string(summary.rejected + bad_lines) +
                " recordings or lines were rejected and their earlier clips may still be wanted");
    return;
  }
  const CleanSummary cleaned = clean_clip_folder(options.out_dir, named);
  for (const auto& [path, reason] : cleaned.problems) report.warn(path.string() + ": " + reason);
  std::string line = "--clean: removed " + std::to_string(cleaned.removed.size()) + " clip file" +
                     (cleaned.removed.size() == 1 ? "" : "s") + " in " + options.out_dir.string() + " that no record names";
  if (cleaned.removed_folders > 0) line += ", and " + std::to_string(cleaned.removed_folders) + " folders left empty";
  report.info(line);
}

int run_segment(const SegmentArgs& args) {
  Reporter report("segment", args.common);
  refuse_clashing_files({{"manifest", args.input}}, {{"-o", args.output}, {"--rejects", args.rejects}});
  SegmentOptions options = to_options(args);
  RejectsOutput rejects(args.rejects, args.output);
  // Resume: the records of the run that wrote -o before.
  std::error_code ec;
  if (!args.force && args.output != "-" && std::filesystem::is_regular_file(args.output, ec)) {
    options.previous = read_manifest(args.output, false, [](const ManifestProblem&) {});
    for (Item& item : options.previous) drop_shard_order(item);  // a shard's earlier output
  }

  InputFile input(args.input);
  ManifestReader reader(input.stream(), input.display_name());
  reader.set_strict(args.strict);
  reader.set_unique_ids(true);  // ids name clip files: a second item with one id would overwrite them
  reader.on_problem([&](const ManifestProblem& p) { report.bad_line(p); });

  AtomicOutput output(args.output);
  std::optional<ShardHeader> header;
  if (options.shard) header = ShardHeader{"segment", segment_settings_digest(options), *options.shard, {}};
  RecordOutput writer(output.stream(), output.display_name(), header);

  SegmentCallbacks callbacks;
  NamedFiles named;  // for --clean
  const std::filesystem::path root = options.root.value_or(std::filesystem::path());
  callbacks.clip = [&](const Item& clip, std::size_t line, std::size_t index) {
    writer.write(clip, {line, index});
    if (args.clean && clip.path) named.add(*clip.path, root);
  };
  std::size_t missing = 0;  // rejected as not found
  callbacks.rejected = [&](const Rejection& r) {
    if (r.reason.find(errno_reason(ENOENT)) != std::string::npos) ++missing;
    report.warn(r.path + ": " + r.reason);
    rejects.write(r);
  };
  callbacks.warning = [&](const std::string& message) { report.warn(message); };
  callbacks.progress = [&](std::size_t done) { report.progress(done, 0, "recordings"); };

  const SegmentSummary summary = segment(reader, options, callbacks);
  report.finish_progress();
  output.commit();
  rejects.commit();
  report.info(summary_line(summary));
  if (options.shard) {
    report.info("shard " + options.shard->text() + ": " + std::to_string(summary.other_shards) +
                (summary.other_shards == 1 ? " recording" : " recordings") + " left to other shards");
  }
  warn_dropped(report, summary);
  if (args.clean) clean_out_dir(report, options, summary, reader.problem_count(), named);
  std::ostringstream labels;
  labels << "clip labels:";
  if (summary.per_label.empty()) labels << " none";
  bool first = true;
  for (const auto& [label, count] : summary.per_label) {
    labels << (first ? " " : ", ") << label << " " << count;
    first = false;
  }
  report.info(labels.str());
  report.bad_lines_summary();
  if (nothing_segmented(report, summary, missing, args)) return kExitData;
  if (args.strict && (summary.rejected > 0 || reader.problem_count() > 0)) return kExitData;
  return kExitOk;
}

}  // namespace

Runner setup_segment(CLI::App& app) {
  auto args = std::make_shared<SegmentArgs>();
  CLI::App* cmd = app.add_subcommand("segment", "Cut recordings into fixed-size labelled clips");
  cmd->add_option("manifest", args->input, "Manifest of recordings (- for stdin)")->required()->type_name("MANIFEST");
  cmd->add_option("--out", args->out_dir, "Folder for the clip files")->type_name("DIR");
  cmd->add_option("-o,--output", args->output, "Clip manifest to write, atomically (default: - for stdout); an earlier one is resumed")
      ->type_name("FILE");
  cmd->add_option("--rate", args->rate, "Output sample rate, e.g. 16k (default: keep each recording's)")->type_name("RATE");
  cmd->add_option("--resampler", args->resampler, "Resampling library: soxr (default) or libsamplerate")
      ->type_name("LIB")
      ->check(CLI::IsMember({"soxr", "libsamplerate"}));
  cmd->add_option("--quality", args->quality, "Resampler preset: fastest (default), medium, best (see docs/segment.md)")
      ->type_name("Q")
      ->check(CLI::IsMember({"fastest", "medium", "best"}));
  cmd->add_flag("--mono", args->mono, "Mix channels down to one (their average)");
  cmd->add_option("--channel", args->channel, "Keep only channel K (1 = first)")->type_name("K")->check(CLI::Range(1, 1024));
  cmd->add_option("--length", args->length, "Clip length (default 1s)")->type_name("DUR");
  cmd->add_option("--hop", args->hop, "Distance between clip starts (default: the length; smaller overlaps)")->type_name("DUR");
  cmd->add_option("--tail", args->tail, "Last partial clip and short recordings: pad (default, zeros), drop, keep")
      ->type_name("POLICY")
      ->check(CLI::IsMember({"pad", "drop", "keep"}));
  cmd->add_option("--min-length", args->min_length, "With --tail keep: shortest partial clip kept (default 0)")->type_name("DUR");
  cmd->add_option("--format", args->format, "Clip files: wav (default) or flac")->type_name("FMT")->check(CLI::IsMember({"wav", "flac"}));
  cmd->add_option("--subtype", args->subtype, "Samples: pcm16 (default), pcm24, float")
      ->type_name("TYPE")
      ->check(CLI::IsMember({"pcm16", "pcm24", "float"}));
  cmd->add_option("--layout", args->layout, "Folders: flat (default) or by-label")->type_name("LAYOUT")->check(CLI::IsMember({"flat", "by-label"}));
  cmd->add_flag("--virtual", args->virtual_clips, "Write no audio: clips point into their source (source.start, source.duration)");
  cmd->add_option("--drop-silent", args->drop_silent, "Drop clips whose RMS is below this level, e.g. -60dB")->type_name("DB");
  cmd->add_option("--labels", args->labels, "auto (default: strong where annotated, else weak), weak, strong, events")
      ->type_name("MODE")
      ->check(CLI::IsMember({"auto", "weak", "strong", "events"}));
  cmd->add_option("--min-overlap", args->min_overlap, "Strong labels: overlap needed, a fraction of the clip or of a shorter event (default 0.5)")
      ->type_name("FRAC");
  cmd->add_option("--background", args->background, "Label for strong clips without one; none (default) drops them")->type_name("LABEL");
  cmd->add_option("--annotator", args->annotator, "Whose annotations: a name, vote (default: a strict majority of annotators) or union (any annotator)")->type_name("NAME");
  cmd->add_option("--salience", args->salience, "Only foreground (fg) or background (bg) events label clips")
      ->type_name("fg|bg")
      ->check(CLI::IsMember({"fg", "bg"}));
  cmd->add_flag("--force", args->force, "Rewrite every clip, even those already complete");
  cmd->add_flag("--clean", args->clean,
                "After the run, remove the clip files (.wav, .flac) in --out that the new manifest does not name");
  cmd->add_option("--rejects", args->rejects, "Write rejected recordings with their reasons as JSON Lines")->type_name("FILE");
  cmd->add_option("--root", args->root, "Resolve relative source paths against this folder (default: the working directory)")
      ->type_name("DIR");
  cmd->add_flag("--strict", args->strict, "Exit 1 when a recording or manifest line was rejected");
  add_shard_option(*cmd, args->shard);
  add_common_options(*cmd, args->common);
  cmd->footer(examples_footer({
      "clipset segment raw.jsonl --rate 16k --mono --length 1s --hop 0.5s --out clips/ -o clips.jsonl",
      "clipset segment raw.jsonl --labels strong --background none --annotator anna --out clips/ -o clips.jsonl",
      "clipset segment raw.jsonl --labels events --length 2s --layout by-label --format flac --out events/ -o events.jsonl",
      "clipset segment raw.jsonl --labels events --salience fg --length 2s --out fg/ -o foreground.jsonl",
      "clipset segment raw.jsonl --virtual --length 5s -o windows.jsonl",
      "clipset ingest data/raw | clipset segment - --length 1s --out clips/ > clips.jsonl",
      "clipset segment raw.jsonl --length 1s --out clips/ --shard auto -o clips.$SLURM_ARRAY_TASK_ID.jsonl",
  }));
  return [args] { return run_segment(*args); };
}

}  // namespace clipset::app
