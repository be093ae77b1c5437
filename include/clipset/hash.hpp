#pragma once
// Streaming SHA-256 over OpenSSL's EVP interface.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace clipset {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t size);
  void update(std::string_view text) { update(text.data(), text.size()); }
  // Lowercase hex digest (64 characters). Finishes the hash; a later update starts a new one.
  std::string hex_digest();

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
};

struct FileDigest {
  std::string sha256;       // lowercase hex
  std::uint64_t bytes = 0;  // bytes actually read
};

// Reads the whole file in large blocks. Throws clipset::Error (io) naming the path and the reason.
FileDigest sha256_file(const std::filesystem::path& path);

// Lowercase hex of a whole string (tests, ids).
std::string sha256_hex(std::string_view text);

}  // namespace clipset
