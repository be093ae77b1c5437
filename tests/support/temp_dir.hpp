#pragma once
// A fresh temporary folder per test, removed with everything in it at the end.

#include <filesystem>
#include <string>
#include <string_view>

namespace clipset::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  std::filesystem::path operator/(std::string_view relative) const { return path_ / relative; }

 private:
  std::filesystem::path path_;
};

// Creates parent folders as needed; binary-exact.
void write_file(const std::filesystem::path& file, std::string_view content);
std::string read_file(const std::filesystem::path& file);

}  // namespace clipset::test
