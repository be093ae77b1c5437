// validate's settings digest: what shapes its findings, so that merge can tell shards of one run
// from shards of another.

#include <sstream>

#include "clipset/hash.hpp"
#include "clipset/validate.hpp"

namespace clipset {

namespace {

template <class List>
void write_list(std::ostream& out, const List& list) {
  out << '[';
  for (const auto& element : list) out << element.size() << ':' << element << '|';
  out << ']';
}

void write_taxonomy(std::ostream& out, const Taxonomy& taxonomy) {
  out << "format=" << static_cast<int>(taxonomy.format) << ";nodes=";
  for (const auto& node : taxonomy.nodes) {
    out << node.name.size() << ':' << node.name << node.id.size() << ':' << node.id << '<';
    for (const auto parent : node.parents) out << parent << ',';
    out << '>';
  }
}

}  // namespace

std::string validate_settings_digest(const ValidateOptions& o) {
  std::ostringstream text;
  text.precision(17);
  text << "root=" << o.root << ";hash=" << o.hash << ";decode=" << o.decode << ";taxonomy=";
  if (o.taxonomy) write_taxonomy(text, *o.taxonomy);
  text << ";leaf_only=" << o.leaf_only << ";min_per_class=" << o.min_per_class << ";per_split=" << o.per_split << ";names=";
  write_list(text, o.names);
  text << ";ratios=";
  for (const double r : o.ratios) text << r << ',';
  text << ";tolerance=" << o.ratio_tolerance << ";select=";
  write_list(text, o.select);
  text << ";ignore=";
  write_list(text, o.ignore);
  text << ";warn_only=";
  write_list(text, o.warn_only);
  text << ";licenses=";
  write_list(text, o.allowed_licenses);
  text << ";single_label=" << o.single_label << ";open_set=" << o.open_set << ";open_set_labels=";
  write_list(text, o.open_set_labels);
  return sha256_hex(text.str()).substr(0, 12);
}

}  // namespace clipset
