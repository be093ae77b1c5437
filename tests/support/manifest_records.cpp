#include "support/manifest_records.hpp"

#include <string>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace clipset::test {

std::vector<nlohmann::ordered_json> read_records(const std::filesystem::path& file) {
  std::vector<nlohmann::ordered_json> records;
  for (const auto& line : lines_of(read_file(file))) records.push_back(nlohmann::ordered_json::parse(line));
  return records;
}

void write_records(const std::filesystem::path& file, const std::vector<nlohmann::ordered_json>& records) {
  std::string text;
  for (const auto& r : records) text += r.dump() + "\n";
  write_file(file, text);
}

}  // namespace clipset::test
