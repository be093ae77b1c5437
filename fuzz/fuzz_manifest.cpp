// The JSONL manifest reader: ManifestReader over the input as a stream (blank lines, bad lines
// reported and skipped, duplicate ids), and parse_manifest_line on every line. Whatever it
// accepts must survive a round trip: the canonical line written for an item parses again and
// writes the same line (every subcommand reads what another one wrote).

#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <sstream>
#include <string>

#include "clipset/error.hpp"
#include "clipset/manifest.hpp"
#include "fuzz_input.hpp"

namespace {

void check_round_trip(const clipset::Item& item) {
  const std::string line = clipset::item_to_line(item);
  clipset::ParsedLine again;
  try {
    again = clipset::parse_manifest_line(line);
  } catch (const clipset::Error& e) {
    std::fprintf(stderr, "a written line does not parse again: %s\n%s\n", e.what(), line.c_str());
    std::abort();
  }
  const std::string second = clipset::item_to_line(again.item);
  if (second != line) {
    std::fprintf(stderr, "round trip changed the line:\n%s\n%s\n", line.c_str(), second.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(clipset::fuzz::as_text(data, size));

  // Line by line, as validate and split do.
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    try {
      check_round_trip(clipset::parse_manifest_line(line).item);
    } catch (const clipset::Error&) {
      // a bad line, reported with its reason
    }
  }

  // The streaming reader, lenient (bad lines to the handler) with unique ids.
  std::istringstream in(text);
  clipset::ManifestReader reader(in, "fuzz.jsonl");
  reader.set_unique_ids(true);
  std::size_t problems = 0;
  reader.on_problem([&](const clipset::ManifestProblem& p) {
    if (p.reason.empty() || p.line == 0) std::abort();
    ++problems;
  });
  try {
    while (reader.next()) {
    }
  } catch (const clipset::Error&) {
  }
  if (problems != reader.problem_count()) std::abort();

  // Strict: the first bad line throws clipset::Error and nothing else.
  std::istringstream strict_in(text);
  clipset::ManifestReader strict(strict_in, "fuzz.jsonl");
  strict.set_strict(true);
  try {
    while (strict.next()) {
    }
  } catch (const clipset::Error&) {
  }
  return 0;
}
