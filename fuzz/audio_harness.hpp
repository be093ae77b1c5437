#pragma once
// The read loop both audio harnesses share: what segment, validate --decode and ingest
// --quality do with an open file, with the work per input bounded so that a timeout is a hang
// and not a long recording.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "clipset/audio.hpp"
#include "clipset/error.hpp"

namespace clipset::fuzz {

// At most this many samples (frames x channels) decoded per input.
inline constexpr std::int64_t kSampleBudget = std::int64_t{1} << 21;

// Reads `decoder` in blocks (read(float*, frames) -> frames) until its end or the budget,
// checking what AudioInfo promises: no block larger than asked, never more than `frames`.
template <typename Read>
void read_bounded(const AudioInfo& info, Read&& read) {
  if (info.channels <= 0 || info.sample_rate <= 0 || info.frames < 0) std::abort();
  const auto channels = static_cast<std::size_t>(info.channels);
  constexpr std::size_t kBlock = 1024;
  std::vector<float> buffer(kBlock * channels);
  QualityMeter meter(info.sample_rate, info.channels);
  std::int64_t total = 0;
  while (total * info.channels < kSampleBudget) {
    const std::size_t got = read(buffer.data(), kBlock);
    if (got > kBlock) std::abort();
    if (got == 0) break;
    meter.feed(buffer.data(), got);
    total += static_cast<std::int64_t>(got);
    if (total > info.frames) std::abort();  // more frames than the header or count declared
  }
  (void)meter.finish();
}

}  // namespace clipset::fuzz
