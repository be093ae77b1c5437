// The FFmpeg backend: the containers phones write (MP4/M4A with AAC or ALAC, 3GP with AMR, WebM
// with Opus, raw AMR and ADTS AAC), streamed as interleaved float frames. AMR's frames are
// decoded by opencore-amr (amr_decoder.cpp), the rest by libavcodec.
//
// open() makes two passes over the container and none over the codec: a demux pass counts the
// frames (so `frames` is exact before the first read, as libsndfile's header count is), then a
// fresh demuxer feeds the decoder. read() delivers exactly the counted frames.

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

extern "C" {
#include <libavutil/intreadwrite.h>
}

#include "amr_decoder.hpp"
#include "clipset/error.hpp"
#include "decoder.hpp"
#include "ffmpeg_common.hpp"
#include "ffmpeg_input.hpp"

namespace clipset::detail {

namespace {

using namespace ff;

std::int64_t to_samples(std::int64_t ticks, AVRational time_base, int sample_rate) {
  return av_rescale_q(ticks, time_base, AVRational{1, sample_rate});
}

// Codecs whose packets FFmpeg's demuxers and parsers measure exactly (fixed frame sizes, or
// Opus's table of contents); for the rest (Vorbis: the length of a packet depends on the one
// before it) open() decodes once to count.
bool counts_by_demux(AVCodecID codec) {
  switch (codec) {
    case AV_CODEC_ID_AAC: case AV_CODEC_ID_ALAC: case AV_CODEC_ID_AMR_NB: case AV_CODEC_ID_AMR_WB:
    case AV_CODEC_ID_OPUS: case AV_CODEC_ID_MP1: case AV_CODEC_ID_MP2: case AV_CODEC_ID_MP3:
      return true;
    default:
      return av_get_exact_bits_per_sample(codec) > 0;  // PCM
  }
}

struct FrameCount {
  std::int64_t frames = 0;
  bool known = true;           // false: some packet's length is not known without decoding it
  std::int64_t largest = 0;    // the longest packet, in frames (one codec frame)
  std::int64_t trimmed = 0;    // priming and padding dropped (an MP3's LAME tag, discarded packets)
};

// The demux pass. Each packet decodes to a known number of frames (its codec's frame size, or
// its duration); libavcodec then drops what the container marks as priming or padding, and so
// does this count, by the same rules: a packet flagged DISCARD yields nothing; skip-samples side
// data sets the frames to drop from the start (carried over into the next packets) and from the
// end of that packet (honoured only when it is not longer than the packet); an Opus decoder
// drops its pre-skip by itself when no side data says otherwise. A packet never yields more
// than its duration: an MP4's last sample is shortened to the true length so.
FrameCount count_frames(Input& input, const std::string& name) {
  LogCapture log;
  AVStream& st = *input.stream;
  AVCodecParameters* par = st.codecpar;
  const int rate = par->sample_rate;
  FrameCount count;
  count.known = counts_by_demux(par->codec_id);
  std::int64_t skip = par->codec_id == AV_CODEC_ID_OPUS ? std::max(0, par->initial_padding) : 0;
  Packet packet(av_packet_alloc());
  if (!packet) throw Error(ErrorKind::internal, name, "out of memory");
  int rc = 0;
  while ((rc = av_read_frame(input.fc.get(), packet.get())) >= 0) {
    if (packet->stream_index != st.index) {
      av_packet_unref(packet.get());
      continue;
    }
    if (av_packet_get_side_data(packet.get(), AV_PKT_DATA_ENCRYPTION_INFO, nullptr) != nullptr) {
      throw_data(name, "unsupported format: encrypted audio (DRM protected)");
    }
    const std::int64_t duration = packet->duration > 0 ? to_samples(packet->duration, st.time_base, rate) : 0;
    // AMR: every frame of the packet (a 3GP sample may hold several), as opencore decodes them.
    std::int64_t frames = amr::decodes(par->codec_id) ? amr::packet_frames(par->codec_id, packet->data, packet->size)
                                                      : av_get_audio_frame_duration2(par, packet->size);
    if (frames <= 0) frames = duration;
    if (frames <= 0 && packet->size > 0) count.known = false;
    if (!count.known) return count;  // open() decodes to count instead
    count.largest = std::max(count.largest, frames);
    if ((packet->flags & AV_PKT_FLAG_DISCARD) != 0) {  // its frames go, and its side data with them
      count.trimmed += frames;
      av_packet_unref(packet.get());
      continue;
    }
    std::size_t side_size = 0;
    std::int64_t padding = 0;
    if (const std::uint8_t* side = av_packet_get_side_data(packet.get(), AV_PKT_DATA_SKIP_SAMPLES, &side_size);
        side != nullptr && side_size >= 10) {
      skip = std::max<std::int64_t>(static_cast<std::int32_t>(AV_RL32(side)), 0);
      padding = static_cast<std::int32_t>(AV_RL32(side + 4));
    }
    av_packet_unref(packet.get());
    const std::int64_t skipped = std::min(skip, frames);
    frames -= skipped;
    skip -= skipped;
    count.trimmed += skipped;
    if (padding > 0 && padding <= frames) {
      frames -= padding;
      count.trimmed += padding;
    }
    if (duration > 0) frames = std::min(frames, duration);
    count.frames += frames;
  }
  if (rc != AVERROR_EOF) {
    throw_data(name, "damaged or truncated (" + (log.text().empty() ? error_text(rc) : lowercase_first(log.text())) + ")");
  }
  // A container that states its length (an MP4's edit list or mdhd, a Matroska Duration) and
  // holds less audio than that was cut short: say so now rather than at the end of a decode.
  if (count.known && input.fc->duration_estimation_method == AVFMT_DURATION_FROM_STREAM) {
    std::int64_t declared = 0;
    if (st.duration != AV_NOPTS_VALUE && st.duration > 0) {
      declared = to_samples(st.duration, st.time_base, rate);
    } else if (input.fc->duration != AV_NOPTS_VALUE && input.fc->duration > 0) {
      declared = to_samples(input.fc->duration, AVRational{1, AV_TIME_BASE}, rate);
    }
    // Within one codec frame and the priming and padding, which some containers (an MP3's Xing
    // header) count in their length.
    if (count.frames + count.largest + count.trimmed + std::max(0, par->initial_padding) < declared) {
      throw_data(name, "truncated (the header declares " + std::to_string(declared) + " frames, the file holds " +
                           std::to_string(count.frames) + ")");
    }
  }
  return count;
}

class FfmpegDecoder final : public AudioDecoder {
 public:
  // `par`: the codec parameters the first open's stream analysis found.
  FfmpegDecoder(Input input, const AVCodecParameters& par, std::int64_t frames, std::string path)
      : input_(std::move(input)), remaining_(frames), path_(std::move(path)) {
    const AVCodec* codec = avcodec_find_decoder(par.codec_id);
    if (codec == nullptr) throw_data(path_, unsupported_codec(par));
    codec_.reset(avcodec_alloc_context3(codec));
    packet_.reset(av_packet_alloc());
    lookahead_.reset(av_packet_alloc());
    frame_.reset(av_frame_alloc());
    if (!codec_ || !packet_ || !lookahead_ || !frame_) throw Error(ErrorKind::internal, path_, "out of memory");
    LogCapture log;
    int rc = avcodec_parameters_to_context(codec_.get(), &par);
    codec_->pkt_timebase = input_.stream->time_base;
    codec_->thread_count = 1;  // one SoundFile, one thread: callers parallelise over files
    if (rc >= 0) rc = avcodec_open2(codec_.get(), codec, nullptr);
    if (rc < 0) throw_data(path_, "unsupported format (" + (log.text().empty() ? error_text(rc) : lowercase_first(log.text())) + ")");
    channels_ = par.ch_layout.nb_channels;
    rate_ = par.sample_rate;
  }

