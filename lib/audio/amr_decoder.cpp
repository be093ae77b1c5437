// AMR-NB and AMR-WB through opencore-amr, fed with FFmpeg's packets.
//
// FFmpeg 5.1's AMR decoders stop at the first comfort-noise (SID) frame ("not yet implemented")
// or NO_DATA frame ("corrupt bitstream"), and an encoder with DTX (phones, sox) writes those
// in every pause in speech: such a recording would pass ingest, which counts frames without
// decoding, and fail in segment. opencore-amr is the 3GPP reference decoder: it turns SID
// frames into comfort noise and NO_DATA frames into the continuation of it, one 20 ms frame
// each, so the decoded length is what the demux pass counts.

#include "amr_decoder.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <vector>

extern "C" {
#include <libavutil/intreadwrite.h>
#include <opencore-amrnb/interf_dec.h>
#include <opencore-amrwb/dec_if.h>
}

#include "clipset/error.hpp"

namespace clipset::detail::amr {

namespace {

// Bytes after the ToC byte, by frame type (RFC 4867, storage format). -1: reserved, not AMR
// (AMR-NB 9-11 are the SIDs of other codecs, 12-14 unused; AMR-WB 10-13 unused). 15 is NO_DATA,
// AMR-WB's 14 SPEECH_LOST; AMR-NB's 8 and AMR-WB's 9 are SID.
constexpr std::array<int, 16> kNbPayload = {12, 13, 15, 17, 19, 20, 26, 31, 5, -1, -1, -1, -1, -1, -1, 0};
constexpr std::array<int, 16> kWbPayload = {17, 23, 32, 36, 40, 46, 50, 58, 60, 5, -1, -1, -1, -1, 0, 0};
constexpr int kNbFrame = 160;  // 20 ms at 8 kHz
constexpr int kWbFrame = 320;  // 20 ms at 16 kHz

std::size_t frame_type(std::uint8_t toc) { return static_cast<std::size_t>((toc >> 3) & 0x0F); }

struct NbCloser {
  void operator()(void* state) const noexcept { Decoder_Interface_exit(state); }
};
struct WbCloser {
  void operator()(void* state) const noexcept { D_IF_exit(state); }
};

class AmrDecoder final : public AudioDecoder {
 public:
  AmrDecoder(ff::Input input, std::int64_t frames, std::string path)
      : input_(std::move(input)), remaining_(frames), path_(std::move(path)) {
    const AVCodecParameters& par = *input_.stream->codecpar;
    wide_ = par.codec_id == AV_CODEC_ID_AMR_WB;
    rate_ = wide_ ? 16000 : 8000;
    if (par.sample_rate != rate_ || par.ch_layout.nb_channels != 1) {
      throw_data(path_, std::string("unsupported format (") + (wide_ ? "AMR-WB" : "AMR-NB") + " declared as " +
                            std::to_string(par.ch_layout.nb_channels) + " channels at " + std::to_string(par.sample_rate) +
                            " Hz)");
    }
    if (wide_) {
      wb_.reset(D_IF_init());
    } else {
      nb_.reset(Decoder_Interface_init());
    }
    packet_.reset(av_packet_alloc());
    lookahead_.reset(av_packet_alloc());
    if ((!wb_ && !nb_) || !packet_ || !lookahead_) throw Error(ErrorKind::internal, path_, "out of memory");
    lookahead_rc_ = read_packet(*lookahead_);
  }

  // Decodes the first packet now, so that a header followed by garbage is refused by open().
  void prime() {
    if (remaining_ > 0) decode_packet();
  }

  std::size_t read(float* out, std::size_t frames) override {
    std::size_t done = 0;
    while (done < frames && remaining_ > 0) {
      if (pending_pos_ == pending_.size()) {
        if (!decode_packet()) break;
        continue;
      }
      const std::size_t n = std::min({frames - done, pending_.size() - pending_pos_, static_cast<std::size_t>(remaining_)});
      std::memcpy(out + done, pending_.data() + pending_pos_, n * sizeof(float));
      done += n;
      pending_pos_ += n;
      remaining_ -= static_cast<std::int64_t>(n);
    }
    return done;
  }

 private:
  int read_packet(AVPacket& out) {
    int rc = 0;
    while ((rc = av_read_frame(input_.fc.get(), &out)) >= 0 && out.stream_index != input_.stream->index) {
      av_packet_unref(&out);
    }
    return rc;
  }

