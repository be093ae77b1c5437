// The export plan: the manifest's items sorted into the splits asked for, each with a unique file
// name and sample key, and where its audio comes from.

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_set>

#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/paths.hpp"
#include "clipset/text.hpp"
#include "internal.hpp"

namespace clipset::detail {

namespace {

// The folder name Hugging Face `datasets` recognises for a split, so that audiofolder loads it
// under the usual name: validation for val, valid and dev.
std::string hf_split_name(const std::string& name) {
  const std::string lower = to_lower(name);
  if (lower == "val" || lower == "valid" || lower == "validation" || lower == "dev") return "validation";
  if (lower == "train" || lower == "training") return "train";
  if (lower == "test" || lower == "testing") return "test";
  return safe_file_name(name);
}

// Splits in the order people read them: train, validation, test, then any other by name.
int split_rank(const std::string& out_name) {
  const std::string lower = to_lower(out_name);
  if (lower.rfind("train", 0) == 0) return 0;
  if (lower == "val" || lower == "valid" || lower == "validation" || lower == "dev") return 1;
  if (lower == "test") return 2;
  return 3;
}

std::string short_hash(const std::string& text) { return sha256_hex(text).substr(0, 8); }

std::string extension_of(const Item& item, const ExportOptions& options) {
  if (!item.path || item.path->empty()) return "." + container_name(options.encoding.container);
  std::string ext = to_lower(std::filesystem::path(*item.path).extension().string());
  if (ext.empty() && item.format) ext = "." + safe_file_name(*item.format);
  return ext;
}

}  // namespace

std::string file_name_of(const std::string& id, const std::string& ext) {
  std::string name = safe_file_name(id);
  const bool has_ext = !ext.empty() && name.size() > ext.size() && to_lower(name.substr(name.size() - ext.size())) == ext;
  return has_ext ? name : name + ext;
}

namespace {

// A WebDataset key: WebDataset reads a sample's key as the file name up to its first dot, and ids
// hold dots (x.wav_000001.500), so dots become '_' and, as that loses information, 8 hex digits of
// the id's SHA-256 are appended.
std::string key_of(const std::string& id) {
  std::string key = safe_file_name(id);
  if (key.find('.') == std::string::npos) return key;
  std::replace(key.begin(), key.end(), '.', '_');
  return key + "-" + short_hash(id);
}

// Names taken by earlier entries: a clash gets the id's hash appended; a clash even then (two
// hashes alike, or an id spelled like another's hashed name) leaves the item out.
class NameRegistry {
 public:
  std::optional<std::string> claim(const std::string& wanted, const std::string& id, const std::string& ext) {
    if (taken_.insert(wanted).second) return wanted;
    const std::string stem = wanted.substr(0, wanted.size() - ext.size());
    const std::string second = stem + "-" + short_hash(id) + ext;
    if (taken_.insert(second).second) return second;
    return std::nullopt;
  }

 private:
  std::unordered_set<std::string> taken_;
};

struct PlanBuilder {
  const ExportOptions& options;
  const ExportCallbacks& callbacks;
  ExportSummary& summary;
  ExportPlan plan;
  std::map<std::string, std::size_t> split_of_name;
  NameRegistry file_names, keys;
  std::set<std::string> classes;

  void reject(const Item& item, std::size_t line, const std::string& reason) {
    ++summary.left_out;
    if (callbacks.rejected) callbacks.rejected({item.path.value_or("line " + std::to_string(line)), "item " + item.id + ": " + reason});
  }

  std::size_t split_index(const std::string& name) {
    const auto [it, added] = split_of_name.try_emplace(name, plan.splits.size());
    if (added) plan.splits.push_back({name, options.format == ExportFormat::hf ? hf_split_name(name) : safe_file_name(name), {}});
    return it->second;
  }

  bool wanted(const std::string& split) const {
    return options.splits.empty() || std::find(options.splits.begin(), options.splits.end(), split) != options.splits.end();
  }

  // A virtual augmented copy: rendered from its recipe before the format places it.
  static bool locate_copy(Entry& e, const std::filesystem::path& root, std::string& reason) {
    try {
      e.augment = augment_job(e.item);
    } catch (const Error& error) {
      return reason = error.reason(), false;
    }
    AugmentRecipe& recipe = e.augment->recipe;
    e.display = recipe.input_path;
    recipe.input_path = resolve_path(recipe.input_path, root).string();
    if (recipe.noise) recipe.noise->path = resolve_path(recipe.noise->path, root).string();
    return true;
  }

