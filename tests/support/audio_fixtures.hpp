#pragma once
// Audio the tests generate (through libsndfile directly: tests may, the app may not).

#include <filesystem>
#include <vector>

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

// Writes interleaved float samples (full scale +-1) as WAV PCM16 unless `format` says otherwise.
void write_samples(const std::filesystem::path& file, const std::vector<float>& interleaved, int sample_rate, int channels = 1,
                   int format = SF_FORMAT_WAV | SF_FORMAT_PCM_16);

}  // namespace clipset::test
