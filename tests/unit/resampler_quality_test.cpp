// The resamplers' frequency responses, for every library, preset and the common ratios: a tone
// keeps its frequency and level, tones above the new Nyquist are removed, the passband is flat,
// and the output is aligned with the input to the sample. The documented figures
// (docs/segment.md, "Resamplers") are the table below; the hidden test "[.resampler-table]"
// measures them (and the speed) again:
//   build-rel/tests/clipset_unit_tests "[.resampler-table]"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "clipset/audio_process.hpp"
#include "support/signals.hpp"

namespace {

using clipset::ResampleQuality;
using clipset::Resampler;
using clipset::ResamplerKind;
using clipset::test::db;
using clipset::test::dft_magnitude;
using clipset::test::rms;
using clipset::test::sine;

// What docs/segment.md promises for each preset: flat within +-ripple_db up to passband x the
// new Nyquist, and tones above the new Nyquist (up to 1.9x it) down by at least stopband_db.
struct Figures {
  ResamplerKind kind;
  ResampleQuality quality;
  double passband;
  double ripple_db;
  double stopband_db;
};

constexpr Figures kDocumented[] = {
    {ResamplerKind::soxr, ResampleQuality::fastest, 0.70, 0.1, 100},
    {ResamplerKind::soxr, ResampleQuality::medium, 0.90, 0.1, 110},
    {ResamplerKind::soxr, ResampleQuality::best, 0.90, 0.1, 130},
    {ResamplerKind::libsamplerate, ResampleQuality::fastest, 0.70, 0.1, 95},
    {ResamplerKind::libsamplerate, ResampleQuality::medium, 0.85, 0.1, 110},
    {ResamplerKind::libsamplerate, ResampleQuality::best, 0.90, 0.1, 135},
};

const Figures& documented(ResamplerKind kind, ResampleQuality quality) {
  for (const auto& f : kDocumented) {
    if (f.kind == kind && f.quality == quality) return f;
  }
  FAIL("no documented figures");
  return kDocumented[0];
}

struct Rates {
  int from, to;
};

std::vector<float> resample(const std::vector<float>& in, const Rates& rates, ResampleQuality quality, ResamplerKind kind) {
  Resampler resampler(1, static_cast<double>(rates.to) / rates.from, quality, kind);
  std::vector<float> out;
  resampler.process(in.data(), in.size(), out);
  resampler.finish(out);
  return out;
}

// Gain in dB of a tone of `frequency` Hz: output RMS over the steady middle of one second.
double tone_gain_db(double frequency, const Rates& rates, ResampleQuality quality, ResamplerKind kind) {
  const double amplitude = 0.5;
  const auto out = resample(sine(amplitude, frequency, rates.from, static_cast<std::size_t>(rates.from)), rates, quality, kind);
  const auto n = static_cast<std::size_t>(rates.to);
  return db(rms(out, n / 10, n * 8 / 10) / (amplitude / std::sqrt(2.0)));
}

// Passband ripple from a linear sweep 100 Hz .. passband x the new Nyquist: the largest deviation
// from 0 dB of the output's level against the input's over the same 10 ms (a window holds a
// fraction of a period at low frequencies, so each is compared with the same stretch of input).
double sweep_ripple_db(double passband, const Rates& rates, ResampleQuality quality, ResamplerKind kind) {
  const double top = passband * rates.to / 2;
  const auto frames = static_cast<std::size_t>(rates.from) * 4;  // 4 s: slow enough to be steady
  const auto in = clipset::test::sweep(0.5, 100, top, rates.from, frames);
  const auto out = resample(in, rates, quality, kind);
  // 20 ms: a whole number of samples at every rate tested (441 at 22.05 kHz).
  const auto window_out = static_cast<std::size_t>(rates.to / 50);
  const auto window_in = static_cast<std::size_t>(rates.from / 50);
  double worst = 0;
  // Skip the first and last 60 ms (the filter's start-up and end).
  for (std::size_t w = 3; (w + 4) * window_out <= out.size(); ++w) {
    const double level = db(rms(out, w * window_out, window_out) / rms(in, w * window_in, window_in));
    worst = std::max(worst, std::abs(level));
  }
  return worst;
}

const Rates kRates[] = {{48000, 16000}, {44100, 22050}, {44100, 16000}};

}  // namespace

