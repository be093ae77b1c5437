// The catalog of checks and which of them run.

#include <algorithm>

#include "clipset/error.hpp"
#include "clipset/validate.hpp"

namespace clipset {

const char* severity_name(Severity severity) { return severity == Severity::error ? "error" : "warning"; }

const std::vector<CheckInfo>& validate_checks() {
  using enum Severity;
  using enum CheckNeeds;
  static const std::vector<CheckInfo> checks{
      {"schema", error, nothing, "records that break the manifest schema"},
      {"duplicate-id", error, nothing, "an id used by an earlier record"},
      {"duplicate-content", warning, nothing, "the same sha256 under different ids (an error across splits)"},
      {"missing-file", error, nothing, "a file (or a virtual clip's source recording) that is not there"},
      {"size-mismatch", error, nothing, "a file whose size differs from the recorded bytes"},
      {"hash-mismatch", error, hash, "a file whose sha256 differs from the recorded one"},
      {"decode-error", error, decode, "a file that does not decode in full"},
      {"audio-mismatch", error, decode, "declared rate, channels or frames that differ from the file"},
      {"bad-annotation", error, nothing, "an annotation ending before it starts, outside the recording, or with a bad annotator"},
      {"unknown-label", error, taxonomy, "a label that the taxonomy does not know"},
      {"non-leaf-label", error, leaf_only, "a label with children in the taxonomy (with {{leaf_only}})"},
      {"unused-label", warning, taxonomy, "a taxonomy label that no item uses"},
      {"group-leak", error, nothing, "a group with items in several splits"},
      {"source-leak", error, nothing, "clips of one source recording in several splits"},
      {"near-duplicate", error, nothing, "near-duplicate recordings (near_dup, from clipset dups) in several splits"},
      {"augment-leak", error, nothing, "an augmented copy in another split or fold than its original, or in a split not augmented"},
      {"starved-class", error, min_per_class, "a class with fewer items than {{min_per_class}}"},
      {"split-ratio", error, ratios, "a split whose share differs from {{ratios}} by more than the tolerance"},
      {"orphan-file", error, orphans, "a file in an {{orphans}} folder that no record names"},
      {"license", error, licenses, "an item whose meta.license is missing or outside {{allow_license}}"},
      {"multi-label", error, single_label, "an item with several labels in a dataset declared {{single_label}}"},
      {"open-set", error, open_set, "a test split without unknown examples, or a test class never seen in train ({{open_set}})"},
  };
  return checks;
}

std::size_t check_index(std::string_view id) {
  const auto& checks = validate_checks();
  const auto it = std::find_if(checks.begin(), checks.end(), [&](const CheckInfo& c) { return id == c.id; });
  if (it == checks.end()) throw_usage(std::string(id), "no such check (see 'clipset help validate')");
  return static_cast<std::size_t>(it - checks.begin());
}

const char* needed_option(CheckNeeds needs) {
  switch (needs) {
    case CheckNeeds::nothing: return nullptr;
    case CheckNeeds::hash: return "{{hash}}";
    case CheckNeeds::decode: return "{{decode}}";
    case CheckNeeds::taxonomy: return "{{taxonomy}} FILE";
    case CheckNeeds::leaf_only: return "{{taxonomy}} FILE {{leaf_only}}";
    case CheckNeeds::min_per_class: return "{{min_per_class}} N";
    case CheckNeeds::ratios: return "{{ratios}} R,R,...";
    case CheckNeeds::orphans: return "{{orphans}} DIR";
    case CheckNeeds::licenses: return "{{allow_license}} LIST";
    case CheckNeeds::single_label: return "{{single_label}}";
    case CheckNeeds::open_set: return "{{open_set}}";
  }
  return nullptr;
}

namespace {

bool satisfied(CheckNeeds needs, const ValidateOptions& o) {
  switch (needs) {
    case CheckNeeds::nothing: return true;
    case CheckNeeds::hash: return o.hash;
    case CheckNeeds::decode: return o.decode;
    case CheckNeeds::taxonomy: return o.taxonomy.has_value();
    case CheckNeeds::leaf_only: return o.taxonomy && o.leaf_only;
    case CheckNeeds::min_per_class: return o.min_per_class > 0;
    case CheckNeeds::ratios: return !o.ratios.empty();
    case CheckNeeds::orphans: return !o.orphans.empty();
    case CheckNeeds::licenses: return !o.allowed_licenses.empty();
    case CheckNeeds::single_label: return o.single_label;
    case CheckNeeds::open_set: return o.open_set;
  }
  return false;
}

}  // namespace

std::vector<bool> enabled_checks(ValidateOptions& options) {
  const auto& checks = validate_checks();
  for (const auto* list : {&options.select, &options.ignore, &options.warn_only}) {
    for (const auto& id : *list) check_index(id);  // unknown ids are usage errors
  }
  std::vector<bool> enabled(checks.size(), false);
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const CheckInfo& c = checks[i];
    if (options.ignore.count(c.id) > 0) continue;
    const bool selected = options.select.count(c.id) > 0;
    if (!options.select.empty() && !selected) continue;
    // Asking for a check by name turns on the work it needs, when no value is needed for it.
    if (selected && c.needs == CheckNeeds::hash) options.hash = true;
    if (selected && c.needs == CheckNeeds::decode) options.decode = true;
    if (selected && c.needs == CheckNeeds::single_label) options.single_label = true;
    if (selected && c.needs == CheckNeeds::open_set) options.open_set = true;
    if (!satisfied(c.needs, options)) {
      if (selected) throw_usage(std::string("{{select}} ") + c.id, std::string("needs ") + needed_option(c.needs));
      continue;
    }
    enabled[i] = true;
  }
  return enabled;
}

}  // namespace clipset
