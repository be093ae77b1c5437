// What ingest learns from one file: size, time, content hash, audio header, levels.

#include <sys/stat.h>

#include <cerrno>

#include "clipset/audio.hpp"
#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/text.hpp"
#include "internal.hpp"

namespace clipset::detail {

FileStamp stamp_file(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw_io(path.string(), errno_reason(errno));
  return {static_cast<std::uint64_t>(st.st_size), iso8601_utc(st.st_mtim)};
}

void probe_file(Item& item, const std::filesystem::path& path, bool quality) {
  const FileStamp stamp = stamp_file(path);
  item.bytes = stamp.bytes;
  item.mtime = stamp.mtime;
  if (stamp.bytes == 0) throw_data(path.string(), "empty file (0 bytes)");

  const FileDigest digest = sha256_file(path);
  if (digest.bytes != stamp.bytes) throw_io(path.string(), "file changed while it was read");
  item.sha256 = digest.sha256;

  SoundFile audio = SoundFile::open(path);
  const AudioInfo& info = audio.info();
  item.format = info.format;
  item.subtype = info.subtype;
  item.sample_rate = info.sample_rate;
  item.channels = info.channels;
  item.frames = info.frames;
  item.duration = info.duration;
  if (info.frames == 0) throw_data(path.string(), "no audio (the file holds 0 frames)");
  if (quality) item.quality = quality_to_json(measure_quality(audio));
}

}  // namespace clipset::detail
