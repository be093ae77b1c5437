// What phones write about a recording, read from FFmpeg's view of the file's tags: QuickTime
// keys from iPhones, com.android.* keys from Android's MediaRecorder, the MP4 and 3GP user data
// atoms, ID3 and Vorbis comments.

#include <cctype>
#include <initializer_list>
#include <map>
#include <regex>
#include <string>

#include "decoder.hpp"
#include "ffmpeg_common.hpp"

namespace clipset::detail {

namespace {

// The first of `keys` with a non-empty value, container before stream.
std::string first_tag(const AVFormatContext& fc, const AVStream* stream, std::initializer_list<const char*> keys) {
  for (const AVDictionary* dict : {static_cast<const AVDictionary*>(fc.metadata),
                                   stream != nullptr ? static_cast<const AVDictionary*>(stream->metadata) : nullptr}) {
    if (dict == nullptr) continue;
    for (const char* key : keys) {
      const AVDictionaryEntry* entry = av_dict_get(dict, key, nullptr, 0);
      if (entry == nullptr || entry->value == nullptr) continue;
      std::string value(entry->value);
      while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
      while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.erase(0, 1);
      if (!value.empty()) return value;
    }
  }
  return "";
}

// ISO 8601 as written, tidied: "2024-05-01T10:20:30.000000Z" -> "2024-05-01T10:20:30Z",
// "2024-05-01T12:20:30+0200" -> "2024-05-01T12:20:30+02:00", "2024-05-01 12:20" -> "...T12:20".
// "" for a value that is not a date (free text in an ID3 or Vorbis date tag).
std::string iso8601(const std::string& text) {
  static const std::regex pattern(
      R"(^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$)");
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return "";
  std::string out = m[1].str();
  if (m[2].matched) {
    out += "T" + m[2].str();
    const std::string fraction = m[3].str();
    if (fraction.find_first_not_of(".0") != std::string::npos) out += fraction;
    std::string zone = m[4].str();
    if (zone.size() == 5) zone.insert(3, ":");
    out += zone;
  }
  return out;
}

}  // namespace

namespace ff {

RecordingTags tags_of(const AVFormatContext& fc, const AVStream* stream) {
  RecordingTags tags;
  // The capture time with the phone's UTC offset first, then the container's creation time.
  for (const char* key : {"com.apple.quicktime.creationdate", "creation_time", "date"}) {
    tags.recorded_at = iso8601(first_tag(fc, stream, {key}));
    if (!tags.recorded_at.empty()) break;
  }
  const std::string make = first_tag(fc, stream, {"com.apple.quicktime.make", "com.android.manufacturer", "make"});
  const std::string model = first_tag(fc, stream, {"com.apple.quicktime.model", "com.android.model", "model"});
  // "Google" + "Pixel 7" -> "Google Pixel 7", but "Apple" + "Apple iPhone" stays "Apple iPhone".
  auto starts_with_make = [&] {
    if (model.size() < make.size()) return false;
    for (std::size_t i = 0; i < make.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(model[i])) != std::tolower(static_cast<unsigned char>(make[i]))) return false;
    }
    return true;
  };
  tags.device = make.empty() || starts_with_make() ? model : model.empty() ? make : make + " " + model;
  tags.encoder = first_tag(fc, stream, {"com.apple.quicktime.software", "encoder", "encoded_by", "software"});
  const std::string where = first_tag(fc, stream, {"com.apple.quicktime.location.ISO6709", "location"});
  if (!where.empty()) tags.location = parse_iso6709(where);
  return tags;
}

}  // namespace ff

RecordingTags read_tags_with_ffmpeg(const std::filesystem::path& path, const std::string& format) {
  // libsndfile has told the container already: name FFmpeg's demuxer for it and skip probing.
  static const std::map<std::string, std::string> kDemuxer = {
      {"wav", "wav"}, {"rf64", "wav"}, {"w64", "w64"}, {"flac", "flac"}, {"ogg", "ogg"},
      {"mp3", "mp3"}, {"aiff", "aiff"}, {"caf", "caf"}};
  const auto demuxer = kDemuxer.find(format);
  if (demuxer == kDemuxer.end()) return {};
  const AVInputFormat* input_format = av_find_input_format(demuxer->second.c_str());
  if (input_format == nullptr) return {};
  ff::LogCapture quiet;
  int rc = 0;
  const ff::FormatContext fc = ff::open_input(path, rc, input_format);
  if (!fc) return {};
  const AVStream* audio = nullptr;
  for (unsigned i = 0; i < fc->nb_streams && audio == nullptr; ++i) {
    if (fc->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) audio = fc->streams[i];
  }
  return ff::tags_of(*fc, audio);
}

}  // namespace clipset::detail