  // Decodes the first frame now, so that a file whose audio does not decode at all (a header
  // followed by garbage) is turned away by open(), as libsndfile does with its formats.
  void prime() {
    if (remaining_ > 0) decode_next();
  }

  std::size_t read(float* out, std::size_t frames) override {
    const auto channels = static_cast<std::size_t>(channels_);
    std::size_t done = 0;
    while (done < frames && remaining_ > 0) {
      if (pending_pos_ == pending_frames_) {
        if (!decode_next()) break;
        continue;
      }
      const std::size_t n = std::min({frames - done, pending_frames_ - pending_pos_, static_cast<std::size_t>(remaining_)});
      std::memcpy(out + done * channels, pending_.data() + pending_pos_ * channels, n * channels * sizeof(float));
      done += n;
      pending_pos_ += n;
      remaining_ -= static_cast<std::int64_t>(n);
      delivered_ += static_cast<std::int64_t>(n);
    }
    return done;
  }

 private:
  // Decodes the next frame into pending_. False at the end of the stream.
  bool decode_next() {
    LogCapture log;
    for (;;) {
      int rc = avcodec_receive_frame(codec_.get(), frame_.get());
      if (rc == 0) {
        convert();
        av_frame_unref(frame_.get());
        if (pending_frames_ > 0) return true;
        continue;
      }
      if (rc == AVERROR_EOF) return false;
      if (rc != AVERROR(EAGAIN)) fail(rc, log);
      if (flushed_) return false;
      rc = next_packet(*packet_);
      if (rc == AVERROR_EOF) {
        flushed_ = true;
        rc = avcodec_send_packet(codec_.get(), nullptr);
      } else if (rc >= 0) {
        rc = avcodec_send_packet(codec_.get(), packet_.get());
        av_packet_unref(packet_.get());
        // The last packet of a file cut short is cut too: stop there, as FFmpeg's own tools do.
        // The frames it lacks show as "truncated (N of M frames decode)".
        if (rc == AVERROR_INVALIDDATA && peek_end()) {
          flushed_ = true;
          rc = avcodec_send_packet(codec_.get(), nullptr);
        }
      }
      if (rc < 0 && rc != AVERROR(EAGAIN) && rc != AVERROR_EOF) fail(rc, log);
    }
  }

