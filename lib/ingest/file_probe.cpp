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

namespace {

// The file's own word on the recording goes into meta under names a sheet would use; a value
// already there (kept from the earlier record under --update) is the user's and stays. Sheet
// columns are applied after this, so they win too.
void add_recording_tags(Json& meta, const RecordingTags& tags, bool location) {
  auto add = [&](const char* key, const std::string& value) {
    if (!value.empty() && !meta.contains(key)) meta[key] = value;
  };
  add("recorded_at", tags.recorded_at);
  add("device", tags.device);
  add("encoder", tags.encoder);
  if (location && tags.location && !meta.contains("location")) {
    Json where = Json::object();
    where["lat"] = tags.location->lat;
    where["lon"] = tags.location->lon;
    if (tags.location->alt) where["alt"] = *tags.location->alt;
    meta["location"] = std::move(where);
  }
}

}  // namespace

void probe_file(Item& item, const std::filesystem::path& path, const IngestOptions& options) {
  const FileStamp stamp = stamp_file(path);
  item.bytes = stamp.bytes;
  item.mtime = stamp.mtime;
  if (stamp.bytes == 0) throw_data(path.string(), "empty file (0 bytes)");

  const FileDigest digest = sha256_file(path);
  if (digest.bytes != stamp.bytes) throw_io(path.string(), "file changed while it was read");
  item.sha256 = digest.sha256;

  SoundFile audio = SoundFile::open(path, FileTags::read);
  const AudioInfo& info = audio.info();
  item.format = info.format;
  item.subtype = info.subtype;
  item.sample_rate = info.sample_rate;
  item.channels = info.channels;
  item.frames = info.frames;
  item.duration = info.duration;
  if (info.frames == 0) throw_data(path.string(), "no audio (the file holds 0 frames)");
  if (options.quality) item.quality = quality_to_json(measure_quality(audio));
  add_recording_tags(item.meta, info.tags, options.location);
}

}  // namespace clipset::detail
