// The streaming resampler: one of the engines, with an exact output length.

#include <algorithm>
#include <cmath>

#include "clipset/audio_process.hpp"
#include "resampler_engine.hpp"

namespace clipset {

struct Resampler::State {
  std::unique_ptr<detail::ResamplerEngine> engine;
  int channels = 1;
  double ratio = 1;
  std::int64_t frames_in = 0;
  std::int64_t frames_out = 0;
};

std::string resampler_name(ResamplerKind kind) { return kind == ResamplerKind::soxr ? "soxr" : "libsamplerate"; }

std::string quality_name(ResampleQuality quality) {
  switch (quality) {
    case ResampleQuality::fastest: return "fastest";
    case ResampleQuality::medium: return "medium";
    case ResampleQuality::best: return "best";
  }
  return "fastest";
}

std::optional<ResamplerKind> parse_resampler(std::string_view name) {
  for (const ResamplerKind kind : {ResamplerKind::soxr, ResamplerKind::libsamplerate}) {
    if (name == resampler_name(kind)) return kind;
  }
  return std::nullopt;
}

std::optional<ResampleQuality> parse_quality(std::string_view name) {
  for (const ResampleQuality quality : {ResampleQuality::fastest, ResampleQuality::medium, ResampleQuality::best}) {
    if (name == quality_name(quality)) return quality;
  }
  return std::nullopt;
}

Resampler::Resampler(int channels, double ratio, ResampleQuality quality, ResamplerKind kind)
    : state_(std::make_unique<State>()) {
  state_->engine = kind == ResamplerKind::soxr ? detail::make_soxr_engine(channels, ratio, quality)
                                               : detail::make_samplerate_engine(channels, ratio, quality);
  state_->channels = channels;
  state_->ratio = ratio;
}

Resampler::~Resampler() = default;
Resampler::Resampler(Resampler&&) noexcept = default;
Resampler& Resampler::operator=(Resampler&&) noexcept = default;

void Resampler::process(const float* in, std::size_t frames, std::vector<float>& out) {
  state_->frames_in += static_cast<std::int64_t>(frames);
  if (frames == 0) return;
  state_->frames_out += static_cast<std::int64_t>(state_->engine->convert(in, frames, false, out));
}

void Resampler::finish(std::vector<float>& out) {
  const std::size_t before = out.size();
  const std::int64_t produced = state_->frames_out + static_cast<std::int64_t>(state_->engine->convert(nullptr, 0, true, out));
  // Trim or pad the tail so the whole stream has exactly round(in * ratio) frames.
  const auto width = static_cast<std::size_t>(state_->channels);
  const auto wanted = static_cast<std::int64_t>(std::llround(static_cast<double>(state_->frames_in) * state_->ratio));
  if (produced > wanted) {
    const auto extra = static_cast<std::size_t>(produced - wanted);
    const std::size_t removable = std::min(extra * width, out.size() - before);
    out.resize(out.size() - removable);
  } else if (produced < wanted) {
    out.insert(out.end(), static_cast<std::size_t>(wanted - produced) * width, 0.0f);
  }
  state_->frames_out = wanted;
}

}  // namespace clipset
