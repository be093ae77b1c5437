// Label maps: folder labels renamed onto a taxonomy's names or AudioSet ids (ingest --map).

#include <cerrno>
#include <fstream>

#include "clipset/error.hpp"
#include "clipset/labels.hpp"
#include "clipset/text.hpp"

namespace clipset {

LabelMap parse_label_map(std::istream& in, const std::string& name) {
  LabelMap map;
  std::string text;
  for (std::size_t line = 1; std::getline(in, text); ++line) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    const std::string_view trimmed = trim(text);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    const std::string where = name + ":" + std::to_string(line);
    const std::size_t tab = text.find('\t');
    if (tab == std::string::npos) throw_usage(where, "expected 'label<TAB>taxonomy label', found no tab");
    if (text.find('\t', tab + 1) != std::string::npos) throw_usage(where, "expected one tab, found several");
    const std::string from(trim(std::string_view(text).substr(0, tab)));
    const std::string to(trim(std::string_view(text).substr(tab + 1)));
    if (from.empty() || to.empty()) throw_usage(where, "a label and its taxonomy label must both be given");
    const auto [it, added] = map.emplace(from, to);
    if (!added && it->second != to) throw_usage(where, "'" + from + "' is mapped to '" + it->second + "' already, and here to '" + to + "'");
  }
  if (in.bad()) throw_io(name, "read error");
  return map;
}

LabelMap read_label_map(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw_io(file.string(), errno_reason(errno != 0 ? errno : EIO));
  return parse_label_map(in, file.string());
}

}  // namespace clipset
