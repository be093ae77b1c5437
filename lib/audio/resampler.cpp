// libsamplerate behind RAII, with an exact output length.

#include <samplerate.h>

#include <cmath>

#include "clipset/audio_process.hpp"
#include "clipset/error.hpp"

namespace clipset {

namespace {
int converter_for(ResampleQuality quality) {
  switch (quality) {
    case ResampleQuality::fastest: return SRC_SINC_FASTEST;
    case ResampleQuality::medium: return SRC_SINC_MEDIUM_QUALITY;
    case ResampleQuality::best: return SRC_SINC_BEST_QUALITY;
  }
  return SRC_SINC_FASTEST;
}
}  // namespace

struct Resampler::State {
  SRC_STATE* src = nullptr;
  int channels = 1;
  double ratio = 1;
  std::int64_t frames_in = 0;
  std::int64_t frames_out = 0;
  std::vector<float> scratch;
  ~State() {
    if (src != nullptr) src_delete(src);
  }
};

Resampler::Resampler(int channels, double ratio, ResampleQuality quality) : state_(std::make_unique<State>()) {
  int error = 0;
  state_->src = src_new(converter_for(quality), channels, &error);
  if (state_->src == nullptr) throw Error(ErrorKind::internal, "libsamplerate", src_strerror(error));
  state_->channels = channels;
  state_->ratio = ratio;
}

Resampler::~Resampler() = default;
Resampler::Resampler(Resampler&&) noexcept = default;
Resampler& Resampler::operator=(Resampler&&) noexcept = default;

void Resampler::process(const float* in, std::size_t frames, std::vector<float>& out) {
  state_->frames_in += static_cast<std::int64_t>(frames);
  run(in, frames, false, out);
}

void Resampler::finish(std::vector<float>& out) {
  const std::size_t before = out.size();
  run(nullptr, 0, true, out);
  // Trim or pad the tail so the whole stream has exactly round(in * ratio) frames.
  const auto width = static_cast<std::size_t>(state_->channels);
  const auto wanted = static_cast<std::int64_t>(std::llround(static_cast<double>(state_->frames_in) * state_->ratio));
  const std::int64_t produced = state_->frames_out;
  if (produced > wanted) {
    const auto extra = static_cast<std::size_t>(produced - wanted);
    const std::size_t removable = std::min(extra * width, out.size() - before);
    out.resize(out.size() - removable);
  } else if (produced < wanted) {
    out.insert(out.end(), static_cast<std::size_t>(wanted - produced) * width, 0.0f);
  }
  state_->frames_out = wanted;
}

void Resampler::run(const float* in, std::size_t frames, bool end, std::vector<float>& out) {
  const auto width = static_cast<std::size_t>(state_->channels);
  // Room for this block's output plus the converter's slack.
  const std::size_t capacity = static_cast<std::size_t>(std::ceil(static_cast<double>(frames) * state_->ratio)) + 256;
  state_->scratch.resize(capacity * width);
  SRC_DATA data{};
  data.src_ratio = state_->ratio;
  data.data_in = in;
  data.input_frames = static_cast<long>(frames);
  data.end_of_input = end ? 1 : 0;
  for (;;) {
    data.data_out = state_->scratch.data();
    data.output_frames = static_cast<long>(capacity);
    if (const int error = src_process(state_->src, &data); error != 0) {
      throw Error(ErrorKind::internal, "libsamplerate", src_strerror(error));
    }
    const auto produced = static_cast<std::size_t>(data.output_frames_gen);
    out.insert(out.end(), state_->scratch.begin(), state_->scratch.begin() + static_cast<std::ptrdiff_t>(produced * width));
    state_->frames_out += static_cast<std::int64_t>(produced);
    data.data_in += data.input_frames_used * static_cast<long>(width);
    data.input_frames -= data.input_frames_used;
    // Done when all input is consumed and (at the end) nothing more comes out.
    if (data.input_frames == 0 && (!end || produced == 0)) break;
  }
}

}  // namespace clipset
