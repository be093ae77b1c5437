#pragma once
// Test signals and the measures that check them (resampler tests).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace clipset::test {

// amplitude * sin(2 pi f t), mono.
std::vector<float> sine(double amplitude, double frequency, int rate, std::size_t frames);

// Deterministic noise in [-amplitude, amplitude] (a 64-bit LCG; no <random> distribution
// differences between standard libraries).
std::vector<float> noise(std::size_t samples, double amplitude, std::uint64_t seed = 1);

// A linear sweep from f0 to f1 Hz, constant amplitude, mono.
std::vector<float> sweep(double amplitude, double f0, double f1, int rate, std::size_t frames);

// A "recording" of one class that differs from every other seed: notes of random pitch (three
// octaves), length and decay with three harmonics, some of them breathy (noise under the note),
// over a faint noise floor; peak 0.5. The same seed gives the same samples (near-duplicate tests).
std::vector<float> melody(std::uint64_t seed, double seconds, int rate);

// |DFT| of a Hann-windowed stretch at frequency f (Hz), normalised so that a full-length sine of
// amplitude A gives A (a direct sum at one bin: cheap enough under the sanitizers).
double dft_magnitude(const std::vector<float>& x, std::size_t from, std::size_t n, double f, double rate);

double rms(const std::vector<float>& x, std::size_t from, std::size_t n);

// 20 log10(ratio).
double db(double ratio);

}  // namespace clipset::test
