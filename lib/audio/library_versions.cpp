// The versions of the audio libraries this build runs with (clipset --version): the ones loaded
// at run time, which a distribution upgrade can change under an unchanged binary.

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
}
#include <samplerate.h>
#include <sndfile.h>
#include <soxr.h>

#include <string>

#include "clipset/audio.hpp"

namespace clipset {

namespace {
// FFmpeg packs its library versions as major << 16 | minor << 8 | micro.
std::string packed_version(unsigned v) {
  return std::to_string(v >> 16) + "." + std::to_string((v >> 8) & 0xFF) + "." + std::to_string(v & 0xFF);
}

// "libsndfile-1.2.0" -> "1.2.0"; the text after the last '-' before the first space.
std::string after_name(std::string text) {
  if (const auto space = text.find(' '); space != std::string::npos) text.resize(space);
  const auto dash = text.rfind('-');
  return dash == std::string::npos ? text : text.substr(dash + 1);
}
}  // namespace

std::vector<std::pair<std::string, std::string>> audio_library_versions() {
  return {
      {"libsndfile", after_name(sf_version_string())},
      {"libsamplerate", after_name(src_get_version())},
      {"libsoxr", after_name(soxr_version())},
      {"FFmpeg", std::string(av_version_info()) + " (libavformat " + packed_version(avformat_version()) + ", libavcodec " +
                     packed_version(avcodec_version()) + ")"},
  };
}

}  // namespace clipset
