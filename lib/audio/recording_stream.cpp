// The audio of one recording as its clips need it: decoded, channels selected, resampled.
// Threaded, a second thread runs those stages ahead of the caller through a bounded queue; the
// blocks are computed by the same code in the same order either way, so the output is the same.

#include "clipset/recording_stream.hpp"

#include <cmath>
#include <utility>

#include "clipset/error.hpp"

namespace clipset {

namespace {
constexpr std::size_t kQueuedBlocks = 8;  // blocks the producer may run ahead
}  // namespace

RecordingStream::RecordingStream(SoundFile& audio, const RecordingStreamOptions& options, std::string name)
    : audio_(audio),
      name_(std::move(name)),
      selection_(options.channels),
      block_frames_(options.block_frames > 0 ? options.block_frames : 1),
      queue_(kQueuedBlocks) {
  const AudioInfo& info = audio.info();
  const int in_channels = static_cast<int>(info.channels);
  try {
    out_channels_ = output_channels(selection_, in_channels);
  } catch (const Error& e) {
    throw_data(name_, e.reason());
  }
  const double in_rate = static_cast<double>(info.sample_rate);
  const double out_rate = options.sample_rate > 0 ? static_cast<double>(options.sample_rate) : in_rate;
  const double ratio = out_rate / in_rate;
  total_ = static_cast<std::int64_t>(std::llround(static_cast<double>(info.frames) * ratio));
  block_.resize(block_frames_ * static_cast<std::size_t>(in_channels));
  // Rates that already match are not resampled at all.
  if (ratio != 1.0) resampler_.emplace(out_channels_, ratio, options.quality, options.resampler);
  threaded_ = options.threaded;
}

RecordingStream::~RecordingStream() {
  if (producer_.joinable()) {
    queue_.close();  // a producer waiting for room gives up
    producer_.join();
  }
}

bool RecordingStream::next(std::vector<float>& out) {
  if (ended_) return false;  // the resampler is flushed once
  if (!threaded_) {
    ended_ = !produce(out);
    return !ended_;
  }
  if (!producer_.joinable()) producer_ = std::thread([this] { run_producer(); });
  std::optional<Block> block = queue_.pop();
  if (!block) return false;
  if (block->error) std::rethrow_exception(block->error);
  out.insert(out.end(), block->frames.begin(), block->frames.end());
  return block->more;
}

bool RecordingStream::produce(std::vector<float>& out) {
  const int in_channels = static_cast<int>(audio_.info().channels);
  const std::size_t got = audio_.read(block_.data(), block_frames_);
  decoded_ += static_cast<std::int64_t>(got);
  if (got == 0) {
    const std::int64_t declared = audio_.info().frames;
    if (decoded_ < declared) {
      throw_data(name_, "truncated (" + std::to_string(decoded_) + " of " + std::to_string(declared) + " frames decode)");
    }
    if (resampler_) resampler_->finish(out);
    return false;
  }
  if (!resampler_) {
    select_channels(block_.data(), got, in_channels, selection_, out);
    return true;
  }
  // Channels first: the resampler then converts one channel instead of several.
  mixed_.clear();
  select_channels(block_.data(), got, in_channels, selection_, mixed_);
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
    const bool last = !block.more;
    if (!queue_.push(std::move(block)) || last) break;
  }
  queue_.close();
}

}  // namespace clipset
