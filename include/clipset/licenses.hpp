#pragma once
// Licences of recordings (`meta.license`): SPDX identifiers, the common ways people write them
// ("CC BY 4.0", "cc-by", "Creative Commons Attribution 4.0 International", "Public Domain"), and
// which licences require attribution. One table for ingest (normalising sheet cells), validate
// (--allow-license) and export (the attribution file). See docs/manifest.md, "Licences".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clipset {

struct LicenseReading {
  std::string id;          // the SPDX id; the text as given (trimmed) when not recognised
  bool recognised = false;
  bool changed = false;    // id differs from the text as given
  std::string note;        // why, when the reading assumed something ("no version given: ...")
};

// Reads a licence as people write it. Case, spaces, '_' and '-' do not matter; "Creative
// Commons" = "CC", "Attribution" = "BY", "NonCommercial" = "NC", "ShareAlike" = "SA",
// "NoDerivatives"/"NoDerivs" = "ND"; "International", "License"/"Licence" and a "v" before the
// version are dropped; a Creative Commons licence without a version is taken as 4.0 (said in note).
LicenseReading read_license(std::string_view text);

// Whether the licence (an SPDX id) requires crediting the author: every CC BY variant, MIT,
// BSD, Apache; not CC0. Unknown ids count as requiring it (the safe side).
bool license_requires_attribution(std::string_view spdx_id);

// The licence's name for people ("Creative Commons Attribution 4.0 International"), or the id.
std::string license_name(std::string_view spdx_id);

// Where the licence's text is read: the Creative Commons deed for CC licences, the SPDX page otherwise.
std::string license_url(std::string_view spdx_id);

// Parses a comma-separated list of licences ("CC0-1.0, CC BY 4.0") into SPDX ids; a text not
// recognised is kept as given.
std::vector<std::string> read_license_list(std::string_view list);

}  // namespace clipset
