#pragma once
// The two decoding backends behind clipset::SoundFile (not part of the public API).
// libsndfile is asked first; FFmpeg reads what libsndfile does not recognise.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "clipset/audio.hpp"

namespace clipset::detail {

// A stream of interleaved float frames, full scale +-1.
class AudioDecoder {
 public:
  virtual ~AudioDecoder() = default;
  // Up to `frames` frames into `out`; 0 at the end. Throws clipset::Error (data) on a decode error.
  virtual std::size_t read(float* out, std::size_t frames) = 0;
};

struct OpenedAudio {
  std::unique_ptr<AudioDecoder> decoder;  // null: the backend does not recognise the file
  AudioInfo info;
  std::string failure;  // when null: the backend's own words, for the reason given to the user
};

// libsndfile. Throws clipset::Error (data) for a file it recognises but that is damaged
// (truncated WAV, impossible header).
OpenedAudio open_with_sndfile(const std::filesystem::path& path);

// FFmpeg (libavformat + libavcodec). Throws clipset::Error (data) for a file whose container
// it recognises but that is damaged, holds no audio, or holds audio it cannot decode.
OpenedAudio open_with_ffmpeg(const std::filesystem::path& path);

// The tags of a file libsndfile decodes (MP3 ID3 tags, Ogg and FLAC comments, WAV INFO
// chunks), read by FFmpeg from its header alone; `format` is AudioInfo::format. Empty when
// there are none or FFmpeg cannot parse them.
RecordingTags read_tags_with_ffmpeg(const std::filesystem::path& path, const std::string& format);

}  // namespace clipset::detail
