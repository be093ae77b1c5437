// The audio readers as clipset uses them: the input becomes a memory file (memfd_create, read
// through /proc/self/fd/N) and the real SoundFile::open runs unchanged: libsndfile first, its
// truncation checks, the fallback to FFmpeg (its two-pass frame count and decoder), the tags
// read by FFmpeg; then the streaming read loop and the quality meter, bounded per input.

#include <cstdint>

#include "audio_harness.hpp"
#include "clipset/audio.hpp"
#include "clipset/error.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static clipset::fuzz::MemoryFile file;
  const auto& path = file.hold(data, size);
  try {
    auto sound = clipset::SoundFile::open(path, clipset::FileTags::read);
    clipset::fuzz::read_bounded(sound.info(), [&](float* out, std::size_t frames) { return sound.read(out, frames); });
  } catch (const clipset::Error&) {
    // not audio, damaged, or a decode error: each has its reason
  }
  return 0;
}
