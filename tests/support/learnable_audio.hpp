#pragma once
// Clips whose class a classifier can learn: a tone whose pitch says the class, at a random level
// and phase, in noise (learning-curve and suspects tests).

#include <vector>

#include "clipset/prng.hpp"

namespace clipset::test {

// A uniform double in [0, 1) from the generator.
double uniform(Prng& prng);

// `frames` samples at `rate` of a tone at 250 * 2^cls Hz, level 0.1 to 0.3, in noise of 0.1.
std::vector<float> tone_in_noise(int cls, Prng& prng, int rate = 16000, int frames = 8000);

}  // namespace clipset::test