TEST_CASE("a 1 kHz tone keeps its frequency (FFT peak within one bin) and level (0.1 dB)", "[resample][quality]") {
  const auto kind = GENERATE(ResamplerKind::soxr, ResamplerKind::libsamplerate);
  const auto quality = GENERATE(ResampleQuality::fastest, ResampleQuality::medium, ResampleQuality::best);
  const auto rates = GENERATE(Rates{48000, 16000}, Rates{44100, 22050}, Rates{44100, 16000});
  CAPTURE(clipset::resampler_name(kind), clipset::quality_name(quality), rates.from, rates.to);
  const double amplitude = 0.5;
  const auto out = resample(sine(amplitude, 1000, rates.from, static_cast<std::size_t>(rates.from)), rates, quality, kind);
  REQUIRE(out.size() == static_cast<std::size_t>(rates.to));

  // Spectral peak: 0.1 s from the steady middle, 10 Hz bins, scanned 500 Hz .. 1.5 kHz and
  // then checked against the whole band at coarser steps.
  const auto n = static_cast<std::size_t>(rates.to / 10);
  const std::size_t from = static_cast<std::size_t>(rates.to) / 2;
  const double bin = static_cast<double>(rates.to) / static_cast<double>(n);
  double best_f = 0, best_m = 0;
  for (double f = bin; f < rates.to / 2.0; f += (f > 500 && f < 1500) ? bin : 5 * bin) {
    const double m = dft_magnitude(out, from, n, f, rates.to);
    if (m > best_m) best_m = m, best_f = f;
  }
  CHECK(std::abs(best_f - 1000) <= bin);
  CHECK(db(best_m / amplitude) == Approx(0).margin(0.1));
  CHECK(tone_gain_db(1000, rates, quality, kind) == Approx(0).margin(0.1));
}

TEST_CASE("tones above the new Nyquist are attenuated by at least the documented stopband", "[resample][quality]") {
  const auto kind = GENERATE(ResamplerKind::soxr, ResamplerKind::libsamplerate);
  const auto quality = GENERATE(ResampleQuality::fastest, ResampleQuality::medium, ResampleQuality::best);
  const auto rates = GENERATE(Rates{48000, 16000}, Rates{44100, 22050}, Rates{44100, 16000});
  const auto where = GENERATE(1.1, 1.3, 1.6, 1.9);
  const double frequency = where * rates.to / 2;
  CAPTURE(clipset::resampler_name(kind), clipset::quality_name(quality), rates.from, rates.to, frequency);
  const double gain = tone_gain_db(frequency, rates, quality, kind);
  CAPTURE(gain);
  CHECK(-gain >= documented(kind, quality).stopband_db);
}

TEST_CASE("the default resampler removes tones above the new Nyquist by at least 60 dB", "[resample][quality]") {
  // 10 kHz at 44.1k -> 16k (Nyquist 8 kHz) must not alias to 6 kHz.
  const auto frequency = GENERATE(9000.0, 10000.0, 15000.0);
  CAPTURE(frequency);
  const Rates rates{44100, 16000};
  const auto out = resample(sine(0.5, frequency, 44100, 44100), rates, ResampleQuality::fastest, clipset::kDefaultResampler);
  CHECK(db(rms(out, 1600, 12800) / (0.5 / std::sqrt(2.0))) <= -60);
  CHECK(db(dft_magnitude(out, 4000, 8000, 16000 - frequency, 16000) / 0.5) <= -60);
  CHECK(documented(clipset::kDefaultResampler, ResampleQuality::fastest).stopband_db >= 60);
}

TEST_CASE("a sweep's passband ripple stays within the documented bound", "[resample][quality]") {
  const auto kind = GENERATE(ResamplerKind::soxr, ResamplerKind::libsamplerate);
  const auto quality = GENERATE(ResampleQuality::fastest, ResampleQuality::medium, ResampleQuality::best);
  const auto rates = GENERATE(Rates{48000, 16000}, Rates{44100, 22050}, Rates{44100, 16000});
  CAPTURE(clipset::resampler_name(kind), clipset::quality_name(quality), rates.from, rates.to);
  const Figures& figures = documented(kind, quality);
  const double ripple = sweep_ripple_db(figures.passband, rates, quality, kind);
  CAPTURE(figures.passband, ripple);
  CHECK(ripple <= figures.ripple_db);
}

