// An ESC-50 / UrbanSound8K style table: the audio in one folder, one CSV row per clip with its
// fold, class index and class name, so that their loaders and recipes work unchanged.

#include <algorithm>

#include "clipset/item_keys.hpp"
#include "clipset/text.hpp"
#include "internal.hpp"

namespace clipset::detail {

namespace {

namespace fs = std::filesystem;

std::string class_indexes(const ExportPlan& plan, const Item& item) {
  std::string text;
  for (const auto& label : item.labels) {
    const auto at = std::lower_bound(plan.classes.begin(), plan.classes.end(), label) - plan.classes.begin();
    text += (text.empty() ? "" : ";") + std::to_string(at);
  }
  return text;
}

std::string table(const ExportPlan& plan, const ExportOptions& options) {
  std::string text = "filename,fold,target,category,group,split";
  for (const auto& field : options.fields) text += "," + csv_field(field);
  text += "\n";
  for (const auto& split : plan.splits) {
    for (const std::size_t i : split.entries) {
      const Entry& e = plan.entries[i];
      if (e.failed) continue;
      text += csv_field(e.file_name) + "," + (e.item.fold ? std::to_string(*e.item.fold) : std::string()) + "," +
              class_indexes(plan, e.item) + "," + csv_field(joined_labels(e.item)) + "," + csv_field(std::string(group_key(e.item).value)) +
              "," + csv_field(split.out_name);
      if (!options.fields.empty()) {
        const Json record = item_to_json(e.item);
        for (const auto& field : options.fields) text += "," + csv_field(field_cell(record, field));
      }
      text += "\n";
    }
  }
  return text;
}

}  // namespace

void write_csv(ExportPlan& plan, const ExportOptions& options, const ExportCallbacks& callbacks, ExportSummary& summary) {
  const auto audio_path = [&](const Entry& e) { return options.out_dir / "audio" / e.file_name; };
  const fs::path file = options.out_dir / "meta" / "dataset.csv";
  const fs::path class_file = options.out_dir / "meta" / "classes.csv";
  OwnedFiles owned(options.out_dir);
  std::vector<fs::path> planned{file, class_file};
  for (const auto& e : plan.entries) planned.push_back(audio_path(e));
  if (!options.shard) owned.claim(planned);  // shards at once would overwrite each other's list
  place_audio(plan, options, audio_path, callbacks, summary);
  if (audio_only(plan, options, summary)) return;
  std::vector<fs::path> kept{file, class_file};
  for (const auto& e : plan.entries)
    if (!e.failed) kept.push_back(audio_path(e));
  std::size_t without_fold = 0;
  for (const auto& e : plan.entries) without_fold += !e.failed && !e.item.fold;
  if (without_fold > 0 && callbacks.warning) {
    callbacks.warning(std::to_string(without_fold) + " items have no fold: their fold cell is empty (split with folds to fill it)");
  }
  for (std::size_t s = 0; s < plan.splits.size(); ++s) summary.splits.push_back(tally_split(plan, s));
  make_folder(options.out_dir / "meta");
  std::string classes;
  for (std::size_t c = 0; c < plan.classes.size(); ++c) classes += std::to_string(c) + "," + csv_field(plan.classes[c]) + "\n";
  // The table and the class list cover every split: counted with the first.
  ExportSplitSummary ignored;
  ExportSplitSummary& first = summary.splits.empty() ? ignored : summary.splits.front();
  count_file(first, summary, file, write_if_changed(file, table(plan, options)));
  count_file(first, summary, class_file, write_if_changed(class_file, "target,category\n" + classes));
  summary.removed += owned.settle(kept);
}

}  // namespace clipset::detail
