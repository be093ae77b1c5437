#pragma once
// One recording as its clips need it: decoded in bounded blocks, channels selected, resampled,
// then cut into clips. segment writes clips with it and learning-curve cuts virtual clips with
// it, so a virtual clip holds exactly the samples segment would have written.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "clipset/audio.hpp"
#include "clipset/audio_process.hpp"
#include "clipset/bounded_queue.hpp"

namespace clipset {

struct RecordingStreamOptions {
  ChannelSelection channels;
  std::int64_t sample_rate = 0;  // output rate; 0 or the recording's own: no resampling
  ResamplerKind resampler = kDefaultResampler;
  ResampleQuality quality = ResampleQuality::fastest;
  // A second thread decodes and resamples ahead of the caller (a bounded queue of blocks between
  // them), so one long recording keeps two cores busy. It starts with the first next(), so a
  // stream made only to plan costs no decoding. The frames are the same either way.
  bool threaded = false;
  // Input frames decoded at a time. Output does not depend on it; tests vary it to prove that.
  std::size_t block_frames = 16384;
};

// The output frames of one recording, block by block. The SoundFile must outlive the stream.
class RecordingStream {
 public:
  // `name` is the recording as the user knows it: the subject of the errors the stream throws.
  // Throws clipset::Error (data) when the selection asks for a channel the recording lacks.
  RecordingStream(SoundFile& audio, const RecordingStreamOptions& options, std::string name);
  ~RecordingStream();
  RecordingStream(const RecordingStream&) = delete;
  RecordingStream& operator=(const RecordingStream&) = delete;

  int channels() const noexcept { return out_channels_; }  // output channels
  bool resampling() const noexcept { return resampler_.has_value(); }
  // Output frames of the whole stream: round(input frames * output rate / input rate).
  std::int64_t total_frames() const noexcept { return total_; }

  // Appends the next output frames to `out`; false when that was the end of the stream (the
  // resampler's last frames included; later calls add nothing). Throws clipset::Error (data) on
  // a decode error, and "truncated (...)" when fewer frames decode than the header declares.
  bool next(std::vector<float>& out);

 private:
  struct Block {
    std::vector<float> frames;
    bool more = true;
    std::exception_ptr error;
  };
  bool produce(std::vector<float>& out);
  void run_producer();

  SoundFile& audio_;
  std::string name_;
  ChannelSelection selection_;
  int out_channels_ = 0;
  std::size_t block_frames_ = 0;
  bool threaded_ = false;
  bool ended_ = false;  // unthreaded: next() returned false
  std::int64_t total_ = 0;
  std::optional<Resampler> resampler_;
  std::vector<float> block_;
  std::vector<float> mixed_;
  std::int64_t decoded_ = 0;  // input frames read so far (by the producer when threaded)
  BoundedQueue<Block> queue_;
  std::thread producer_;  // last: started after everything it uses exists
};

// One clip to cut, in output frames: [start, start + content) of the stream, then zeros up to
// `frames` (>= content).
struct ClipRange {
  std::int64_t start = 0;
  std::int64_t content = 0;
  std::int64_t frames = 0;
};

// Receives range `index` as `frames * channels` interleaved floats, valid during the call: the
// `have` (<= content) frames the stream had there, then zeros.
using ClipSink = std::function<void(std::size_t index, const float* clip, std::int64_t have)>;

// Reads `stream` until every range is delivered (or it ends), handing each clip to `sink` as soon
// as its frames have arrived, in order of start (ties: in order of index). Memory holds the frames
// pending clips overlap, never the whole recording. Throws what the stream or the sink throws;
// clips delivered before stay delivered.
void cut_ranges(RecordingStream& stream, const std::vector<ClipRange>& ranges, const ClipSink& sink);

}  // namespace clipset
