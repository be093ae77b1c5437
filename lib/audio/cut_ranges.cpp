// Clips cut from a recording stream as their frames arrive. Memory holds the frames from the
// next pending clip's start on, so it is bounded by the overlap of pending clips, not the length
// of the recording.

#include <algorithm>
#include <numeric>

#include "clipset/error.hpp"
#include "clipset/recording_stream.hpp"

namespace clipset {

namespace {

// The stream's frames from `start` on; consumed frames are dropped in bulk once they make up
// half of the buffer, so each frame is moved at most about once.
class FrameWindow {
 public:
  explicit FrameWindow(std::size_t width) : width_(width) {}
  std::vector<float>& buffer() { return frames_; }
  std::int64_t start() const { return start_; }
  std::int64_t end() const { return start_ + static_cast<std::int64_t>((frames_.size() - head_) / width_); }
  const float* at(std::int64_t frame) const { return frames_.data() + head_ + static_cast<std::size_t>(frame - start_) * width_; }

  void drop_before(std::int64_t frame) {
    if (frame > start_) {
      head_ += static_cast<std::size_t>(frame - start_) * width_;
      start_ = frame;
    }
    if (head_ > 0 && head_ * 2 >= frames_.size()) {
      frames_.erase(frames_.begin(), frames_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

 private:
  std::size_t width_;
  std::vector<float> frames_;
  std::size_t head_ = 0;  // index of frame `start_` in frames_
  std::int64_t start_ = 0;
};

}  // namespace

void cut_ranges(RecordingStream& stream, const std::vector<ClipRange>& ranges, const ClipSink& sink) {
  std::vector<std::size_t> order(ranges.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ranges[a].start < ranges[b].start; });
  if (!order.empty() && ranges[order.front()].start < 0) throw Error(ErrorKind::internal, "cut_ranges", "a range starts before the stream");
  const auto width = static_cast<std::size_t>(stream.channels());
  FrameWindow window(width);
  std::vector<float> padded;
  std::size_t next = 0;

  auto deliver_ready = [&](bool at_end) {
    const std::int64_t available = window.end();
    for (; next < order.size(); ++next) {
      const ClipRange& range = ranges[order[next]];
      if (!at_end && range.start + range.content > available) break;
      // Content beyond a range's length is not part of it.
      const std::int64_t frames = std::max<std::int64_t>(range.frames, 0);
      const std::int64_t have = std::clamp<std::int64_t>(available - range.start, 0, std::min(range.content, frames));
      if (have == frames) {
        sink(order[next], window.at(range.start), have);  // read in place
        continue;
      }
      // Short of audio: zero padding after what there is.
      padded.assign(static_cast<std::size_t>(frames) * width, 0.0f);
      if (have > 0) std::copy_n(window.at(range.start), static_cast<std::size_t>(have) * width, padded.begin());
      sink(order[next], padded.data(), have);
    }
    window.drop_before(next < order.size() ? std::min(ranges[order[next]].start, available) : available);
  };

  bool more = true;
  while (more && next < order.size()) {
    more = stream.next(window.buffer());
    deliver_ready(!more);
  }
}

}  // namespace clipset
