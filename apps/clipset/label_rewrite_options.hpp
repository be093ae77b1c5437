#pragma once
// --map, --taxonomy and --unknown, shared by ingest and relabel: the options, the rule they make
// (clipset/label_rewrite.hpp) and the stderr lines that say what it did.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli_common.hpp"
#include "clipset/label_rewrite.hpp"

namespace clipset::app {

struct LabelRewriteArgs {
  std::string map;
  std::string taxonomy;
  std::string unknown;
};

void add_label_rewrite_options(CLI::App& command, LabelRewriteArgs& args);

// The files the options name, for refuse_clashing_files.
std::vector<NamedFile> label_rewrite_inputs(const LabelRewriteArgs& args);

// Reads the map and taxonomy. Throws clipset::Error (usage) for --unknown without a map or a
// taxonomy to tell what is outside, for --taxonomy without --unknown, and for bad files.
LabelRewrite label_rewrite_from(const LabelRewriteArgs& args);

// "labels not in --map, kept as they are: bark (3)"; "labels outside --taxonomy made 'unknown':
// meow (2)". Warnings: each names labels a user may want to map.
void report_label_rewrite(Reporter& report, const LabelRewrite& rewrite, const LabelRewriteTally& tally);

}  // namespace clipset::app
