// The unit parsers of include/clipset/units.hpp, each on the whole input, with the promises of
// their header checked on what they accept: durations finite and non-negative, rates positive,
// ratios non-negative and summing to 1, fractions in [0, 1], integers within their bounds.
// Anything rejected must be a clipset::Error (usage), never another exception.

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "clipset/error.hpp"
#include "clipset/units.hpp"
#include "fuzz_input.hpp"

namespace {

template <typename F>
void expect_usage_error_only(F&& parse) {
  try {
    parse();
  } catch (const clipset::Error& e) {
    if (e.kind() != clipset::ErrorKind::usage || e.reason().empty()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = clipset::fuzz::as_text(data, size);

  expect_usage_error_only([&] {
    const double seconds = clipset::parse_duration(text);
    if (!std::isfinite(seconds) || seconds < 0) std::abort();
    if (clipset::format_duration(seconds).empty()) std::abort();
  });
  expect_usage_error_only([&] {
    if (clipset::parse_sample_rate(text) <= 0) std::abort();
  });
  expect_usage_error_only([&] {
    const auto ratios = clipset::parse_ratios(text);
    if (ratios.empty()) std::abort();
    double sum = 0;
    for (const double r : ratios) {
      if (!std::isfinite(r) || r < 0) std::abort();
      sum += r;
    }
    if (std::fabs(sum - 1) > 1e-9) std::abort();
  });
  expect_usage_error_only([&] {
    if (!std::isfinite(clipset::parse_decibels(text))) std::abort();
  });
  expect_usage_error_only([&] {
    const double f = clipset::parse_fraction(text);
    if (!(f >= 0 && f <= 1)) std::abort();
  });
  expect_usage_error_only([&] {
    const long n = clipset::parse_integer(text, -5, 1000);
    if (n < -5 || n > 1000) std::abort();
  });
  return 0;
}
