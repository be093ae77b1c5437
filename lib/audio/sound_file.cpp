// libsndfile behind RAII: open with a reason a person understands, stream float frames.

#include <sndfile.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string_view>

#include "clipset/audio.hpp"
#include "clipset/error.hpp"

namespace clipset {

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

// The first bytes tell containers libsndfile cannot read apart from files that are not audio.
std::string sniff_unsupported(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[12] = {};
  in.read(head, sizeof head);
  const std::string_view bytes(head, static_cast<std::size_t>(in.gcount()));
  if (bytes.size() >= 12 && bytes.substr(4, 4) == "ftyp") {
    const std::string_view brand = bytes.substr(8, 4);
    if (brand.substr(0, 3) == "3gp" || brand.substr(0, 3) == "3g2") return "3GP container";
    if (brand == "qt  ") return "QuickTime container";
    return "MP4/M4A container";
  }
  if (bytes.size() >= 4 && bytes.substr(0, 4) == "\x1a\x45\xdf\xa3") return "WebM/Matroska container";
  if (bytes.size() >= 5 && bytes.substr(0, 5) == "#!AMR") return "AMR";
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0xff &&
      (static_cast<unsigned char>(bytes[1]) & 0xf6) == 0xf0) return "AAC (ADTS)";
  if (bytes.size() >= 4 && bytes.substr(0, 4) == "fLaC") return "";  // libsndfile's own reason is better
  return "";
}

bool claims_mpeg_but_is_not(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  std::string lower;
  for (const char c : ext) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower != ".mp3" && lower != ".mp2" && lower != ".mpga") return false;
  std::ifstream in(path, std::ios::binary);
  unsigned char head[3] = {};
  in.read(reinterpret_cast<char*>(head), sizeof head);
  if (in.gcount() < 2) return in.gcount() > 0;  // empty files get their own reason
  const bool id3 = in.gcount() == 3 && head[0] == 'I' && head[1] == 'D' && head[2] == '3';
  const bool frame_sync = head[0] == 0xff && (head[1] & 0xe0) == 0xe0;
  return !id3 && !frame_sync;
}

bool starts_with_riff(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[4] = {};
  in.read(head, sizeof head);
  return in.gcount() == 4 && std::string_view(head, 4) == "RIFF";
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

std::string open_failure_reason(const std::filesystem::path& path, const std::string& sf_message) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size == 0) return "empty file (0 bytes)";
  if (!ec && size < 44 && starts_with_riff(path)) return "truncated header (only " + std::to_string(size) + " bytes)";
  if (auto container = sniff_unsupported(path); !container.empty()) {
    return "unsupported format: " + container + " (no decoder for it in this build)";
  }
  const std::string message = tidy(sf_message);
  if (message.find("not recognised") != std::string::npos || message.find("unknown format") != std::string::npos) {
    return "not a sound file (format not recognised)";
  }
  if (message.find("malformed") != std::string::npos) return "damaged or truncated (" + message + ")";
  return "not a sound file (" + message + ")";
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

}  // namespace

struct SoundFile::Handle {
  SNDFILE* sf = nullptr;
  ~Handle() {
    if (sf != nullptr) sf_close(sf);
  }
};

SoundFile::SoundFile(std::unique_ptr<Handle> handle, std::filesystem::path path, AudioInfo info)
    : handle_(std::move(handle)), path_(std::move(path)), info_(std::move(info)) {}
SoundFile::SoundFile(SoundFile&&) noexcept = default;
SoundFile& SoundFile::operator=(SoundFile&&) noexcept = default;
SoundFile::~SoundFile() = default;

SoundFile SoundFile::open(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw_io(path.string(), "is a directory");
  // libsndfile hands any *.mp3 to its MPEG decoder, which prints notes to stderr on non-MPEG
  // data; a file that does not even start like MPEG audio is turned away here.
  if (claims_mpeg_but_is_not(path)) throw_data(path.string(), "not a sound file (format not recognised)");
  auto handle = std::make_unique<Handle>();
  SF_INFO sfinfo{};
  std::string sf_message;
  {
    std::lock_guard lock(g_open_mutex);
    handle->sf = sf_open(path.c_str(), SFM_READ, &sfinfo);
    if (handle->sf == nullptr) sf_message = sf_strerror(nullptr);
  }
  if (handle->sf == nullptr) {
    if (!std::filesystem::exists(path, ec)) throw_io(path.string(), "no such file");
    if (std::FILE* probe = std::fopen(path.c_str(), "rb"); probe == nullptr) {
      throw_io(path.string(), errno_reason(errno));
    } else {
      std::fclose(probe);
    }
    throw_data(path.string(), open_failure_reason(path, sf_message));
  }
  if (sfinfo.channels <= 0 || sfinfo.samplerate <= 0) {
    throw_data(path.string(), "not a sound file (header declares " + std::to_string(sfinfo.channels) +
                                  " channels at " + std::to_string(sfinfo.samplerate) + " Hz)");
  }
  if (auto truncated = truncation_reason(handle->sf); !truncated.empty()) throw_data(path.string(), truncated);
  AudioInfo info;
  info.format = format_name(sfinfo.format);
  info.subtype = subtype_name(sfinfo.format);
  info.sample_rate = sfinfo.samplerate;
  info.channels = sfinfo.channels;
  // libsndfile reports SF_COUNT_MAX frames when the length is unknown (some streams).
  info.frames = sfinfo.frames == SF_COUNT_MAX ? 0 : sfinfo.frames;
  info.duration = static_cast<double>(info.frames) / static_cast<double>(info.sample_rate);
  return SoundFile(std::move(handle), path, std::move(info));
}

std::size_t SoundFile::read(float* out, std::size_t frames) {
  const sf_count_t got = sf_readf_float(handle_->sf, out, static_cast<sf_count_t>(frames));
  if (got < 0 || (got == 0 && sf_error(handle_->sf) != SF_ERR_NO_ERROR)) {
    throw_data(path_.string(), "decode error (" + tidy(sf_strerror(handle_->sf)) + ")");
  }
  return static_cast<std::size_t>(got);
}

}  // namespace clipset
