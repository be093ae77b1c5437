#pragma once
// The converters behind clipset::Resampler (not part of the public API). Each wraps one library
// and appends whatever it produces; Resampler itself keeps the stream's exact length.

#include <cstddef>
#include <memory>
#include <vector>

#include "clipset/audio_process.hpp"

namespace clipset::detail {

class ResamplerEngine {
 public:
  virtual ~ResamplerEngine() = default;
  // Converts `frames` interleaved frames (end: none, flush the delay line) and appends the
  // output to `out`. Returns the frames appended.
  virtual std::size_t convert(const float* in, std::size_t frames, bool end, std::vector<float>& out) = 0;
};

std::unique_ptr<ResamplerEngine> make_samplerate_engine(int channels, double ratio, ResampleQuality quality);
std::unique_ptr<ResamplerEngine> make_soxr_engine(int channels, double ratio, ResampleQuality quality);

}  // namespace clipset::detail
