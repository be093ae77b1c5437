// libsoxr (the resampler of sox) behind the ResamplerEngine interface. Its output is aligned
// with its input (linear phase, the filter delay removed), so clip positions need no offset.

#include <soxr.h>

#include <cmath>

#include "clipset/error.hpp"
#include "resampler_engine.hpp"

namespace clipset::detail {

namespace {

// sox's own names: `rate -l`, `-m`, `-h`.
unsigned long recipe_for(ResampleQuality quality) {
  switch (quality) {
    case ResampleQuality::fastest: return SOXR_LQ;
    case ResampleQuality::medium: return SOXR_MQ;
    case ResampleQuality::best: return SOXR_HQ;
  }
  return SOXR_LQ;
}

class SoxrEngine final : public ResamplerEngine {
 public:
  SoxrEngine(int channels, double ratio, ResampleQuality quality) : channels_(channels), ratio_(ratio) {
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    const soxr_quality_spec_t spec = soxr_quality_spec(recipe_for(quality), 0);
    // One thread per converter: clipset parallelises itself, and results must not depend on it.
    const soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
    soxr_error_t error = nullptr;
    soxr_ = soxr_create(1.0, ratio, static_cast<unsigned>(channels), &error, &io, &spec, &runtime);
    if (soxr_ == nullptr || error != nullptr) {
      if (soxr_ != nullptr) soxr_delete(soxr_);
      throw Error(ErrorKind::internal, "libsoxr", soxr_strerror(error));
    }
  }
  ~SoxrEngine() override { soxr_delete(soxr_); }
  SoxrEngine(const SoxrEngine&) = delete;
  SoxrEngine& operator=(const SoxrEngine&) = delete;

  std::size_t convert(const float* in, std::size_t frames, bool end, std::vector<float>& out) override {
    const auto width = static_cast<std::size_t>(channels_);
    const std::size_t capacity = static_cast<std::size_t>(std::ceil(static_cast<double>(frames) * ratio_)) + 1024;
    std::size_t total = 0;
    for (;;) {
      const std::size_t at = out.size();
      out.resize(at + capacity * width);
      std::size_t used = 0;
      std::size_t produced = 0;
      // A null input tells soxr that the stream has ended: it then flushes its delay line.
      const soxr_error_t error = soxr_process(soxr_, end ? nullptr : in, end ? 0 : frames, &used,
                                              out.data() + at, capacity, &produced);
      out.resize(at + produced * width);
      if (error != nullptr) throw Error(ErrorKind::internal, "libsoxr", soxr_strerror(error));
      total += produced;
      if (!end) {
        in += used * width;
        frames -= used;
      }
      // Done when all input is consumed and (at the end) nothing more comes out.
      if ((end && produced == 0) || (!end && frames == 0)) break;
    }
    return total;
  }

 private:
  soxr_t soxr_ = nullptr;
  int channels_;
  double ratio_;
};

}  // namespace

std::unique_ptr<ResamplerEngine> make_soxr_engine(int channels, double ratio, ResampleQuality quality) {
  return std::make_unique<SoxrEngine>(channels, ratio, quality);
}

}  // namespace clipset::detail
