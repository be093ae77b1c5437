#pragma once
// One rule for renaming an item's labels onto a taxonomy, used by `ingest --map/--unknown` and
// `clipset relabel`: map first, then send labels outside the taxonomy to an "unknown" class;
// and relabel itself, over a whole manifest. See docs/relabel.md.

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "clipset/labels.hpp"
#include "clipset/manifest.hpp"
#include "clipset/manifest_blocks.hpp"
#include "clipset/taxonomy.hpp"

namespace clipset {

struct LabelRewrite {
  std::optional<LabelMap> map;        // labels it names are renamed
  std::optional<Taxonomy> taxonomy;   // the labels an item may keep (with `unknown`)
  std::optional<std::string> unknown; // the label every label outside the taxonomy becomes
  std::set<std::string> map_targets;  // the map's values: labels already mapped (make_label_rewrite)
};
LabelRewrite make_label_rewrite(std::optional<LabelMap> map, std::optional<Taxonomy> taxonomy, std::optional<std::string> unknown);

// What a rewrite did, label by label (the label as it was read): items carrying it.
struct LabelRewriteTally {
  std::map<std::string, std::size_t> unmapped;     // neither named by the map nor a target of it
  std::map<std::string, std::size_t> made_unknown; // outside the taxonomy: became `unknown`
  std::size_t items_changed = 0;
};

// Whether a label is outside: not in the taxonomy when one is given, else neither named by the
// map nor one of its targets.
// Without `unknown` nothing is outside. The unknown label itself is never outside.
bool outside_taxonomy(const LabelRewrite& rewrite, const std::string& original, const std::string& mapped);

// Renames the item's labels and its annotations' labels by the rule above. The item's labels
// stay distinct ("hound" and "dog" may both map to "Dog"; two unknown labels become one);
// annotations keep their order, each renamed on its own. Counts each original label once per
// item. Returns whether anything changed.
bool rewrite_labels(Item& item, const LabelRewrite& rewrite, LabelRewriteTally& tally);

// ------------------------------------------------------------- clipset relabel

struct RelabelSummary {
  std::size_t lines_read = 0, bad_lines = 0;
  std::size_t items = 0;
  LabelRewriteTally tally;
  std::map<std::string, std::size_t> per_label;  // items per label, after the rewrite
};

struct RelabelCallbacks {
  std::function<void(const ManifestProblem&)> problem;  // a bad line, skipped
  std::function<void(std::size_t bytes)> progress;      // bytes read so far
};

// Rewrites every item of the manifest and writes it to `out` in input order. A line whose labels
// do not change is written as it was read; a changed line keeps every other member byte for byte
// with new `labels` and `annotations` spliced in, or, when it cannot be spliced safely (no
// manifest_version, a key written with an escape), is written in canonical form. The same output
// for any `jobs`. Throws clipset::Error: data (a bad line under `strict`), io (reading, writing).
RelabelSummary relabel_manifest(const LabelRewrite& rewrite, ManifestBlocks& input, std::ostream& out,
                                const std::string& output_name, unsigned jobs, bool strict, const RelabelCallbacks& callbacks = {});

}  // namespace clipset
