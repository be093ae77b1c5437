// The Audacity label-track parser (TEXT export: TAB-separated start, end, title; LF, CRLF or CR;
// comma decimals; point labels; spectral continuation lines) and the label-track file-name
// matcher. Checks the promises of labels.hpp: start <= end, labels sorted by start.

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "clipset/labels.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = clipset::fuzz::as_text(data, size);
  const clipset::LabelTrack track = clipset::parse_audacity_labels(text);
  for (std::size_t i = 0; i < track.labels.size(); ++i) {
    const auto& label = track.labels[i];
    if (!(label.start <= label.end)) std::abort();
    if (i > 0 && track.labels[i - 1].start > label.start) std::abort();
  }
  for (const auto& problem : track.problems) {
    if (problem.line == 0 || problem.reason.empty()) std::abort();
  }

  // The same bytes as a file name next to "rec.wav", and split as stem / name.
  if (const auto name = clipset::match_label_track("rec", text)) {
    if (name->pass < 1 || name->annotator.find('.') != std::string::npos) std::abort();
  }
  const auto tab = text.find('\t');
  if (tab != std::string_view::npos) {
    if (const auto name = clipset::match_label_track(text.substr(0, tab), text.substr(tab + 1))) {
      if (name->pass < 1) std::abort();
    }
  }
  return 0;
}
