// --map, --taxonomy, --unknown for ingest and relabel.

#include "label_rewrite_options.hpp"

#include "clipset/error.hpp"

namespace clipset::app {

void add_label_rewrite_options(CLI::App& command, LabelRewriteArgs& args) {
  command.add_option("--map", args.map, "Rename labels onto a taxonomy: lines of 'label<TAB>taxonomy label or /m/ id'")
      ->type_name("MAP.tsv");
  command.add_option("--taxonomy", args.taxonomy, "With --unknown: the labels items may keep (a list, parent/child paths or the AudioSet ontology JSON)")
      ->type_name("FILE");
  command.add_option("--unknown", args.unknown, "Make every label outside --taxonomy (or, without it, not named by --map) this label")
      ->type_name("LABEL");
}

std::vector<NamedFile> label_rewrite_inputs(const LabelRewriteArgs& args) {
  std::vector<NamedFile> files;
  if (!args.map.empty()) files.push_back({"--map", args.map});
  if (!args.taxonomy.empty()) files.push_back({"--taxonomy", args.taxonomy});
  return files;
}

LabelRewrite label_rewrite_from(const LabelRewriteArgs& args) {
  if (!args.unknown.empty() && args.map.empty() && args.taxonomy.empty()) {
    throw_usage("--unknown", "needs --taxonomy (or --map) to tell which labels are outside");
  }
  if (!args.taxonomy.empty() && args.unknown.empty()) {
    throw_usage("--taxonomy", "needs --unknown LABEL: the label that labels outside the taxonomy become");
  }
  std::optional<LabelMap> map;
  std::optional<Taxonomy> taxonomy;
  std::optional<std::string> unknown;
  if (!args.map.empty()) map = read_label_map(args.map);
  if (!args.taxonomy.empty()) taxonomy = read_taxonomy(args.taxonomy);
  if (!args.unknown.empty()) unknown = args.unknown;
  return make_label_rewrite(std::move(map), std::move(taxonomy), std::move(unknown));
}

namespace {

std::string label_counts(const std::map<std::string, std::size_t>& counts) {
  std::string names;
  for (const auto& [label, items] : counts) names += (names.empty() ? "" : ", ") + label + " (" + std::to_string(items) + ")";
  return names;
}

}  // namespace

void report_label_rewrite(Reporter& report, const LabelRewrite& rewrite, const LabelRewriteTally& tally) {
  if (rewrite.unknown) {
    if (!tally.made_unknown.empty()) {
      report.warn(std::string("labels outside ") + (rewrite.taxonomy ? "--taxonomy" : "--map") + " made '" + *rewrite.unknown +
                  "': " + label_counts(tally.made_unknown));
    }
    return;  // unmapped labels are then either in the taxonomy or made unknown: said above
  }
  if (!tally.unmapped.empty()) report.warn("labels not in --map, kept as they are: " + label_counts(tally.unmapped));
}

}  // namespace clipset::app
