#include "support/audio_fixtures.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

namespace clipset::test {

void write_tone(const std::filesystem::path& file, const ToneSpec& spec) {
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  SF_INFO info{};
  info.samplerate = spec.sample_rate;
  info.channels = spec.channels;
  info.format = spec.format;
  SNDFILE* sf = sf_open(file.c_str(), SFM_WRITE, &info);
  if (sf == nullptr) throw std::runtime_error("cannot write " + file.string() + ": " + sf_strerror(nullptr));
  const auto frames = static_cast<sf_count_t>(std::llround(spec.seconds * spec.sample_rate));
  std::vector<float> block(static_cast<std::size_t>(4096 * spec.channels));
  for (sf_count_t start = 0; start < frames; start += 4096) {
    const sf_count_t n = std::min<sf_count_t>(4096, frames - start);
    for (sf_count_t i = 0; i < n; ++i) {
      const double t = static_cast<double>(start + i) / spec.sample_rate;
      const auto v = static_cast<float>(spec.dc_offset + spec.amplitude * std::sin(2 * std::numbers::pi * spec.frequency * t));
      for (int c = 0; c < spec.channels; ++c) block[static_cast<std::size_t>(i * spec.channels + c)] = v;
    }
    if (sf_writef_float(sf, block.data(), n) != n) {
      sf_close(sf);
      throw std::runtime_error("short write to " + file.string());
    }
  }
  sf_close(sf);
}

void write_samples(const std::filesystem::path& file, const std::vector<float>& interleaved, int sample_rate, int channels,
                   int format) {
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* sf = sf_open(file.c_str(), SFM_WRITE, &info);
  if (sf == nullptr) throw std::runtime_error("cannot write " + file.string() + ": " + sf_strerror(nullptr));
  const auto frames = static_cast<sf_count_t>(interleaved.size() / static_cast<std::size_t>(channels));
  const bool complete = sf_writef_float(sf, interleaved.data(), frames) == frames;
  sf_close(sf);
  if (!complete) throw std::runtime_error("short write to " + file.string());
}

}  // namespace clipset::test
