// Hugging Face audiofolder: a folder per split holding its audio files and its own metadata file
// (recent `datasets` releases look for it inside each split folder), file_name first.

#include "clipset/item_keys.hpp"
#include "clipset/text.hpp"
#include "internal.hpp"

namespace clipset::detail {

namespace {

namespace fs = std::filesystem;

// A label column joins labels with ';': several labels, or one holding ';', need a JSON list.
bool needs_label_list(const ExportPlan& plan) {
  for (const auto& e : plan.entries) {
    if (e.failed) continue;
    if (e.item.labels.size() > 1) return true;
    for (const auto& label : e.item.labels)
      if (label.find(';') != std::string::npos) return true;
  }
  return false;
}

std::string group_of(const Item& item) { return std::string(group_key(item).value); }

// metadata.csv: file_name, label, group, then the chosen fields.
std::string metadata_csv(const ExportPlan& plan, const PlanSplit& split, const ExportOptions& options) {
  std::string text = "file_name,label,group";
  for (const auto& field : options.fields) text += "," + csv_field(field);
  text += "\n";
  for (const std::size_t i : split.entries) {
    const Entry& e = plan.entries[i];
    if (e.failed) continue;
    text += csv_field(e.file_name) + "," + csv_field(joined_labels(e.item)) + "," + csv_field(group_of(e.item));
    if (!options.fields.empty()) {
      const Json record = item_to_json(e.item);
      for (const auto& field : options.fields) text += "," + csv_field(field_cell(record, field));
    }
    text += "\n";
  }
  return text;
}

// metadata.jsonl, when an item has several labels (or one holding ';'): `labels` as a JSON array.
std::string metadata_jsonl(const ExportPlan& plan, const PlanSplit& split, const ExportOptions& options) {
  std::string text;
  for (const std::size_t i : split.entries) {
    const Entry& e = plan.entries[i];
    if (e.failed) continue;
    Json row{{"file_name", e.file_name}, {"labels", e.item.labels}, {"group", group_of(e.item)}};
    if (!options.fields.empty()) {
      const Json record = item_to_json(e.item);
      for (const auto& field : options.fields) {
        const Json* value = find_field(record, field);
        row[field] = value ? *value : Json();
      }
    }
    text += row.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  }
  return text;
}

}  // namespace

void write_hf(ExportPlan& plan, const ExportOptions& options, const ExportCallbacks& callbacks, ExportSummary& summary) {
  const auto audio_path = [&](const Entry& e) { return options.out_dir / plan.splits[e.split].out_name / e.file_name; };
  OwnedFiles owned(options.out_dir);
  std::vector<fs::path> planned, kept;
  for (const auto& e : plan.entries) planned.push_back(audio_path(e));
  const bool jsonl = needs_label_list(plan);
  const char* const metadata_name = jsonl ? "metadata.jsonl" : "metadata.csv";
  for (const auto& split : plan.splits) planned.push_back(options.out_dir / split.out_name / metadata_name);
  if (!options.shard) owned.claim(planned);  // shards at once would overwrite each other's list
  place_audio(plan, options, audio_path, callbacks, summary);
  if (audio_only(plan, options, summary)) return;
  for (const auto& e : plan.entries)
    if (!e.failed) kept.push_back(audio_path(e));
  for (std::size_t s = 0; s < plan.splits.size(); ++s) {
    const PlanSplit& split = plan.splits[s];
    ExportSplitSummary figures = tally_split(plan, s);
    const fs::path folder = options.out_dir / split.out_name;
    make_folder(folder);
    // The other metadata file a run before this one may have left would be read too: one only.
    std::error_code ec;
    fs::remove(folder / (jsonl ? "metadata.csv" : "metadata.jsonl"), ec);
    const fs::path file = folder / metadata_name;
    const std::string text = jsonl ? metadata_jsonl(plan, split, options) : metadata_csv(plan, split, options);
    count_file(figures, summary, file, write_if_changed(file, text));
    kept.push_back(file);
    summary.splits.push_back(figures);
  }
  summary.removed += owned.settle(kept);
}

}  // namespace clipset::detail
