// The open-set check: a model that must say "none of my classes" is tested on sounds outside its
// classes, and is never tested on a class it could not have learnt.

#include <algorithm>
#include <map>
#include <set>

#include "internal.hpp"

namespace clipset::validate_detail {

namespace {

std::string labels_text(const std::vector<std::string>& labels) {
  std::string text;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == labels.size() ? " or " : ", ") + ("'" + labels[i] + "'");
  }
  return text;
}

}  // namespace

void check_open_set(const std::vector<Record>& records, const ValidateOptions& options, Findings& out) {
  if (!out.on(check::open_set) || options.names.size() < 2) return;
  const std::string& train = options.names.front();
  const std::string& test = options.names.back();
  const auto open = [&](const std::string& label) {
    return std::find(options.open_set_labels.begin(), options.open_set_labels.end(), label) != options.open_set_labels.end();
  };
  std::set<std::string> in_train;
  std::map<std::string, std::size_t> in_test;  // closed-set class -> test items
  std::size_t test_items = 0, open_test_items = 0;
  for (const Record& r : records) {
    if (r.split == train) in_train.insert(r.labels.begin(), r.labels.end());
    if (r.split != test) continue;
    ++test_items;
    if (std::any_of(r.labels.begin(), r.labels.end(), open)) ++open_test_items;
    for (const auto& label : r.labels)
      if (!open(label)) ++in_test[label];
  }
  if (test_items == 0) {
    out.add(check::open_set, 0, test, "no items in split " + test + ": the open set cannot be checked (split first, or give {{names}})");
    return;
  }
  if (open_test_items == 0) {
    out.add(check::open_set, 0, test,
            "split " + test + " (" + items_text(test_items) + ") holds no item labelled " + labels_text(options.open_set_labels) +
                ": the model is never tested on sounds outside its classes");
  }
  for (const auto& [label, items] : in_test) {
    if (in_train.count(label) > 0) continue;
    out.add(check::open_set, 0, label,
            "class '" + label + "' has " + items_text(items) + " in split " + test + " and none in " + train +
                ": the model cannot have learnt it (label it unknown, or collect training examples)");
  }
}

}  // namespace clipset::validate_detail
