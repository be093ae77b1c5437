#include "clipset/hash.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <utility>

#include <unistd.h>

#include "clipset/error.hpp"
#include "support/temp_dir.hpp"

namespace {

// FIPS 180-2 appendix B / NIST CAVS examples.
const std::string kEmpty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const std::string kAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const std::string k448Bits = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const std::string k448Digest = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
const std::string kMillionA = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

clipset::Error io_error(const std::filesystem::path& path) {
  try {
    clipset::sha256_file(path);
  } catch (const clipset::Error& e) {
    return e;
  }
  FAIL("no error for " << path);
  throw;  // not reached
}

}  // namespace

TEST_CASE("sha256 matches the FIPS 180 test vectors", "[hash]") {
  CHECK(clipset::sha256_hex("") == kEmpty);
  CHECK(clipset::sha256_hex("abc") == kAbc);
  CHECK(clipset::sha256_hex(k448Bits) == k448Digest);
  CHECK(clipset::sha256_hex(std::string(1'000'000, 'a')) == kMillionA);
}

TEST_CASE("sha256 of one million 'a' fed in uneven blocks", "[hash]") {
  clipset::Sha256 hash;
  const std::string block(997, 'a');  // a prime, so blocks straddle the 64-byte boundary
  std::size_t left = 1'000'000;
  while (left > 0) {
    const std::size_t n = std::min(left, block.size());
    hash.update(block.data(), n);
    left -= n;
  }
  CHECK(hash.hex_digest() == kMillionA);
}

TEST_CASE("sha256 incremental updates split at every offset agree", "[hash]") {
  // Longer than two 64-byte blocks so every split position inside and across blocks is tried.
  std::string text;
  for (int i = 0; i < 150; ++i) text += static_cast<char>((i * 37 + 11) & 0xff);
  const std::string whole = clipset::sha256_hex(text);
  clipset::Sha256 hash;
  for (std::size_t split = 0; split <= text.size(); ++split) {
    CAPTURE(split);
    hash.update(std::string_view(text).substr(0, split));
    hash.update(std::string_view(text).substr(split));
    CHECK(hash.hex_digest() == whole);  // the same object: hex_digest starts a new hash
  }
}

TEST_CASE("sha256 object is reusable and movable", "[hash]") {
  clipset::Sha256 hash;
  hash.update("abc");
  CHECK(hash.hex_digest() == kAbc);
  CHECK(hash.hex_digest() == kEmpty);  // nothing fed since the last digest
  hash.update("a");
  clipset::Sha256 moved(std::move(hash));
  moved.update("bc");
  CHECK(moved.hex_digest() == kAbc);
  clipset::Sha256 assigned;
  assigned = std::move(moved);
  assigned.update(k448Bits);
  CHECK(assigned.hex_digest() == k448Digest);
  hash.update("abc");  // NOLINT(bugprone-use-after-move): a moved-from object starts afresh
  CHECK(hash.hex_digest() == kAbc);
}

TEST_CASE("sha256_file hashes a file and counts its bytes", "[hash]") {
  clipset::test::TempDir dir;
  SECTION("small file") {
    clipset::test::write_file(dir / "abc.txt", "abc");
    const auto digest = clipset::sha256_file(dir / "abc.txt");
    CHECK(digest.sha256 == kAbc);
    CHECK(digest.bytes == 3);
  }
  SECTION("empty file") {
    clipset::test::write_file(dir / "empty", "");
    const auto digest = clipset::sha256_file(dir / "empty");
    CHECK(digest.sha256 == kEmpty);
    CHECK(digest.bytes == 0);
  }
  SECTION("file larger than the 1 MiB read buffer") {
    std::string content;
    content.reserve(3'000'001);
    for (std::size_t i = 0; i < 3'000'001; ++i) content += static_cast<char>(i * 131 % 251);
    clipset::test::write_file(dir / "big.bin", content);
    const auto digest = clipset::sha256_file(dir / "big.bin");
    CHECK(digest.sha256 == clipset::sha256_hex(content));
    CHECK(digest.bytes == content.size());
  }
}

TEST_CASE("sha256_file names the path and the reason on failure", "[hash]") {
  clipset::test::TempDir dir;
  SECTION("missing file") {
    const auto path = dir / "missing.wav";
    const auto e = io_error(path);
    CHECK(e.kind() == clipset::ErrorKind::io);
    CHECK(e.subject() == path.string());
    CHECK(e.reason() == "no such file or directory");
    CHECK(std::string(e.what()) == path.string() + ": no such file or directory");
  }
  SECTION("unreadable file") {
    const auto path = dir / "secret.wav";
    clipset::test::write_file(path, "abc");
    std::filesystem::permissions(path, std::filesystem::perms::none);
    if (::access(path.c_str(), R_OK) == 0) return;  // root reads anything: nothing to test
    const auto e = io_error(path);
    CHECK(e.kind() == clipset::ErrorKind::io);
    CHECK(e.reason() == "permission denied");
  }
  SECTION("directory") {
    const auto e = io_error(dir.path());
    CHECK(e.kind() == clipset::ErrorKind::io);
    CHECK(e.subject() == dir.path().string());
    CHECK(e.reason() == "is a directory");
  }
}
