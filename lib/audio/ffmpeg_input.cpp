// Opening a file with FFmpeg for clipset: recognise it or say why not, pick its audio stream,
// and name its container as a person would.

#include "ffmpeg_input.hpp"

#include <fstream>
#include <string_view>

#include "clipset/error.hpp"

namespace clipset::detail::ff {

namespace {

// The first box of an MP4/3GP/QuickTime file: its type at bytes 4..7.
bool looks_like_mp4(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  in.read(head, sizeof head);
  if (in.gcount() < 8) return false;
  const std::string_view type(head + 4, 4);
  return type == "ftyp" || type == "moov" || type == "mdat" || type == "free" || type == "wide" || type == "skip";
}

bool holds_video(const AVFormatContext& fc) {
  for (unsigned i = 0; i < fc.nb_streams; ++i) {
    const AVStream* st = fc.streams[i];
    if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && (st->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0) {
      return true;
    }
  }
  return false;
}

bool encrypted(const AVStream& st) {
  return av_stream_get_side_data(&st, AV_PKT_DATA_ENCRYPTION_INIT_INFO, nullptr) != nullptr;
}

}  // namespace

// One word per family, as a person calls it.
std::string container_name(const AVFormatContext& fc, const std::filesystem::path& path) {
  const std::string_view demuxer = fc.iformat->name;
  if (demuxer.find("mp4") != std::string_view::npos) {
    const AVDictionaryEntry* brand = av_dict_get(fc.metadata, "major_brand", nullptr, 0);
    const std::string_view b = brand != nullptr ? brand->value : "";
    if (b.substr(0, 3) == "3gp" || b.substr(0, 3) == "3g2") return "3gp";
    if (b == "qt  " || b == "qt") return "mov";
    return "mp4";
  }
  if (demuxer.find("matroska") != std::string_view::npos) {
    // FFmpeg has one demuxer for both; the EBML header's DocType near the start tells them apart.
    std::ifstream in(path, std::ios::binary);
    char head[64] = {};
    in.read(head, sizeof head);
    return std::string_view(head, static_cast<std::size_t>(in.gcount())).find("webm") != std::string_view::npos ? "webm"
                                                                                                              : "mkv";
  }
  if (demuxer.substr(0, 3) == "amr") return "amr";
  return std::string(demuxer.substr(0, demuxer.find(',')));
}

std::string unsupported_codec(const AVCodecParameters& par) {
  if (par.codec_id != AV_CODEC_ID_NONE) {
    return std::string("unsupported format: ") + avcodec_get_name(par.codec_id) +
           " audio (no decoder for it in this build)";
  }
  char tag[AV_FOURCC_MAX_STRING_SIZE] = {};
  av_fourcc_make_string(tag, par.codec_tag);
  return std::string("unsupported format: audio codec '") + tag + "' (no decoder for it in this build)";
}

Input open_audio_input(const std::filesystem::path& path) {
  const std::string name = path.string();
  LogCapture log;
  Input input;
  int rc = 0;
  input.fc = open_input(path, rc);
  if (!input.fc) {
    // FFmpeg also tries the demuxer an extension names, so a text file called x.m4a fails in the
    // MP4 demuxer too: only a file built of MP4 boxes is a damaged MP4.
    if (looks_like_mp4(path)) {
      if (log.text().find("moov atom not found") != std::string::npos) {
        throw_data(name, "truncated (no moov atom: the MP4 index is missing, the recording was not finalised)");
      }
      throw_data(name, "damaged or truncated (" + (log.text().empty() ? error_text(rc) : lowercase_first(log.text())) + ")");
    }
    input.failure = log.text().empty() ? error_text(rc) : lowercase_first(log.text());
    return input;
  }
  AVFormatContext& fc = *input.fc;
  // A weak probe (a few bytes that happen to look like an MPEG frame, or only the file's
  // extension) is not recognition.
  if (fc.probe_score <= AVPROBE_SCORE_EXTENSION) {
    input.failure = "format not recognised";
    input.fc.reset();
    return input;
  }
  if (rc = avformat_find_stream_info(&fc, nullptr); rc < 0) {
    throw_data(name, "damaged or truncated (" + (log.text().empty() ? error_text(rc) : lowercase_first(log.text())) + ")");
  }
  const AVCodec* codec = nullptr;
  const int index = av_find_best_stream(&fc, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
  if (index == AVERROR_STREAM_NOT_FOUND) {
    if (fc.nb_streams == 0 && looks_like_mp4(path)) throw_data(name, "damaged or truncated (the MP4 index lists no tracks)");
    throw_data(name, holds_video(fc) ? "not a sound file (no audio stream: the file holds only video)"
                                     : "not a sound file (no audio stream)");
  }
  if (index < 0 || codec == nullptr) {
    // av_find_best_stream skips streams without a decoder; name the first audio stream's codec.
    for (unsigned i = 0; i < fc.nb_streams; ++i) {
      if (fc.streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) throw_data(name, unsupported_codec(*fc.streams[i]->codecpar));
    }
    throw_data(name, "not a sound file (no audio stream)");
  }
  input.stream = fc.streams[index];
  const AVCodecParameters& par = *input.stream->codecpar;
  if (encrypted(*input.stream)) throw_data(name, "unsupported format: encrypted audio (DRM protected)");
  if (par.sample_rate <= 0 || par.ch_layout.nb_channels <= 0) {
    throw_data(name, "not a sound file (the audio stream declares " + std::to_string(par.ch_layout.nb_channels) +
                         " channels at " + std::to_string(par.sample_rate) + " Hz)");
  }
  for (unsigned i = 0; i < fc.nb_streams; ++i) {
    if (static_cast<int>(i) != index) fc.streams[i]->discard = AVDISCARD_ALL;  // not even demuxed
  }
  return input;
}

Input reopen(const std::filesystem::path& path, const Input& first) {
  LogCapture log;
  Input input;
  int rc = 0;
  input.fc = open_input(path, rc, first.fc->iformat);
  const int index = first.stream->index;
  if (!input.fc || static_cast<int>(input.fc->nb_streams) <= index) {
    throw_data(path.string(), "damaged (the file changed while it was read)");
  }
  input.stream = input.fc->streams[index];
  for (unsigned i = 0; i < input.fc->nb_streams; ++i) {
    if (static_cast<int>(i) != index) input.fc->streams[i]->discard = AVDISCARD_ALL;
  }
  return input;
}


}  // namespace clipset::detail::ff
