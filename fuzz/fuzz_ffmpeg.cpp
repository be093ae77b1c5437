// clipset's FFmpeg backend on its own (lib/audio/ffmpeg_input.cpp, ffmpeg_decoder.cpp,
// ffmpeg_tags.cpp): SoundFile::open asks libsndfile first, so input that libsndfile accepts
// (WAV, FLAC, Ogg, MP3) would never reach FFmpeg there. The input is a memory file named by
// /proc/self/fd/N, as in fuzz_sound_file; decoding is bounded per input.

#include <cstdint>

#include "audio_harness.hpp"
#include "clipset/error.hpp"
#include "audio/decoder.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static clipset::fuzz::MemoryFile file;
  const auto& path = file.hold(data, size);
  try {
    auto opened = clipset::detail::open_with_ffmpeg(path);
    if (!opened.decoder) return 0;  // not a container FFmpeg recognises
    clipset::fuzz::read_bounded(opened.info,
                                [&](float* out, std::size_t frames) { return opened.decoder->read(out, frames); });
  } catch (const clipset::Error&) {
  }
  try {
    (void)clipset::detail::read_tags_with_ffmpeg(path, "wav");
  } catch (const clipset::Error&) {
  }
  return 0;
}
