// clipset::SoundFile: one reader over two backends. libsndfile first (it reads WAV, FLAC, Ogg,
// MP3, CAF exactly and fast); FFmpeg for the containers phones write that libsndfile does not
// know (MP4/M4A, 3GP, WebM, AMR, ADTS AAC). Either way a failure becomes one reason a person
// understands.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <string_view>

#include "clipset/audio.hpp"
#include "clipset/error.hpp"
#include "clipset/paths.hpp"
#include "clipset/text.hpp"
#include "decoder.hpp"

namespace clipset {

namespace {

bool has_mpeg_extension(const std::filesystem::path& path) {
  const std::string ext = to_lower(path.extension().string());
  return ext == ".mp3" || ext == ".mp2" || ext == ".mpga";
}

bool claims_mpeg_but_is_not(const std::filesystem::path& path) {
  if (!has_mpeg_extension(path)) return false;
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

// Neither backend recognised the file: say why in libsndfile's terms, which name the common
// cases (an empty file, a cut WAV header, a damaged Ogg or CAF).
std::string open_failure_reason(const std::filesystem::path& path, const std::string& message) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size == 0) return "empty file (0 bytes)";
  if (!ec && size < 44 && starts_with_riff(path)) return "truncated header (only " + std::to_string(size) + " bytes)";
  if (message.find("not recognised") != std::string::npos || message.find("unknown format") != std::string::npos) {
    return "not a sound file (format not recognised)";
  }
  if (message.find("malformed") != std::string::npos) return "damaged or truncated (" + message + ")";
  if (message.find("SF_INFO struct incomplete") != std::string::npos) {
    return "not a sound file (the header declares a sample rate of 0 Hz or no channels)";  // libsndfile's words for it
  }
  return "not a sound file (" + message + ")";
}

// Files libsndfile fails on that FFmpeg should not be asked about: an empty file and a WAV cut
// inside its header have their own, clearer reasons, and a file libsndfile knows the format of
// but finds malformed (a cut Ogg) is damaged: FFmpeg would read what is left as a whole, shorter
// recording. ("Unsupported encoding" is worth asking: a CAF holding a codec libsndfile lacks.)
bool worth_asking_ffmpeg(const std::filesystem::path& path, const std::string& sndfile_failure) {
  if (sndfile_failure.find("malformed") != std::string::npos) return false;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return !ec && size > 0 && !(size < 44 && starts_with_riff(path));
}

}  // namespace

struct SoundFile::Handle {
  std::unique_ptr<detail::AudioDecoder> decoder;
  std::int64_t delivered = 0;  // frames returned so far
};

SoundFile::SoundFile(std::unique_ptr<Handle> handle, std::filesystem::path path, AudioInfo info)
    : handle_(std::move(handle)), path_(std::move(path)), info_(std::move(info)) {}
SoundFile::SoundFile(SoundFile&&) noexcept = default;
SoundFile& SoundFile::operator=(SoundFile&&) noexcept = default;
SoundFile::~SoundFile() = default;

namespace {

// The fewest bytes a second of any encoding takes: FLAC's frames of digital silence need ~100,
// MP3, Vorbis, Opus and AMR with DTX far more. A header that claims more audio than the file
// could hold at this rate is lying (an MP3 whose Xing header says 2^31 frames): planning clips
// or buffers for that length would follow the lie into memory.
constexpr double kMinBytesPerSecond = 8;

void check_length_is_plausible(const std::filesystem::path& path, const AudioInfo& info) {
  if (info.sample_rate <= 0 || info.channels <= 0) throw_data(path.string(), "not a sound file (the header declares no sample rate or no channels)");
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(path, ec);
  if (ec) return;  // read errors show up when reading
  const double most_seconds = static_cast<double>(bytes) / kMinBytesPerSecond + 1;
  if (info.frames < 0 || info.duration > most_seconds) {
    throw_data(path.string(), "length cannot be trusted (the header declares " + std::to_string(info.frames) +
                                  " frames, more than " + std::to_string(bytes) + " bytes can hold)");
  }
}

}  // namespace

SoundFile SoundFile::open(const std::filesystem::path& path, FileTags tags) {
  std::error_code ec;
  require_regular_file(path);  // a FIFO or a device would block or never end
  // libsndfile hands any *.mp3 to its MPEG decoder, which prints notes to stderr on non-MPEG
  // data; a file that does not even start like MPEG audio is turned away here.
  if (claims_mpeg_but_is_not(path)) throw_data(path.string(), "not a sound file (format not recognised)");

  // MPEG audio goes to FFmpeg, whose messages are captured per file: libsndfile's mpg123 prints
  // its own warnings ("Xing stream size off by more than 1%") straight to stderr, even under -q.
  detail::OpenedAudio opened = has_mpeg_extension(path) ? detail::OpenedAudio{nullptr, {}, "not recognised"} : detail::open_with_sndfile(path);
  if (opened.decoder) {
    // libsndfile reads no tags worth having; FFmpeg parses the header once more for them.
    if (tags == FileTags::read) opened.info.tags = detail::read_tags_with_ffmpeg(path, opened.info.format);
  } else {
    if (std::FILE* probe = std::fopen(path.c_str(), "rb"); probe == nullptr) {
      throw_io(path.string(), errno_reason(errno));
    } else {
      std::fclose(probe);
    }
    const std::string sndfile_failure = opened.failure;
    if (worth_asking_ffmpeg(path, sndfile_failure)) opened = detail::open_with_ffmpeg(path);
    if (!opened.decoder) throw_data(path.string(), open_failure_reason(path, sndfile_failure));
  }
  check_length_is_plausible(path, opened.info);
  auto handle = std::make_unique<Handle>();
  handle->decoder = std::move(opened.decoder);
  return SoundFile(std::move(handle), path, std::move(opened.info));
}

std::size_t SoundFile::read(float* out, std::size_t frames) {
  // Never more than info().frames, the count the manifest records and clips are planned from: a
  // damaged stream can decode past it (an Ogg page after the last granule, found by fuzz_sound_file).
  const std::int64_t left = std::max<std::int64_t>(info_.frames - handle_->delivered, 0);
  const std::size_t asked = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(frames), left));
  if (asked == 0) return 0;
  const std::size_t got = handle_->decoder->read(out, asked);
  handle_->delivered += static_cast<std::int64_t>(got);
  return got;
}

}  // namespace clipset
