// Encoding a clip into memory through libsndfile's virtual I/O: the bytes can then be hashed
// and written in one go, and the file appears atomically.

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "clipset/audio_process.hpp"
#include "clipset/error.hpp"

namespace clipset {

namespace {

// A growable in-memory file.
struct MemoryFile {
  std::string bytes;
  sf_count_t position = 0;
};

sf_count_t mem_length(void* user) { return static_cast<sf_count_t>(static_cast<MemoryFile*>(user)->bytes.size()); }

sf_count_t mem_seek(sf_count_t offset, int whence, void* user) {
  auto* file = static_cast<MemoryFile*>(user);
  const sf_count_t base = whence == SEEK_CUR ? file->position : whence == SEEK_END ? mem_length(user) : 0;
  file->position = std::max<sf_count_t>(0, base + offset);
  return file->position;
}

sf_count_t mem_read(void* ptr, sf_count_t count, void* user) {
  auto* file = static_cast<MemoryFile*>(user);
  const auto size = static_cast<sf_count_t>(file->bytes.size());
  const sf_count_t n = std::clamp<sf_count_t>(size - file->position, 0, count);
  std::memcpy(ptr, file->bytes.data() + file->position, static_cast<std::size_t>(n));
  file->position += n;
  return n;
}

sf_count_t mem_write(const void* ptr, sf_count_t count, void* user) {
  auto* file = static_cast<MemoryFile*>(user);
  const auto end = static_cast<std::size_t>(file->position + count);
  if (file->bytes.size() < end) file->bytes.resize(end);
  std::memcpy(file->bytes.data() + file->position, ptr, static_cast<std::size_t>(count));
  file->position += count;
  return count;
}

sf_count_t mem_tell(void* user) { return static_cast<MemoryFile*>(user)->position; }

void put_le(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

// The common case written directly: the canonical 44-byte header, and samples converted exactly
// as libsndfile's clipping converter does (scale to 32 bits in float, clip, lrintf, keep the top
// 16 bits), so the bytes are the same as through libsndfile at a fraction of the cost.
std::string encode_wav_pcm16(const float* interleaved, std::size_t frames, int channels, int sample_rate) {
  const auto width = static_cast<std::uint32_t>(channels);
  const auto data_bytes = static_cast<std::uint32_t>(frames * width * 2);
  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  put_le(out, 36 + data_bytes, 4);
  out += "WAVEfmt ";
  put_le(out, 16, 4);
  put_le(out, 1, 2);  // PCM
  put_le(out, width, 2);
  put_le(out, static_cast<std::uint32_t>(sample_rate), 4);
  put_le(out, static_cast<std::uint32_t>(sample_rate) * width * 2, 4);
  put_le(out, width * 2, 2);
  put_le(out, 16, 2);
  out += "data";
  put_le(out, data_bytes, 4);
  out.resize(44 + data_bytes);
  auto* dest = reinterpret_cast<unsigned char*>(out.data() + 44);
  const std::size_t samples = frames * width;
  for (std::size_t i = 0; i < samples; ++i) {
    const float scaled = interleaved[i] * 2147483648.0f;
    std::uint16_t bits = 0;
    if (scaled >= 2147483647.0) {
      bits = 0x7FFF;
    } else if (scaled <= -2147483648.0) {
      bits = 0x8000;
    } else {
      const auto value = static_cast<std::uint32_t>(static_cast<int>(std::lrintf(scaled)));
      bits = static_cast<std::uint16_t>(value >> 16);
    }
    dest[2 * i] = static_cast<unsigned char>(bits & 0xFF);
    dest[2 * i + 1] = static_cast<unsigned char>(bits >> 8);
  }
  return out;
}

int sndfile_format(const ClipEncoding& encoding) {
  const int container = encoding.container == ClipEncoding::Container::flac ? SF_FORMAT_FLAC : SF_FORMAT_WAV;
  int sample = SF_FORMAT_PCM_16;
  if (encoding.sample == ClipEncoding::Sample::pcm24) sample = SF_FORMAT_PCM_24;
  if (encoding.sample == ClipEncoding::Sample::float32) sample = SF_FORMAT_FLOAT;
  return container | sample;
}

}  // namespace

std::string container_name(ClipEncoding::Container container) {
  return container == ClipEncoding::Container::flac ? "flac" : "wav";
}

std::string sample_name(ClipEncoding::Sample sample) {
  switch (sample) {
    case ClipEncoding::Sample::pcm16: return "pcm16";
    case ClipEncoding::Sample::pcm24: return "pcm24";
    case ClipEncoding::Sample::float32: return "float";
  }
  return "pcm16";
}

std::string encode_clip(const float* interleaved, std::size_t frames, int channels, int sample_rate,
                        const ClipEncoding& encoding) {
  if (encoding.container == ClipEncoding::Container::flac && encoding.sample == ClipEncoding::Sample::float32) {
    throw_option("subtype", "float", "FLAC stores integers only; use pcm16 or pcm24, or {{format}} wav");
  }
  if (encoding.container == ClipEncoding::Container::wav && encoding.sample == ClipEncoding::Sample::pcm16 &&
      channels <= 2) {
    return encode_wav_pcm16(interleaved, frames, channels, sample_rate);
  }
  MemoryFile file;
  file.bytes.reserve(frames * static_cast<std::size_t>(channels) * 4 + 128);
  SF_VIRTUAL_IO io{mem_length, mem_seek, mem_read, mem_write, mem_tell};
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = channels;
  info.format = sndfile_format(encoding);
  SNDFILE* sf = sf_open_virtual(&io, SFM_WRITE, &info, &file);
  if (sf == nullptr) throw Error(ErrorKind::internal, "libsndfile", sf_strerror(nullptr));
  // Clip instead of wrapping around when float samples exceed full scale; no PEAK chunk, so
  // the bytes depend on the audio only.
  sf_command(sf, SFC_SET_CLIPPING, nullptr, SF_TRUE);
  sf_command(sf, SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
  const sf_count_t written = sf_writef_float(sf, interleaved, static_cast<sf_count_t>(frames));
  const int close_error = sf_close(sf);
  if (written != static_cast<sf_count_t>(frames) || close_error != 0) {
    throw Error(ErrorKind::internal, "libsndfile", "encoding a clip failed");
  }
  return std::move(file.bytes);
}

}  // namespace clipset
