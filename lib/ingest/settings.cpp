// ingest's settings digest: what shapes its records, so that merge can tell shards of one run
// from shards of another.

#include <sstream>

#include "clipset/hash.hpp"
#include "clipset/ingest.hpp"

namespace clipset {

namespace {

// A list as "[a|b|c]" with each element's length, so that no two lists print alike.
template <class List>
void write_list(std::ostream& out, const List& list) {
  out << '[';
  for (const auto& element : list) {
    const std::string text = std::filesystem::path(element).generic_string();
    out << text.size() << ':' << text << '|';
  }
  out << ']';
}

}  // namespace

std::string ingest_settings_digest(const IngestOptions& o) {
  std::ostringstream text;
  text << "roots=";
  write_list(text, o.roots);
  text << ";root=" << (o.path_base ? o.path_base->generic_string() : std::string("-")) << ";include=";
  write_list(text, o.scan.include);
  text << ";exclude=";
  write_list(text, o.scan.exclude);
  text << ";sheets=";
  write_list(text, o.sheets);
  text << ";key=" << o.sheet_options.key_column << ";label_column=" << o.sheet_options.label_column
       << ";group_column=" << o.sheet_options.group_column << ";separator=" << o.sheet_options.label_separator
       << ";folder_labels=" << (o.folder_labels == FolderLabels::parent ? "parent" : "none") << ";depth=" << o.label_depth
       << ";group_by=" << o.group_by << ";quality=" << o.quality << ";location=" << o.location << ";map=";
  if (o.relabel.map) {
    for (const auto& [from, to] : *o.relabel.map) text << from.size() << ':' << from << to.size() << ':' << to << '|';
  }
  text << ";unknown=" << o.relabel.unknown.value_or("-") << ";taxonomy=";
  if (o.relabel.taxonomy) {
    for (const auto& node : o.relabel.taxonomy->nodes) text << node.id.size() << ':' << node.id << '|';
  }
  return sha256_hex(text.str()).substr(0, 12);
}

}  // namespace clipset
