// clipset export: a split manifest -> the folders and files training frameworks read natively.

#include <filesystem>
#include <memory>
#include <sstream>

#include "clipset/error.hpp"
#include "clipset/export.hpp"
#include "clipset/text.hpp"
#include "clipset/units.hpp"
#include "commands.hpp"
#include "shard_option.hpp"

namespace clipset::app {

namespace {

struct ExportArgs {
  CommonOptions common;
  std::string input;
  std::string format;
  std::string out_dir;
  std::vector<std::string> splits;
  std::string link = "hard";
  std::vector<std::string> fields;
  std::string speaker;
  std::string shard_size = "1G";
  std::optional<std::uint64_t> shuffle;
  std::string audio_format = "wav";
  std::string subtype = "pcm16";
  bool force = false;
  std::string rejects;
  std::string root;
  bool strict = false;
  std::string shard;
};

ExportOptions to_options(const ExportArgs& a) {
  ExportOptions o;
  o.format = *parse_format(a.format);  // checked by the option parser
  o.out_dir = a.out_dir;
  if (!a.root.empty()) o.root = a.root;
  o.splits = trimmed_list(a.splits);
  o.link = a.link == "sym" ? LinkMode::symbolic : a.link == "copy" ? LinkMode::copy : LinkMode::hard;
  o.fields = trimmed_list(a.fields);
  o.speaker_field = a.speaker;
  o.shard_size = parse_flag("--shard-size", a.shard_size, [](const std::string& t) { return parse_byte_size(t); });
  o.shuffle_seed = a.shuffle;
  o.encoding = clip_encoding(a.audio_format, a.subtype);
  o.force = a.force;
  o.jobs = effective_jobs(a.common);
  o.shard = shard_option(a.shard);
  return o;
}

void report_splits(Reporter& report, const ExportSummary& s) {
  std::vector<std::vector<std::string>> rows{{"split", "items", "duration", "files", "bytes"}};
  for (const auto& split : s.splits) {
    rows.push_back({split.name, std::to_string(split.items), format_duration(split.seconds), std::to_string(split.files), format_bytes(split.bytes)});
  }
  std::string table;
  for (const auto& line : aligned_columns(rows, {false, true, true, true, true})) table += line + "\n";
  report.block(table);
  std::ostringstream line;
  line << s.written << (s.written == 1 ? " file" : " files") << " written, " << s.unchanged << " already in place";
  if (s.removed > 0) line << ", " << s.removed << " of an earlier export removed";
  if (s.not_selected > 0) line << "; " << s.not_selected << " items of other splits not exported";
  if (s.other_shards > 0) line << "; " << s.other_shards << " items of other shards left to them (metadata: a run without --shard)";
  if (s.left_out > 0) line << "; " << s.left_out << (s.left_out == 1 ? " item" : " items") << " left out (named above)";
  report.info(line.str());
}

int run_export(const ExportArgs& args) {
  Reporter report("export", args.common);
  refuse_clashing_files({{"manifest", args.input}}, {{"--rejects", args.rejects}});
  const ExportOptions options = to_options(args);
  RejectsOutput rejects(args.rejects, "");

  InputFile input(args.input);
  ManifestReader reader(input.stream(), input.display_name());
  reader.set_strict(args.strict);
  reader.on_problem([&](const ManifestProblem& p) { report.bad_line(p); });

  ExportCallbacks callbacks;
  callbacks.rejected = [&](const Rejection& r) {
    report.warn(r.path + ": " + r.reason);
    rejects.write(r);
  };
  callbacks.warning = [&](const std::string& message) { report.warn(message); };
  callbacks.progress = [&](std::size_t done, std::size_t total) { report.progress(done, total, "items"); };

  const ExportSummary summary = export_dataset(reader, options, callbacks);
  report.finish_progress();
  rejects.commit();
  report_splits(report, summary);
  report.bad_lines_summary();
  if (summary.left_out > 0 || (args.strict && reader.problem_count() > 0)) return kExitData;
  return kExitOk;
}

}  // namespace

Runner setup_export(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand("export", "Write a split manifest as a dataset training frameworks read");
  cmd->add_option("manifest", args->input, "Split manifest to export (- for stdin)")->required()->type_name("MANIFEST");
  cmd->add_option("--to", args->format, "Format: hf (Hugging Face audiofolder), kaldi (data directories), webdataset (tar shards), csv (ESC-50 style), audacity (label tracks), attribution (credits)")
      ->required()
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"hf", "kaldi", "webdataset", "csv", "audacity", "attribution"}));
  cmd->add_option("--out", args->out_dir, "Folder to write the export into")->required()->type_name("DIR");
  cmd->add_option("--splits", args->splits, "Splits to export, as the manifest names them (default: all)")
      ->type_name("SPLITS")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--link", args->link, "Clip files: hard (default; a copy across file systems), sym, copy")
      ->type_name("HOW")
      ->check(CLI::IsMember({"hard", "sym", "copy"}));
  cmd->add_option("--fields", args->fields, "hf, csv: extra columns from the records, e.g. meta.recorder,duration")
      ->type_name("FIELDS")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--speaker", args->speaker, "kaldi: the field naming an utterance's speaker (default: its group)")->type_name("FIELD");
  cmd->add_option("--shard-size", args->shard_size, "webdataset: bytes per shard at most, e.g. 500M (default 1G)")->type_name("SIZE");
  cmd->add_option("--shuffle", args->shuffle, "webdataset: shuffle samples across shards with this seed")->type_name("SEED")->check(whole_number());
  cmd->add_option("--format", args->audio_format, "Virtual clips: wav (default) or flac")->type_name("FMT")->check(CLI::IsMember({"wav", "flac"}));
  cmd->add_option("--subtype", args->subtype, "Virtual clips: pcm16 (default), pcm24, float")
      ->type_name("TYPE")
      ->check(CLI::IsMember({"pcm16", "pcm24", "float"}));
  cmd->add_flag("--force", args->force, "Write into a folder holding another export or other files; rewrite every file");
  cmd->add_option("--rejects", args->rejects, "Write the items left out with their reasons as JSON Lines")->type_name("FILE");
  cmd->add_option("--root", args->root, "Resolve relative paths against this folder (default: the working directory)")->type_name("DIR");
  cmd->add_flag("--strict", args->strict, "Exit 1 on bad manifest lines too");
  add_shard_option(*cmd, args->shard);
  add_common_options(*cmd, args->common);
  cmd->footer(examples_footer({
      "clipset export dataset.jsonl --to hf --out hf/",
      "clipset export dataset.jsonl --to hf --fields meta.recorder,duration --link copy --out hf/",
      "clipset export dataset.jsonl --to webdataset --shard-size 500M --shuffle 1 --out shards/",
      "clipset export dataset.jsonl --to kaldi --speaker meta.recorder --out data/",
      "clipset export dataset.jsonl --to hf --shard 0/4 --out hf/  # shards 0..3 on 4 machines, then once without --shard",
      "clipset export dataset.jsonl --to csv --out esc/",
      "clipset export raw.jsonl --to audacity --out review/      # label tracks beside each recording",
      "clipset export dataset.jsonl --to attribution --out credits/  # ATTRIBUTION.md, grouped by licence",
  }));
  return [args] { return run_export(*args); };
}

}  // namespace clipset::app
