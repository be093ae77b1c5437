// clipset ingest: folders of recordings -> manifest.

#include <algorithm>
#include <memory>
#include <sstream>

#include "clipset/error.hpp"
#include "clipset/ingest.hpp"
#include "clipset/units.hpp"
#include "commands.hpp"
#include "label_rewrite_options.hpp"
#include "shard_option.hpp"

namespace clipset::app {

namespace {

struct IngestArgs {
  CommonOptions common;
  std::vector<std::string> roots;
  std::string output = "-";
  std::vector<std::string> sheets;
  std::string metadata_key;
  std::string labels = "folder";
  int label_depth = 1;
  std::string group_by;
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  bool quality = false;
  bool no_location = false;
  LabelRewriteArgs relabel;
  std::string update;
  std::string rejects;
  std::string root;
  bool strict = false;
  std::string shard;
};

std::string summary_line(const IngestSummary& s) {
  std::ostringstream line;
  line << s.items << (s.items == 1 ? " recording" : " recordings") << " (" << format_duration(s.seconds) << ") from "
       << s.scanned << (s.scanned == 1 ? " file" : " files");
  line << "; " << s.rejected << " rejected";
  if (s.duplicates > 0) line << ", " << s.duplicates << " content duplicate" << (s.duplicates == 1 ? "" : "s");
  if (s.label_tracks > 0) line << ", " << s.label_tracks << " label track" << (s.label_tracks == 1 ? "" : "s");
  if (s.sheet_rows > 0) line << ", " << s.sheet_rows - s.sheet_rows_unmatched << "/" << s.sheet_rows << " sheet rows matched";
  if (s.reused > 0) line << ", " << s.reused << " unchanged (not re-read)";
  if (s.vanished > 0) line << ", " << s.vanished << " vanished";
  return line.str();
}

std::string labels_line(const IngestSummary& s) {
  std::ostringstream line;
  line << "labels:";
  if (s.per_label.empty()) line << " none";
  bool first = true;
  for (const auto& [label, count] : s.per_label) {
    line << (first ? " " : ", ") << label << " " << count;
    first = false;
  }
  return line.str();
}

// Each licence spelling that was not an SPDX id: how it was read, or that it was kept as given.
void report_licenses(Reporter& report, const IngestSummary& s) {
  for (const auto& [given, reading] : s.license_spellings) {
    const std::string rows = std::to_string(reading.rows) + (reading.rows == 1 ? " sheet row" : " sheet rows");
    if (reading.recognised) {
      report.info("meta.license '" + given + "' read as " + reading.id + (reading.note.empty() ? "" : " (" + reading.note + ")") +
                  ": " + rows);
    } else {
      report.warn("meta.license '" + given + "': not a licence clipset knows, kept as given (" + rows +
                  "; give an SPDX id such as CC-BY-4.0)");
    }
  }
}

int run_ingest(const IngestArgs& args) {
  Reporter report("ingest", args.common);
  std::vector<NamedFile> inputs;
  for (const auto& root : args.roots) inputs.push_back({"folder", root});
  for (const auto& sheet : args.sheets) inputs.push_back({"--metadata", sheet});
  for (const auto& file : label_rewrite_inputs(args.relabel)) inputs.push_back(file);
  refuse_clashing_files(inputs, {{"-o", args.output}, {"--rejects", args.rejects}});
  refuse_clashing_files({{"--update", args.update}}, {{"--rejects", args.rejects}});  // -o may replace --update

  IngestOptions options;
  for (const auto& root : args.roots) options.roots.emplace_back(root);
  if (!args.root.empty()) options.path_base = args.root;
  options.scan.include = args.include;
  options.scan.exclude = args.exclude;
  // A sheet may come from a pipe ("-"); stdin can feed one input only.
  const auto from_stdin = std::count(args.sheets.begin(), args.sheets.end(), "-") + (args.update == "-" ? 1 : 0);
  if (from_stdin > 1) throw_usage("-", "standard input can feed only one of --metadata and --update");
  for (const auto& sheet : args.sheets) options.sheets.emplace_back(sheet);
  options.sheet_options.key_column = args.metadata_key;
  options.folder_labels = args.labels == "none" ? FolderLabels::none : FolderLabels::parent;
  options.label_depth = args.label_depth;
  options.group_by = args.group_by;
  options.quality = args.quality;
  options.location = !args.no_location;
  options.relabel = label_rewrite_from(args.relabel);
  options.jobs = effective_jobs(args.common);
  options.shard = shard_option(args.shard);
  if (options.shard && !args.update.empty()) {
    throw_usage("--update", "cannot be combined with --shard (each shard would drop the records of the others)");
  }
  if (!args.update.empty()) {
    options.previous = read_manifest(args.update, args.strict, [&](const ManifestProblem& p) { report.bad_line(p); });
    report.bad_lines_summary();
  }

  // Open outputs first: a bad -o path fails before minutes of hashing.
  RejectsOutput rejects(args.rejects, args.output);
  AtomicOutput output(args.output);
  std::optional<ShardHeader> header;
  if (options.shard) header = ShardHeader{"ingest", ingest_settings_digest(options), *options.shard, {"duplicate_of"}};
  RecordOutput writer(output.stream(), output.display_name(), header);

  IngestCallbacks callbacks;
  callbacks.item = [&](const Item& item, std::size_t position) { writer.write(item, {position}); };
  callbacks.rejected = [&](const Rejection& r) {
    report.warn(r.path + ": " + r.reason);
    rejects.write(r);
  };
  callbacks.warning = [&](const std::string& message) { report.warn(message); };
  callbacks.progress = [&](std::size_t done, std::size_t total) { report.progress(done, total, "files"); };

  const IngestSummary summary = ingest(options, callbacks);
  report.finish_progress();
  output.commit();
  rejects.commit();

  report.info(summary_line(summary));
  if (options.shard) {
    report.info("shard " + options.shard->text() + ": " + std::to_string(summary.scanned - summary.other_shards) + " of " +
                std::to_string(summary.scanned) + " files; content duplicates are marked by clipset merge");
  }
  report.info(labels_line(summary));
  report_licenses(report, summary);
  report_label_rewrite(report, options.relabel, summary.relabelled);
  if (summary.group_fallbacks > 0) {
    report.warn(std::to_string(summary.group_fallbacks) + (summary.group_fallbacks == 1 ? " item has" : " items have") +
                " no '" + args.group_by + "'; grouped by its own id");
  }
  if (args.strict && summary.rejected > 0) return kExitData;
  return kExitOk;
}

}  // namespace

Runner setup_ingest(CLI::App& app) {
  auto args = std::make_shared<IngestArgs>();
  CLI::App* cmd = app.add_subcommand("ingest", "Scan folders of recordings into a manifest");
  cmd->add_option("folders", args->roots, "Folders (or files) to scan")->required()->type_name("DIR");
  cmd->add_option("-o,--output", args->output, "Manifest to write, atomically (default: - for stdout)")->type_name("FILE");
  cmd->add_option("--metadata", args->sheets, "CSV sheet: a path or file-name column, label, group, other columns into meta (repeatable)")
      ->type_name("CSV");
  cmd->add_option("--metadata-key", args->metadata_key, "Sheet column naming the file (default: path, file, filename, ...)")
      ->type_name("COLUMN");
  cmd->add_option("--labels", args->labels, "Labels from folder names: folder (default) or none")
      ->type_name("FROM")
      ->check(CLI::IsMember({"folder", "none"}));
  cmd->add_option("--label-depth", args->label_depth, "Which folder names the label: 1 = parent (default), 2 = the one above, ...")
      ->type_name("N")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--group-by", args->group_by, "Field that names the leakage group, e.g. meta.recorder (default: the sheet's group, else the recording)")
      ->type_name("FIELD");
  cmd->add_option("--include", args->include, "Only files matching this glob (repeatable; no '/': matches the file name)")->type_name("GLOB");
  cmd->add_option("--exclude", args->exclude, "Skip files and folders matching this glob (repeatable)")->type_name("GLOB");
  cmd->add_flag("--quality", args->quality, "Decode every file: peak and RMS level, clipping, DC offset, silence");
  add_label_rewrite_options(*cmd, args->relabel);
  cmd->add_flag("--no-location", args->no_location, "Leave out the GPS position phones write into files (meta.location)");
  cmd->add_option("--update", args->update, "Earlier manifest: unchanged files (same size and mtime) are not re-read")->type_name("OLD");
  cmd->add_option("--rejects", args->rejects, "Write rejected files with their reasons as JSON Lines")->type_name("FILE");
  cmd->add_option("--root", args->root, "Write paths relative to this folder (default: as the folders were given)")->type_name("DIR");
  cmd->add_flag("--strict", args->strict, "Exit 1 when any file was rejected");
  add_shard_option(*cmd, args->shard);
  add_common_options(*cmd, args->common);
  cmd->footer(examples_footer({
      "clipset ingest data/raw -o raw.jsonl",
      "clipset ingest data/raw --metadata data/raw/sheet.csv --group-by meta.recorder -o raw.jsonl",
      "clipset ingest data/raw --quality --rejects rejects.jsonl --strict -o raw.jsonl",
      "clipset ingest data/raw --update raw.jsonl -o raw.jsonl      # re-read only what changed",
      "clipset ingest data/raw | jq -r 'select(.duration < 1) | .path'",
      "clipset ingest data/raw --shard 2/8 -o raw.2.jsonl             # then: clipset merge raw.*.jsonl -o raw.jsonl",
  }));
  return [args] { return run_ingest(*args); };
}

}  // namespace clipset::app
