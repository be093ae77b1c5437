#pragma once
// Catch2 helpers shared by the tests that read audio through clipset::SoundFile.

#include <catch2/catch.hpp>
#include <filesystem>
#include <vector>

#include "clipset/audio.hpp"
#include "clipset/error.hpp"

namespace clipset::test {

// The error SoundFile::open throws for `path`; fails the test when it opens.
inline clipset::Error open_error(const std::filesystem::path& path) {
  try {
    clipset::SoundFile::open(path);
  } catch (const clipset::Error& e) {
    return e;
  }
  FAIL("no error opening " << path);
  throw;  // not reached
}

// All interleaved samples, read in blocks of the given frame counts (cycled); checks that no
// read writes past the block it was given.
inline std::vector<float> read_all(clipset::SoundFile& file, const std::vector<std::size_t>& blocks) {
  const auto channels = static_cast<std::size_t>(file.info().channels);
  std::vector<float> samples;
  std::vector<float> buffer;
  for (std::size_t i = 0;; ++i) {
    const std::size_t want = blocks[i % blocks.size()];
    buffer.assign(want * channels + 1, 12345.0f);  // a sentinel after the block
    const std::size_t got = file.read(buffer.data(), want);
    REQUIRE(got <= want);
    CHECK(buffer[want * channels] == 12345.0f);
    if (got == 0) break;
    samples.insert(samples.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(got * channels));
  }
  return samples;
}

}  // namespace clipset::test
