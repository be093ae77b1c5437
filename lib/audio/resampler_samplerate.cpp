// libsamplerate's sinc converters behind the ResamplerEngine interface.

#include <samplerate.h>

#include <cmath>

#include "clipset/error.hpp"
#include "resampler_engine.hpp"

namespace clipset::detail {

namespace {

int converter_for(ResampleQuality quality) {
  switch (quality) {
    case ResampleQuality::fastest: return SRC_SINC_FASTEST;
    case ResampleQuality::medium: return SRC_SINC_MEDIUM_QUALITY;
    case ResampleQuality::best: return SRC_SINC_BEST_QUALITY;
  }
  return SRC_SINC_FASTEST;
}

class SamplerateEngine final : public ResamplerEngine {
 public:
  SamplerateEngine(int channels, double ratio, ResampleQuality quality) : channels_(channels), ratio_(ratio) {
    int error = 0;
    src_ = src_new(converter_for(quality), channels, &error);
    if (src_ == nullptr) throw Error(ErrorKind::internal, "libsamplerate", src_strerror(error));
  }
  ~SamplerateEngine() override { src_delete(src_); }
  SamplerateEngine(const SamplerateEngine&) = delete;
  SamplerateEngine& operator=(const SamplerateEngine&) = delete;

  std::size_t convert(const float* in, std::size_t frames, bool end, std::vector<float>& out) override {
    const auto width = static_cast<std::size_t>(channels_);
    // Room for this block's output plus the converter's slack.
    const std::size_t capacity = static_cast<std::size_t>(std::ceil(static_cast<double>(frames) * ratio_)) + 256;
    std::size_t total = 0;
    SRC_DATA data{};
    data.src_ratio = ratio_;
    data.data_in = in;
    data.input_frames = static_cast<long>(frames);
    data.end_of_input = end ? 1 : 0;
    for (;;) {
      const std::size_t at = out.size();
      out.resize(at + capacity * width);
      data.data_out = out.data() + at;
      data.output_frames = static_cast<long>(capacity);
      if (const int error = src_process(src_, &data); error != 0) {
        out.resize(at);
        throw Error(ErrorKind::internal, "libsamplerate", src_strerror(error));
      }
      const auto produced = static_cast<std::size_t>(data.output_frames_gen);
      out.resize(at + produced * width);
      total += produced;
      data.data_in += data.input_frames_used * static_cast<long>(width);
      data.input_frames -= data.input_frames_used;
      // Done when all input is consumed and (at the end) nothing more comes out.
      if (data.input_frames == 0 && (!end || produced == 0)) break;
    }
    return total;
  }

 private:
  SRC_STATE* src_ = nullptr;
  int channels_;
  double ratio_;
};

}  // namespace

std::unique_ptr<ResamplerEngine> make_samplerate_engine(int channels, double ratio, ResampleQuality quality) {
  return std::make_unique<SamplerateEngine>(channels, ratio, quality);
}

}  // namespace clipset::detail