TEST_CASE("an impulse train comes out at exactly the scaled positions (no delay, no drift)", "[resample][quality]") {
  const auto kind = GENERATE(ResamplerKind::soxr, ResamplerKind::libsamplerate);
  const auto quality = GENERATE(ResampleQuality::fastest, ResampleQuality::medium, ResampleQuality::best);
  const auto rates = GENERATE(Rates{48000, 16000}, Rates{44100, 22050}, Rates{44100, 16000});
  CAPTURE(clipset::resampler_name(kind), clipset::quality_name(quality), rates.from, rates.to);
  // Impulses every 0.1 s for 3 s, the first at 0.1 s: at these ratios each lands on an output sample.
  const auto every_in = static_cast<std::size_t>(rates.from / 10);
  const auto every_out = static_cast<std::size_t>(rates.to / 10);
  std::vector<float> in(static_cast<std::size_t>(rates.from) * 3, 0.0f);
  for (std::size_t at = every_in; at < in.size(); at += every_in) in[at] = 0.9f;
  const auto out = resample(in, rates, quality, kind);
  REQUIRE(out.size() == static_cast<std::size_t>(rates.to) * 3);
  for (std::size_t k = 1; k < 30; ++k) {
    const std::size_t expected = k * every_out;
    const std::size_t lo = expected - every_out / 2, hi = std::min(out.size(), expected + every_out / 2);
    const auto peak = std::max_element(out.begin() + static_cast<std::ptrdiff_t>(lo), out.begin() + static_cast<std::ptrdiff_t>(hi),
                                       [](float a, float b) { return std::abs(a) < std::abs(b); });
    CAPTURE(k);
    CHECK(static_cast<std::size_t>(peak - out.begin()) == expected);
  }
}

// Not run by default: measures the figures of the table in docs/segment.md, and the speed.
TEST_CASE("resampler table: passband, stopband and speed of every preset", "[.resampler-table]") {
  std::printf("%-14s %-8s %-14s %12s %12s %14s %16s\n", "resampler", "quality", "ratio", "-0.1 dB at", "-3 dB at",
              "stopband dB", "audio-s/cpu-s");
  for (const auto kind : {ResamplerKind::soxr, ResamplerKind::libsamplerate}) {
    for (const auto quality : {ResampleQuality::fastest, ResampleQuality::medium, ResampleQuality::best}) {
      for (const Rates& rates : kRates) {
        const double nyquist = rates.to / 2.0;
        double flat = 0, half = 0;
        for (double f = 0.02; f < 1.0; f += 0.01) {
          const double g = tone_gain_db(f * nyquist, rates, quality, kind);
          if (flat == 0 && std::abs(g) > 0.1) flat = f - 0.01;
          if (half == 0 && g < -3) half = f;
        }
        double stop = 1e9;
        for (double w = 1.05; w < 2.0 && w * nyquist < rates.from / 2.0; w += 0.05) {
          stop = std::min(stop, -tone_gain_db(w * nyquist, rates, quality, kind));
        }
        // Speed: 60 s of mono noise, one block of 16384 frames at a time, CPU time.
        const auto in = clipset::test::noise(static_cast<std::size_t>(rates.from) * 60, 0.5, 3);
        const std::clock_t start = std::clock();
        Resampler resampler(1, static_cast<double>(rates.to) / rates.from, quality, kind);
        std::vector<float> out;
        for (std::size_t at = 0; at < in.size(); at += 16384) {
          out.clear();
          resampler.process(in.data() + at, std::min<std::size_t>(16384, in.size() - at), out);
        }
        resampler.finish(out);
        const double cpu = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
        const std::string ratio = std::to_string(rates.from) + "->" + std::to_string(rates.to);
        std::printf("%-14s %-8s %-14s %12.2f %12.2f %14.1f %16.0f\n", clipset::resampler_name(kind).c_str(),
                    clipset::quality_name(quality).c_str(), ratio.c_str(), flat, half, stop, 60 / cpu);
      }
    }
  }
}
