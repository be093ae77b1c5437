// clipset/licenses.hpp: licences as people write them, read as SPDX ids; which need credit.

#include <catch2/catch.hpp>

#include "clipset/licenses.hpp"

TEST_CASE("read_license: the SPDX normalisation table", "[licenses]") {
  struct Case {
    const char* given;
    const char* id;
    bool changed;
    const char* note;
  };
  const Case cases[] = {
      {"CC-BY-4.0", "CC-BY-4.0", false, ""},
      {"cc-by-4.0", "CC-BY-4.0", true, ""},
      {"CC BY 4.0", "CC-BY-4.0", true, ""},
      {"CC BY-SA 4.0", "CC-BY-SA-4.0", true, ""},
      {"CC BY-NC-SA 3.0", "CC-BY-NC-SA-3.0", true, ""},
      {"cc-by", "CC-BY-4.0", true, "no version given: read as 4.0"},
      {"Creative Commons Attribution 4.0 International", "CC-BY-4.0", true, ""},
      {"Attribution-NonCommercial 4.0 International", "CC-BY-NC-4.0", true, ""},
      {"Creative Commons Attribution-NoDerivatives 4.0", "CC-BY-ND-4.0", true, ""},
      {"CC BY v3", "CC-BY-3.0", true, ""},
      {"CC0", "CC0-1.0", true, ""},
      {"cc0 1.0", "CC0-1.0", true, ""},
      {"Creative Commons Zero", "CC0-1.0", true, ""},
      {"Public Domain", "CC0-1.0", true, "public domain read as the CC0 1.0 dedication"},
      {"mit", "MIT", true, ""},
      {"Apache License 2.0", "Apache-2.0", true, ""},
      {"  CC0-1.0  ", "CC0-1.0", false, ""},
  };
  for (const auto& c : cases) {
    INFO(c.given);
    const auto r = clipset::read_license(c.given);
    CHECK(r.recognised);
    CHECK(r.id == c.id);
    CHECK(r.changed == c.changed);
    CHECK(r.note == c.note);
  }
}

TEST_CASE("read_license keeps what it does not recognise, as given", "[licenses]") {
  for (const char* given : {"all rights reserved", "CC BY 9.0", "own recording", "LicenseRef-Lab"}) {
    INFO(given);
    const auto r = clipset::read_license(given);
    CHECK_FALSE(r.recognised);
    CHECK(r.id == given);
    CHECK_FALSE(r.changed);
    CHECK(r.note.empty());
  }
}

TEST_CASE("licences requiring attribution, names, deeds, lists", "[licenses]") {
  CHECK(clipset::license_requires_attribution("CC-BY-4.0"));
  CHECK(clipset::license_requires_attribution("CC-BY-NC-SA-4.0"));
  CHECK(clipset::license_requires_attribution("MIT"));
  CHECK_FALSE(clipset::license_requires_attribution("CC0-1.0"));
  CHECK(clipset::license_requires_attribution("LicenseRef-Unknown"));  // the safe side
  CHECK(clipset::license_name("CC-BY-4.0") == "Creative Commons Attribution 4.0 International");
  CHECK(clipset::license_url("CC-BY-NC-SA-4.0") == "https://creativecommons.org/licenses/by-nc-sa/4.0/");
  CHECK(clipset::license_url("CC0-1.0") == "https://creativecommons.org/publicdomain/zero/1.0/");
  CHECK(clipset::license_url("MIT") == "https://spdx.org/licenses/MIT.html");
  CHECK(clipset::read_license_list("CC0-1.0, CC BY 4.0,,cc-by-sa") ==
        std::vector<std::string>{"CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0"});
}
