#pragma once
// A file opened by FFmpeg for clipset, at its start, with its audio stream chosen (not part of
// the public API).

#include <filesystem>
#include <string>

#include "ffmpeg_common.hpp"

namespace clipset::detail::ff {

struct Input {
  FormatContext fc;
  AVStream* stream = nullptr;  // the audio stream; every other stream is discarded unread
  std::string failure;         // fc null: why FFmpeg did not recognise the file
};

// Probes, opens and analyses the file and picks its audio stream. Returns fc null when FFmpeg
// does not recognise the format; throws clipset::Error (data) when it does but the file is
// damaged (no moov atom, a broken header), holds no audio (video only), or holds audio that
// cannot be decoded (DRM, no decoder).
Input open_audio_input(const std::filesystem::path& path);

// The same file opened again at its start, for another pass: the demuxer and the stream are
// known now, so there is no probing and no stream analysis (`first` keeps the codec parameters
// that analysis found).
Input reopen(const std::filesystem::path& path, const Input& first);

// The container's name in the manifest: mp4, 3gp, mov, webm, mkv, ogg, mp3, aac, amr, ...
std::string container_name(const AVFormatContext& fc, const std::filesystem::path& path);

// "unsupported format: <codec> audio (no decoder for it in this build)".
std::string unsupported_codec(const AVCodecParameters& par);

}  // namespace clipset::detail::ff
