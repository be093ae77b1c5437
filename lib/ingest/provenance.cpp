// Provenance from sheet columns: licence, source, author and title under one spelling each, the
// licence as an SPDX id (docs/ingest.md, "Licences and provenance").

#include <array>

#include "clipset/licenses.hpp"
#include "clipset/text.hpp"
#include "internal.hpp"

namespace clipset::detail {

namespace {

// Header spellings (lower case) -> the meta name.
const std::array<std::pair<const char*, const char*>, 5> kProvenanceColumns = {{
    {"license", "license"}, {"licence", "license"}, {"source_url", "source_url"}, {"author", "author"}, {"title", "title"}}};

// The meta name a header spells ("License" -> license), or the header itself.
std::string meta_name(const std::string& header) {
  const std::string lower = to_lower(header);
  for (const auto& [spelling, name] : kProvenanceColumns) {
    if (lower == spelling) return name;
  }
  return header;
}

// Renames keys that spell a provenance column differently ("License", "LICENCE"), in place: the
// columns keep their order. A name given twice keeps its first cell.
void canonical_keys(Json& meta) {
  Json renamed = Json::object();
  for (auto it = meta.begin(); it != meta.end(); ++it) {
    const std::string name = meta_name(it.key());
    if (!renamed.contains(name)) renamed[name] = it.value();
  }
  meta = std::move(renamed);
}

}  // namespace

void normalise_provenance(Json& meta, std::map<std::string, LicenseSpelling>& spellings) {
  canonical_keys(meta);
  const auto license = meta.find("license");
  if (license == meta.end() || !license->is_string()) return;
  const std::string given = license->get<std::string>();
  const LicenseReading reading = read_license(given);
  if (reading.recognised && !reading.changed) return;
  LicenseSpelling& spelling = spellings[given];
  spelling.id = reading.id;
  spelling.recognised = reading.recognised;
  spelling.note = reading.note;
  ++spelling.rows;
  if (reading.recognised) *license = reading.id;
}

}  // namespace clipset::detail
