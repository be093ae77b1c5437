// The libsndfile backend: RAII over SNDFILE*, header facts, truncation found from its log.

#include <sndfile.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "clipset/error.hpp"
#include "decoder.hpp"

namespace clipset::detail {

namespace {

// libsndfile keeps the error of a failed sf_open in a global: open and read it under one lock.
std::mutex g_open_mutex;

std::string format_name(int format) {
  switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV: case SF_FORMAT_WAVEX: return "wav";
    case SF_FORMAT_AIFF: return "aiff";
    case SF_FORMAT_AU: return "au";
    case SF_FORMAT_RAW: return "raw";
    case SF_FORMAT_W64: return "w64";
    case SF_FORMAT_RF64: return "rf64";
    case SF_FORMAT_FLAC: return "flac";
    case SF_FORMAT_OGG: return "ogg";
    case SF_FORMAT_CAF: return "caf";
    case SF_FORMAT_MPEG: return "mp3";
    case SF_FORMAT_SD2: return "sd2";
    case SF_FORMAT_VOC: return "voc";
    case SF_FORMAT_IRCAM: return "ircam";
    case SF_FORMAT_NIST: return "nist";
    case SF_FORMAT_PAF: return "paf";
    case SF_FORMAT_SVX: return "svx";
    default: return "other";
  }
}

std::string subtype_name(int format) {
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8: return "pcm8";
    case SF_FORMAT_PCM_U8: return "pcm_u8";
    case SF_FORMAT_PCM_16: return "pcm16";
    case SF_FORMAT_PCM_24: return "pcm24";
    case SF_FORMAT_PCM_32: return "pcm32";
    case SF_FORMAT_FLOAT: return "float";
    case SF_FORMAT_DOUBLE: return "double";
    case SF_FORMAT_ULAW: return "ulaw";
    case SF_FORMAT_ALAW: return "alaw";
    case SF_FORMAT_IMA_ADPCM: return "ima_adpcm";
    case SF_FORMAT_MS_ADPCM: return "ms_adpcm";
    case SF_FORMAT_GSM610: return "gsm610";
    case SF_FORMAT_G721_32: return "g721_32";
    case SF_FORMAT_VORBIS: return "vorbis";
    case SF_FORMAT_OPUS: return "opus";
    case SF_FORMAT_ALAC_16: return "alac16";
    case SF_FORMAT_ALAC_20: return "alac20";
    case SF_FORMAT_ALAC_24: return "alac24";
    case SF_FORMAT_ALAC_32: return "alac32";
    case SF_FORMAT_MPEG_LAYER_I: return "mp1";
    case SF_FORMAT_MPEG_LAYER_II: return "mp2";
    case SF_FORMAT_MPEG_LAYER_III: return "mp3";
    default: return "other";
  }
}

// libsndfile's messages end with a full stop and start with a capital; ours do neither.
std::string tidy(std::string text) {
  while (!text.empty() && (text.back() == '.' || text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (!text.empty() && std::isupper(static_cast<unsigned char>(text[0])) &&
      !(text.size() > 1 && std::isupper(static_cast<unsigned char>(text[1])))) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

// For formats whose sizes are in the header (WAV, W64, RF64, AIFF, AU), libsndfile trims the
// frame count to what the file holds and logs "<chunk> : <declared> (should be <present>)".
// A container or data chunk declaring more than is present is a truncated file; the other way
// round (trailing tags) is harmless, and so are the placeholders that streaming writers leave
// (0 or all bits set). Returns the reason, or "" when the file is whole.
std::string truncation_reason(SNDFILE* sf) {
  static constexpr std::string_view kDataChunks[] = {"data", "SSND", "Data Size"};
  static constexpr std::string_view kContainerChunks[] = {"RIFF", "RIFX", "riff", "FORM", "Riff size"};
  auto listed = [](const auto& names, std::string_view name) {
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
  };
  char log[16384] = {};
  sf_command(sf, SFC_GET_LOG_INFO, log, sizeof log);
  std::string container_reason;
  std::string_view text(log);
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    const std::size_t colon = line.find(" : ");
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    const bool data = listed(kDataChunks, name);
    if (!data && !listed(kContainerChunks, name)) continue;
    unsigned long long declared = 0, present = 0;
    const std::string rest(line.substr(colon + 3));
    if (std::sscanf(rest.c_str(), "%llu (should be %llu)", &declared, &present) != 2) continue;
    const bool placeholder = declared == 0 || declared == 0xffffffffULL || declared == 0xffffffffffffffffULL;
    if (declared <= present || placeholder) continue;
    const std::string sizes = std::to_string(declared) + " bytes of " + (data ? "audio" : "content") +
                              ", the file holds " + std::to_string(present) + ")";
    if (data) return "truncated (the header declares " + sizes;  // the most telling line
    if (container_reason.empty()) container_reason = "truncated (the header declares " + sizes;
  }
  return container_reason;
}

class SndfileDecoder final : public AudioDecoder {
 public:
  SndfileDecoder(SNDFILE* sf, std::string path) : sf_(sf), path_(std::move(path)) {}
  SndfileDecoder(const SndfileDecoder&) = delete;
  SndfileDecoder& operator=(const SndfileDecoder&) = delete;
  ~SndfileDecoder() override { sf_close(sf_); }

  std::size_t read(float* out, std::size_t frames) override {
    const sf_count_t got = sf_readf_float(sf_, out, static_cast<sf_count_t>(frames));
    if (got < 0 || (got == 0 && sf_error(sf_) != SF_ERR_NO_ERROR)) {
      throw_data(path_, "decode error (" + tidy(sf_strerror(sf_)) + ")");
    }
    return static_cast<std::size_t>(got);
  }

 private:
  SNDFILE* sf_;
  std::string path_;
};

}  // namespace

OpenedAudio open_with_sndfile(const std::filesystem::path& path) {
  OpenedAudio opened;
  SF_INFO sfinfo{};
  SNDFILE* sf = nullptr;
  {
    std::lock_guard lock(g_open_mutex);
    sf = sf_open(path.c_str(), SFM_READ, &sfinfo);
    if (sf == nullptr) opened.failure = tidy(sf_strerror(nullptr));
  }
  if (sf == nullptr) return opened;
  auto decoder = std::make_unique<SndfileDecoder>(sf, path.string());  // closes sf from here on
  if (sfinfo.channels <= 0 || sfinfo.samplerate <= 0) {
    throw_data(path.string(), "not a sound file (header declares " + std::to_string(sfinfo.channels) +
                                  " channels at " + std::to_string(sfinfo.samplerate) + " Hz)");
  }
  if (auto truncated = truncation_reason(sf); !truncated.empty()) throw_data(path.string(), truncated);
  AudioInfo& info = opened.info;
  info.format = format_name(sfinfo.format);
  info.subtype = subtype_name(sfinfo.format);
  info.sample_rate = sfinfo.samplerate;
  info.channels = sfinfo.channels;
  // libsndfile reports SF_COUNT_MAX frames when the length is unknown (some streams).
  info.frames = sfinfo.frames == SF_COUNT_MAX ? 0 : sfinfo.frames;
  info.duration = static_cast<double>(info.frames) / static_cast<double>(info.sample_rate);
  opened.decoder = std::move(decoder);
  return opened;
}

}  // namespace clipset::detail
