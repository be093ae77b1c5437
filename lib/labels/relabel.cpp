// clipset relabel: a manifest's labels rewritten, every other byte of each line kept.

#include <ostream>

#include "clipset/error.hpp"
#include "clipset/label_rewrite.hpp"
#include "clipset/record_members.hpp"

namespace clipset {

namespace {

struct RelabelledLine {
  std::string text;  // the line to write, without its line end
  std::vector<std::string> labels;
  LabelRewriteTally tally;
};

// The line with its `labels` and `annotations` members replaced by the item's; nullopt when the
// line cannot be spliced safely (written canonically then, as split does).
std::optional<std::string> spliced(std::string_view line, const Item& item) {
  const auto members = record_members(line);
  if (!members) return std::nullopt;
  bool versioned = false;
  for (const RecordMember& m : *members) versioned = versioned || m.key == "manifest_version";
  if (!versioned) return std::nullopt;
  const Json record = item_to_json(item);
  std::string out = "{";
  for (const RecordMember& m : *members) {
    if (out.size() > 1) out += ',';
    if (m.key == "labels" || m.key == "annotations") {
      const std::string key(m.key);
      const Json value = record.contains(key) ? record[key] : Json::array();
      out += Json(key).dump() + ':' + value.dump(-1, ' ', false, Json::error_handler_t::replace);
    } else {
      out += m.text;
    }
  }
  return out + "}";
}

RelabelledLine relabel_line(const LabelRewrite& rewrite, Item&& decoded, std::string_view line) {
  RelabelledLine result;
  if (!rewrite_labels(decoded, rewrite, result.tally)) {
    result.text = line;
  } else if (auto text = spliced(line, decoded)) {
    result.text = std::move(*text);
  } else {
    // Canonical form from the whole record: the decoder read only labels and annotations.
    Item whole = parse_manifest_line(std::string(line)).item;
    LabelRewriteTally again;
    rewrite_labels(whole, rewrite, again);
    result.text = item_to_line(whole);
  }
  result.labels = std::move(decoded.labels);
  return result;
}

void add_tally(LabelRewriteTally& into, const LabelRewriteTally& from) {
  for (const auto& [label, items] : from.unmapped) into.unmapped[label] += items;
  for (const auto& [label, items] : from.made_unknown) into.made_unknown[label] += items;
  into.items_changed += from.items_changed;
}

}  // namespace

RelabelSummary relabel_manifest(const LabelRewrite& rewrite, ManifestBlocks& input, std::ostream& out,
                                const std::string& output_name, unsigned jobs, bool strict, const RelabelCallbacks& callbacks) {
  RelabelSummary summary;
  ManifestScanOptions scan;
  scan.fields = item_fields::labels | item_fields::annotations;
  scan.jobs = jobs;
  scan.strict = strict;
  const auto counts = scan_manifest(
      input, scan, [&](Item&& item, std::string_view text) { return relabel_line(rewrite, std::move(item), text); },
      [&](RelabelledLine&& line) {
        out << line.text << '\n';
        if (!out) throw_io(output_name, "write error");
        ++summary.items;
        for (const auto& label : line.labels) ++summary.per_label[label];
        add_tally(summary.tally, line.tally);
      },
      callbacks.problem ? callbacks.problem : [](const ManifestProblem&) {}, callbacks.progress);
  summary.lines_read = counts.lines;
  summary.bad_lines = counts.bad_lines;
  return summary;
}

}  // namespace clipset
