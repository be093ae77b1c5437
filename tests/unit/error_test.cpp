#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "clipset/error.hpp"

using namespace clipset;

namespace {
std::string dashed(std::string_view member) {
  std::string flag = "--";
  for (char c : member) flag += c == '_' ? '-' : c;
  return flag;
}
}  // namespace

TEST_CASE("error: an option mention is spelled by the front end", "[error]") {
  CHECK(spell_options("needs " + option_ref("group_by") + " and " + option_ref("folds") + " K", dashed) ==
        "needs --group-by and --folds K");
  CHECK(spell_options("no mention here", dashed) == "no mention here");
  // Braces that are not a mark stay as they are, and a mark after them is still spelled.
  CHECK(spell_options("a {{Not A Name}} then " + option_ref("hop"), dashed) == "a {{Not A Name}} then --hop");
  CHECK(spell_options("open {{ only", dashed) == "open {{ only");
  CHECK(spell_options("{{}}", dashed) == "{{}}");
}

TEST_CASE("error: throw_option is a usage error whose subject is the option and its value", "[error]") {
  try {
    throw_option("min_overlap", "1.5", "must be between 0 and 1");
    FAIL("no throw");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(spell_options(e.what(), dashed) == "--min-overlap 1.5: must be between 0 and 1");
  }
  try {
    throw_option("length", "must be more than 0");
    FAIL("no throw");
  } catch (const Error& e) {
    CHECK(spell_options(e.what(), dashed) == "--length: must be more than 0");
  }
}