  // The next packet's frames into pending_, trimmed by the rules the demux pass counts with
  // (ffmpeg_decoder.cpp: count_frames). False at the end of the stream.
  bool decode_packet() {
    ff::LogCapture log;
    while (!ended_) {
      const int rc = lookahead_rc_;
      if (rc == AVERROR_EOF) return false;
      if (rc < 0) {
        throw_data(path_, "damaged or truncated (" +
                              (log.text().empty() ? ff::error_text(rc) : ff::lowercase_first(log.text())) + ")");
      }
      av_packet_move_ref(packet_.get(), lookahead_.get());
      lookahead_rc_ = read_packet(*lookahead_);
      const bool last = lookahead_rc_ == AVERROR_EOF;
      const AVPacket& p = *packet_;
      if ((p.flags & AV_PKT_FLAG_DISCARD) != 0) {
        av_packet_unref(packet_.get());
        continue;
      }
      std::int64_t padding = 0;
      std::size_t side_size = 0;
      if (const std::uint8_t* side = av_packet_get_side_data(&p, AV_PKT_DATA_SKIP_SAMPLES, &side_size);
          side != nullptr && side_size >= 10) {
        skip_ = std::max<std::int64_t>(static_cast<std::int32_t>(AV_RL32(side)), 0);
        padding = static_cast<std::int32_t>(AV_RL32(side + 4));
      }
      const std::int64_t duration =
          p.duration > 0 ? av_rescale_q(p.duration, input_.stream->time_base, AVRational{1, rate_}) : 0;
      pending_.clear();
      pending_pos_ = 0;
      const std::int64_t counted = packet_frames(input_.stream->codecpar->codec_id, p.data, p.size);
      decode_frames(p.data, p.size, last);
      av_packet_unref(packet_.get());
      // As counted: the skip, then the padding, then no more than the packet's duration.
      std::int64_t kept = counted;
      const std::int64_t skipped = std::min(skip_, kept);
      kept -= skipped;
      skip_ -= skipped;
      if (padding > 0 && padding <= kept) kept -= padding;
      if (duration > 0) kept = std::min(kept, duration);
      const auto decoded = static_cast<std::int64_t>(pending_.size());
      const std::int64_t end = std::min(skipped + kept, decoded);
      pending_.resize(static_cast<std::size_t>(end));
      pending_pos_ = static_cast<std::size_t>(std::min(skipped, end));
      if (pending_pos_ < pending_.size()) return true;
    }
    return false;
  }

  // Every whole frame of one packet, appended to pending_. A frame cut short ends the stream when
  // it is the file's last; anywhere else the packet is corrupt.
  void decode_frames(const std::uint8_t* data, int size, bool last) {
    const auto& payload = wide_ ? kWbPayload : kNbPayload;
    const int samples = wide_ ? kWbFrame : kNbFrame;
    std::array<std::uint8_t, 64> frame{};  // a ToC byte and the largest payload, zero-padded
    std::array<short, kWbFrame> pcm{};
    int pos = 0;
    while (pos < size) {
      const std::size_t type = frame_type(data[pos]);
      if (payload[type] < 0) fail("reserved AMR frame type " + std::to_string(type));
      if (pos + 1 + payload[type] > size) {
        if (last) {
          ended_ = true;  // the frames it lacks show as "truncated (N of M frames decode)"
          return;
        }
        fail("AMR frame cut short inside a packet");
      }
      frame.fill(0);
      std::memcpy(frame.data(), data + pos, static_cast<std::size_t>(1 + payload[type]));
      if (wide_) {
        D_IF_decode(wb_.get(), frame.data(), pcm.data(), _good_frame);
      } else {
        Decoder_Interface_Decode(nb_.get(), frame.data(), pcm.data(), 0);
      }
      for (int i = 0; i < samples; ++i) pending_.push_back(static_cast<float>(pcm[static_cast<std::size_t>(i)]) / 32768.0F);
      decoded_ += samples;
      pos += 1 + payload[type];
    }
  }

  [[noreturn]] void fail(const std::string& what) const {
    char at[32];
    std::snprintf(at, sizeof at, "%.2f", static_cast<double>(decoded_) / rate_);
    throw_data(path_, "decode error (" + what + " at " + at + " s)");
  }

  ff::Input input_;
  std::unique_ptr<void, NbCloser> nb_;
  std::unique_ptr<void, WbCloser> wb_;
  ff::Packet packet_;
  ff::Packet lookahead_;
  int lookahead_rc_ = 0;
  bool wide_ = false;
  int rate_ = 0;
  std::vector<float> pending_;  // one packet's frames (mono)
  std::size_t pending_pos_ = 0;
  std::int64_t remaining_;
  std::int64_t skip_ = 0;     // frames still to drop at the start (skip-samples side data)
  std::int64_t decoded_ = 0;  // frames decoded so far, for the time a decode error names
  bool ended_ = false;
  std::string path_;
};

}  // namespace

bool decodes(AVCodecID codec) { return codec == AV_CODEC_ID_AMR_NB || codec == AV_CODEC_ID_AMR_WB; }

std::int64_t packet_frames(AVCodecID codec, const std::uint8_t* data, int size) {
  const bool wide = codec == AV_CODEC_ID_AMR_WB;
  const auto& payload = wide ? kWbPayload : kNbPayload;
  std::int64_t frames = 0;
  for (int pos = 0; pos < size; pos += 1 + std::max(0, payload[frame_type(data[pos])])) ++frames;
  return frames * (wide ? kWbFrame : kNbFrame);
}

std::unique_ptr<AudioDecoder> open_decoder(ff::Input input, std::int64_t frames, std::string path) {
  auto decoder = std::make_unique<AmrDecoder>(std::move(input), frames, std::move(path));
  decoder->prime();
  return decoder;
}

}  // namespace clipset::detail::amr
