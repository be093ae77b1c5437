#include "support/learnable_audio.hpp"

#include <cmath>

namespace clipset::test {

double uniform(Prng& prng) { return static_cast<double>(prng.next() >> 11) * 0x1.0p-53; }

std::vector<float> tone_in_noise(int cls, Prng& prng, int rate, int frames) {
  constexpr double kTwoPi = 6.283185307179586;
  const double frequency = 250.0 * std::pow(2.0, cls);
  const double level = 0.1 + 0.2 * uniform(prng);
  const double phase = kTwoPi * uniform(prng);
  std::vector<float> samples(static_cast<std::size_t>(frames));
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const double noise = 0.2 * (uniform(prng) - 0.5);
    samples[i] = float(level * std::sin(kTwoPi * frequency * double(i) / rate + phase) + noise);
  }
  return samples;
}

}  // namespace clipset::test