  // Where the entry's audio comes from; false (and the reason) when it has none to export.
  bool locate_audio(Entry& e, std::string& reason) const {
    const std::filesystem::path root = options.root.value_or(std::filesystem::path());
    if (e.item.path && !e.item.path->empty()) {
      e.display = *e.item.path;
      e.file = resolve_path(*e.item.path, root);
      return true;
    }
    if (is_augmented_copy(e.item)) return locate_copy(e, root, reason);
    if (!is_virtual_clip(e.item)) return reason = "no path and no source to read its audio from", false;
    if (!e.item.sample_rate || *e.item.sample_rate <= 0) return reason = "a virtual clip without a sample_rate", false;
    try {
      e.cut = virtual_cut(e.item, *e.item.sample_rate);
    } catch (const Error& error) {
      return reason = error.reason(), false;
    }
    e.rate = *e.item.sample_rate;
    e.source = resolve_path(e.cut->source_path, root);
    e.display = e.cut->source_path;
    return true;
  }

  // Every format writes labels one per line or field (classes.txt, Kaldi's text, label tracks):
  // a line break or another control character in one would split it, or shift every class index.
  static std::optional<std::string> unwritable_label(const Item& item) {
    for (const auto& label : item.labels) {
      if (label.empty()) return std::string("has an empty label");
      for (const char c : label) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          return "has the label '" + terminal_safe(label) + "', with a line break or control character no export format can hold";
        }
      }
    }
    return std::nullopt;
  }

  void add(Item item, std::size_t line, std::string_view text) {
    // Label tracks and credits are per recording: exported whatever the split.
    const bool per_recording = options.format == ExportFormat::audacity || options.format == ExportFormat::attribution;
    const bool has_split = item.split && !item.split->empty();
    if (has_split) plan.splits_read.insert(*item.split);
    if (!has_split && !per_recording) return reject(item, line, "has no split (run clipset split first)");
    if (!wanted(item.split.value_or(""))) return void(++summary.not_selected);
    if (options.shard && !in_shard(item, *options.shard)) return void(++summary.other_shards);
    if (const auto reason = unwritable_label(item)) return reject(item, line, *reason);
    Entry e;
    e.item = std::move(item);
    e.line = line;
    // The record travels as the manifest has it: writing it again from the item would cost more
    // than the whole tar (and could only differ in the spelling of the same values).
    if (options.format == ExportFormat::webdataset) e.record_line = text;
    std::string reason;
    if (!locate_audio(e, reason)) return reject(e.item, line, reason);
    e.extension = extension_of(e.item, options);
    const auto file_name = file_names.claim(file_name_of(e.item.id, e.extension), e.item.id, e.extension);
    const auto key = keys.claim(key_of(e.item.id), e.item.id, "");
    if (!file_name || !key) return reject(e.item, line, "its file name clashes with another item's even with its hash appended");
    e.file_name = *file_name;
    e.key = *key;
    e.split = split_index(per_recording ? std::string("recordings") : *e.item.split);
    for (const auto& label : e.item.labels) classes.insert(label);
    plan.splits[e.split].entries.push_back(plan.entries.size());
    plan.entries.push_back(std::move(e));
  }

  // Two manifest splits the format names alike (val and validation for hf) would share a folder.
  void order_splits() {
    std::vector<std::size_t> order(plan.splits.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const auto& x = plan.splits[a];
      const auto& y = plan.splits[b];
      return std::make_pair(split_rank(x.out_name), x.out_name) < std::make_pair(split_rank(y.out_name), y.out_name);
    });
    std::vector<PlanSplit> sorted;
    std::vector<std::size_t> new_index(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
      if (!sorted.empty() && sorted.back().out_name == plan.splits[order[k]].out_name) {
        throw_usage("split " + plan.splits[order[k]].manifest_name,
                    "would share the folder '" + sorted.back().out_name + "' with split " + sorted.back().manifest_name);
      }
      new_index[order[k]] = k;
      sorted.push_back(std::move(plan.splits[order[k]]));
    }
    plan.splits = std::move(sorted);
    for (auto& e : plan.entries) e.split = new_index[e.split];
  }
};

}  // namespace

ExportPlan read_plan(ManifestReader& input, const ExportOptions& options, const ExportCallbacks& callbacks, ExportSummary& summary) {
  PlanBuilder builder{options, callbacks, summary, {}, {}, {}, {}, {}};
  while (auto item = input.next()) {
    ++summary.items_read;
    builder.add(std::move(*item), input.line(), input.line_text());
  }
  builder.order_splits();
  builder.plan.classes.assign(builder.classes.begin(), builder.classes.end());
  return std::move(builder.plan);
}

void leave_out(Entry& entry, const std::string& reason, const ExportCallbacks& callbacks, ExportSummary& summary) {
  if (entry.failed) return;
  entry.failed = true;
  ++summary.left_out;
  if (callbacks.rejected) callbacks.rejected({entry.display, "item " + entry.item.id + ": " + reason});
}

std::string joined_labels(const Item& item) {
  std::string text;
  for (const auto& label : item.labels) text += (text.empty() ? "" : ";") + label;
  return text;
}

std::string field_cell(const Json& record, const std::string& field) {
  const Json* value = find_field(record, field);
  if (!value || value->is_null()) return "";
  return field_key(*value);
}

}  // namespace clipset::detail
