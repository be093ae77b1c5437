#pragma once
// FFmpeg pieces shared by the decoder and the tag reader: RAII owners, a quiet log, and one way
// to open an input (only the demuxers and the protocol clipset means to use).

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswresample/swresample.h>
}

#include <filesystem>
#include <memory>
#include <string>

#include "clipset/audio.hpp"

namespace clipset::detail::ff {

struct FormatCloser {
  void operator()(AVFormatContext* c) const noexcept { avformat_close_input(&c); }
};
struct CodecFreer {
  void operator()(AVCodecContext* c) const noexcept { avcodec_free_context(&c); }
};
struct PacketFreer {
  void operator()(AVPacket* p) const noexcept { av_packet_free(&p); }
};
struct FrameFreer {
  void operator()(AVFrame* f) const noexcept { av_frame_free(&f); }
};
struct SwrFreer {
  void operator()(SwrContext* s) const noexcept { swr_free(&s); }
};
using FormatContext = std::unique_ptr<AVFormatContext, FormatCloser>;
using CodecContext = std::unique_ptr<AVCodecContext, CodecFreer>;
using Packet = std::unique_ptr<AVPacket, PacketFreer>;
using Frame = std::unique_ptr<AVFrame, FrameFreer>;
using Resampler = std::unique_ptr<SwrContext, SwrFreer>;

// While one is alive, the first error FFmpeg logs on this thread is kept here (FFmpeg never
// prints: its log goes nowhere else). Its words make better reasons than AVERROR codes.
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  const std::string& text() const noexcept { return text_; }

 private:
  std::string text_;
  std::string* previous_;
};

// "invalid data found when processing input": av_strerror, in our style.
std::string error_text(int errnum);

// "Corrupt bitstream" -> "corrupt bitstream": FFmpeg's words in our style (acronyms kept).
std::string lowercase_first(std::string text);

// Opens `path` with the audio demuxers clipset supports and the file protocol only (a playlist
// or a concat script cannot make FFmpeg open anything else). Returns null and sets `error`
// (an AVERROR) when FFmpeg cannot open it. `format`: the demuxer when it is known already
// (probing every demuxer costs more than reading a small file's header).
FormatContext open_input(const std::filesystem::path& path, int& error, const AVInputFormat* format = nullptr);

// What phones write about the recording, from the container's and the audio stream's tags
// (the container's first). `stream` may be null.
RecordingTags tags_of(const AVFormatContext& fc, const AVStream* stream);

}  // namespace clipset::detail::ff