  // The next packet of the audio stream into `out` (the one peek_end() read first, if any).
  int next_packet(AVPacket& out) {
    if (lookahead_state_ != kNone) {
      const int rc = lookahead_state_;
      lookahead_state_ = kNone;
      if (rc >= 0) av_packet_move_ref(&out, lookahead_.get());
      return rc;
    }
    int rc = 0;
    while ((rc = av_read_frame(input_.fc.get(), &out)) >= 0 && out.stream_index != input_.stream->index) {
      av_packet_unref(&out);
    }
    return rc;
  }

  // True when no packet follows the one just sent.
  bool peek_end() {
    if (lookahead_state_ == kNone) lookahead_state_ = next_packet(*lookahead_);
    return lookahead_state_ == AVERROR_EOF;
  }

  [[noreturn]] void fail(int rc, const LogCapture& log) const {
    char at[32];
    std::snprintf(at, sizeof at, "%.2f", static_cast<double>(delivered_) / rate_);
    throw_data(path_, "decode error (" + (log.text().empty() ? error_text(rc) : lowercase_first(log.text())) + " at " + at + " s)");
  }

  // The decoded frame, whatever its sample format, as interleaved float in pending_.
  void convert() {
    const AVFrame& f = *frame_;
    if (f.ch_layout.nb_channels != channels_ || f.sample_rate != rate_) {
      throw_data(path_, "unsupported format (the stream changes from " + std::to_string(channels_) + " channels at " +
                            std::to_string(rate_) + " Hz to " + std::to_string(f.ch_layout.nb_channels) +
                            " channels at " + std::to_string(f.sample_rate) + " Hz)");
    }
    if (!resampler_ || f.format != resampler_format_) {
      AVChannelLayout layout{};
      av_channel_layout_default(&layout, channels_);  // same in and out: no remixing, only the format
      SwrContext* raw = nullptr;
      const int rc = swr_alloc_set_opts2(&raw, &layout, AV_SAMPLE_FMT_FLT, rate_, &layout,
                                         static_cast<AVSampleFormat>(f.format), rate_, 0, nullptr);
      resampler_.reset(raw);
      if (rc < 0 || swr_init(resampler_.get()) < 0) {
        throw Error(ErrorKind::internal, path_, "cannot convert FFmpeg's sample format to float");
      }
      resampler_format_ = f.format;
    }
    pending_.resize(static_cast<std::size_t>(f.nb_samples) * static_cast<std::size_t>(channels_));
    auto* out = reinterpret_cast<std::uint8_t*>(pending_.data());
    const int got = swr_convert(resampler_.get(), &out, f.nb_samples, const_cast<const std::uint8_t**>(f.extended_data),
                                f.nb_samples);
    if (got < 0) throw Error(ErrorKind::internal, path_, "cannot convert FFmpeg's sample format to float");
    pending_frames_ = static_cast<std::size_t>(got);
    pending_pos_ = 0;
  }

