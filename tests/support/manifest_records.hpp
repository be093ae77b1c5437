#pragma once
// Manifests as JSON records, for tests that read what a command wrote or write a hand-edited one.

#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

namespace clipset::test {

// One record per line of the file, parsed (order of keys kept).
std::vector<nlohmann::ordered_json> read_records(const std::filesystem::path& file);
// Each record on a line of its own.
void write_records(const std::filesystem::path& file, const std::vector<nlohmann::ordered_json>& records);

}  // namespace clipset::test
