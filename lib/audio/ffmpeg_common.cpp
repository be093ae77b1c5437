// FFmpeg set up once for a library that never prints, and opened the same way everywhere.

#include "ffmpeg_common.hpp"

#include <cctype>
#include <cstdarg>
#include <mutex>

namespace clipset::detail::ff {

namespace {

// Demuxers for the audio containers clipset reads through FFmpeg, and those whose tags it reads
// for files libsndfile decodes. Anything else FFmpeg could probe (images, subtitles, playlists)
// is "not a sound file".
constexpr const char* kDemuxers = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,ogg,mp3,aac,amr,amrnb,amrwb,wav,w64,caf,aiff,flac";

thread_local std::string* t_capture = nullptr;

void log_callback(void* avcl, int level, const char* fmt, va_list args) {
  if (level > AV_LOG_ERROR || t_capture == nullptr || !t_capture->empty()) return;
  char line[512];
  int print_prefix = 0;  // no "[mov,mp4,... @ 0x...]" prefix
  va_list copy;
  va_copy(copy, args);
  av_log_format_line2(avcl, level, fmt, copy, line, sizeof line, &print_prefix);
  va_end(copy);
  std::string text(line);
  while (!text.empty() && (std::isspace(static_cast<unsigned char>(text.back())) || text.back() == '.')) text.pop_back();
  *t_capture = std::move(text);
}

void quiet_ffmpeg() {
  static std::once_flag once;
  std::call_once(once, [] {
    av_log_set_level(AV_LOG_ERROR);
    av_log_set_callback(log_callback);
  });
}

}  // namespace

LogCapture::LogCapture() : previous_(t_capture) {
  quiet_ffmpeg();
  t_capture = &text_;
}

LogCapture::~LogCapture() { t_capture = previous_; }

std::string error_text(int errnum) {
  char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
  if (av_strerror(errnum, buffer, sizeof buffer) < 0) return "error " + std::to_string(errnum);
  std::string text(buffer);
  if (!text.empty() && std::isupper(static_cast<unsigned char>(text[0])) &&
      !(text.size() > 1 && std::isupper(static_cast<unsigned char>(text[1])))) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

std::string lowercase_first(std::string text) {
  if (text.size() > 1 && std::isupper(static_cast<unsigned char>(text[0])) &&
      !std::isupper(static_cast<unsigned char>(text[1]))) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

FormatContext open_input(const std::filesystem::path& path, int& error, const AVInputFormat* format) {
  quiet_ffmpeg();
  AVDictionary* options = nullptr;
  av_dict_set(&options, "format_whitelist", kDemuxers, 0);
  av_dict_set(&options, "protocol_whitelist", "file", 0);
  AVFormatContext* raw = nullptr;
  // "file:" keeps a name with a colon ("take:2.m4a") from being read as a protocol.
  const std::string url = "file:" + path.string();
  error = avformat_open_input(&raw, url.c_str(), format, &options);
  av_dict_free(&options);
  if (error < 0) return nullptr;  // avformat_open_input freed the context
  return FormatContext(raw);
}

}  // namespace clipset::detail::ff