  Input input_;
  CodecContext codec_;
  Packet packet_;
  Packet lookahead_;
  static constexpr int kNone = 1;  // lookahead_state_: nothing read ahead; else av_read_frame's result
  int lookahead_state_ = kNone;
  Frame frame_;
  Resampler resampler_;
  int resampler_format_ = -1;
  int channels_ = 0;
  int rate_ = 0;
  std::vector<float> pending_;  // one decoded frame, interleaved
  std::size_t pending_frames_ = 0;
  std::size_t pending_pos_ = 0;
  std::int64_t remaining_;
  std::int64_t delivered_ = 0;
  bool flushed_ = false;
  std::string path_;
};

// For streams whose packets do not say how long they are (Vorbis in Matroska): decode once.
std::int64_t count_by_decoding(const std::filesystem::path& path, const Input& first) {
  const AVCodecParameters& par = *first.stream->codecpar;
  const auto channels = static_cast<std::size_t>(par.ch_layout.nb_channels);
  FfmpegDecoder decoder(reopen(path, first), par, std::numeric_limits<std::int64_t>::max(), path.string());
  constexpr std::size_t kBlock = 8192;
  std::vector<float> block(kBlock * channels);
  std::int64_t frames = 0;
  while (const std::size_t got = decoder.read(block.data(), kBlock)) frames += static_cast<std::int64_t>(got);
  return frames;
}

}  // namespace

OpenedAudio open_with_ffmpeg(const std::filesystem::path& path) {
  const std::string name = path.string();
  OpenedAudio opened;
  Input counting = open_audio_input(path);
  if (!counting.fc) {
    opened.failure = counting.failure;
    return opened;
  }
  const AVCodecParameters& par = *counting.stream->codecpar;
  AudioInfo& info = opened.info;
  info.format = container_name(*counting.fc, path);
  info.subtype = avcodec_get_name(par.codec_id);
  info.sample_rate = par.sample_rate;
  info.channels = par.ch_layout.nb_channels;
  info.tags = ff::tags_of(*counting.fc, counting.stream);
  const FrameCount count = counts_by_demux(par.codec_id) ? count_frames(counting, name) : FrameCount{0, false, 0};
  info.frames = count.known ? count.frames : count_by_decoding(path, counting);
  info.duration = static_cast<double>(info.frames) / static_cast<double>(info.sample_rate);
  if (amr::decodes(par.codec_id)) {  // opencore-amr: FFmpeg's decoders refuse DTX (SID) frames
    opened.decoder = amr::open_decoder(reopen(path, counting), info.frames, name);
    return opened;
  }
  auto decoder = std::make_unique<FfmpegDecoder>(reopen(path, counting), par, info.frames, name);
  decoder->prime();
  opened.decoder = std::move(decoder);
  return opened;
}

}  // namespace clipset::detail
