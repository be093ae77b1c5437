// Whole manifests into one (from several laptops): in the order given, each id once. Memory: an
// id and a digest per item.

#include <unordered_map>

#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "internal.hpp"

namespace clipset::merge_detail {

namespace {

struct Seen {
  std::size_t input = 0;
  std::size_t line = 0;
  std::string digest;  // of the record's canonical JSON: equal records, equal digests
};

}  // namespace

MergeSummary merge_manifests(std::vector<LineSource>& sources, const MergeCallbacks& callbacks) {
  MergeSummary summary;
  std::unordered_map<std::string, Seen> seen;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    LineSource& source = sources[i];
    while (source.next()) {
      ParsedLine parsed;
      try {
        parsed = parse_manifest_line(source.text());
      } catch (const Error& e) {
        ++summary.problems;
        if (callbacks.problem) callbacks.problem({source.name(), source.line(), e.reason()});
        continue;
      }
      std::string digest = sha256_hex(parsed.record.dump(-1, ' ', false, Json::error_handler_t::replace));
      const auto [it, inserted] = seen.try_emplace(parsed.item.id, Seen{i, source.line(), std::move(digest)});
      if (inserted) {
        ++summary.records;
        if (callbacks.record) callbacks.record(source.text());
      } else if (it->second.digest == sha256_hex(parsed.record.dump(-1, ' ', false, Json::error_handler_t::replace))) {
        ++summary.duplicates;
      } else {
        ++summary.conflicts;
        if (callbacks.conflict) {
          callbacks.conflict({parsed.item.id, sources[it->second.input].name(), it->second.line, source.name(), source.line()});
        }
      }
    }
  }
  return summary;
}

}  // namespace clipset::merge_detail
