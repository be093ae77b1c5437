// A line's top-level members, cut at the commas outside strings at the object's own level.

#include "clipset/record_members.hpp"

#include "clipset/manifest.hpp"

namespace clipset {

std::optional<std::vector<RecordMember>> record_members(std::string_view line) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (line.substr(0, kBom.size()) == kBom) line.remove_prefix(kBom.size());
  const auto first = line.find_first_not_of(" \t\r");
  const auto last = line.find_last_not_of(" \t\r");
  if (first == std::string_view::npos) return std::nullopt;
  const std::string_view record = line.substr(first, last - first + 1);
  if (record.size() < 2 || record.front() != '{' || record.back() != '}') return std::nullopt;
  std::vector<std::size_t> cuts{0};
  scan_json_structure(record, [&](std::size_t i, char c, std::size_t depth) {
    if (c == ',' && depth == 1) cuts.push_back(i);
    return true;
  });
  cuts.push_back(record.size() - 1);
  std::vector<RecordMember> members;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    const std::string_view text = record.substr(cuts[k] + 1, cuts[k + 1] - cuts[k] - 1);
    const auto open = text.find('"');
    const auto close = open == std::string_view::npos ? open : text.find('"', open + 1);
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view key = text.substr(open + 1, close - open - 1);
    if (key.find('\\') != std::string_view::npos) return std::nullopt;
    members.push_back(RecordMember{text, key});
  }
  return members;
}

}  // namespace clipset
