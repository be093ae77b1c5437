#pragma once
// Audio the tests generate (through libsndfile directly: tests may, the app may not).

#include <filesystem>

#include <sndfile.h>

namespace clipset::test {

struct ToneSpec {
  double seconds = 1.0;
  int sample_rate = 16000;
  int channels = 1;
  double frequency = 440.0;
  double amplitude = 0.5;  // peak, full scale = 1
  double dc_offset = 0.0;
  int format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
};

// Writes a sine tone (same on every channel); creates parent folders. Throws on failure.
void write_tone(const std::filesystem::path& file, const ToneSpec& spec = {});

}  // namespace clipset::test
