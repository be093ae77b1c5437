// The audio of one recording as its clips need it: decoded, channels selected, resampled.
// Threaded, a second thread runs those stages ahead of the caller through a bounded queue; the
// blocks are computed by the same code in the same order either way, so the output is the same.

#include <exception>

#include "internal.hpp"

namespace clipset::detail {

namespace {
constexpr std::size_t kBlockFrames = 16384;  // input frames decoded at a time
constexpr std::size_t kQueuedBlocks = 8;     // blocks the producer may run ahead
}  // namespace

RecordingStream::RecordingStream(SoundFile& audio, const SegmentOptions& options, int out_channels, double ratio,
                                 bool threaded)
    : audio_(audio), channels_(options.channels), queue_(kQueuedBlocks) {
  block_.resize(kBlockFrames * static_cast<std::size_t>(audio.info().channels));
  // Rates that already match are not resampled at all.
  if (ratio != 1.0) resampler_.emplace(out_channels, ratio, options.quality, options.resampler);
  if (threaded) producer_ = std::thread([this] { run_producer(); });
}

RecordingStream::~RecordingStream() {
  if (producer_.joinable()) {
    queue_.close();  // a producer waiting for room gives up
    producer_.join();
  }
}

bool RecordingStream::next(std::vector<float>& out) {
  if (!producer_.joinable()) {
    const bool more = produce(out);
    decoded_ = read_;
    return more;
  }
  std::optional<Block> block = queue_.pop();
  if (!block) return false;
  if (block->error) std::rethrow_exception(block->error);
  out.insert(out.end(), block->frames.begin(), block->frames.end());
  decoded_ = block->decoded;
  return block->more;
}

bool RecordingStream::produce(std::vector<float>& out) {
  const int in_channels = static_cast<int>(audio_.info().channels);
  const std::size_t got = audio_.read(block_.data(), kBlockFrames);
  read_ += static_cast<std::int64_t>(got);
  if (got == 0) {
    if (resampler_) resampler_->finish(out);
    return false;
  }
  if (!resampler_) {
    select_channels(block_.data(), got, in_channels, channels_, out);
    return true;
  }
  // Channels first: the resampler then converts one channel instead of several.
  mixed_.clear();
  select_channels(block_.data(), got, in_channels, channels_, mixed_);
  resampler_->process(mixed_.data(), got, out);
  return true;
}

void RecordingStream::run_producer() {
  for (;;) {
    Block block;
    try {
      block.more = produce(block.frames);
    } catch (...) {
      block.error = std::current_exception();
      block.more = false;
    }
    block.decoded = read_;
    const bool last = !block.more;
    if (!queue_.push(std::move(block)) || last) break;
  }
  queue_.close();
}

}  // namespace clipset::detail
