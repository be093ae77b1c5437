#include "progress_bar.hpp"

#include <unistd.h>

#include <cstdio>

namespace clipset::app {

ProgressBar::ProgressBar(const std::string& mode)
    : enabled_(mode == "always" || (mode == "auto" && ::isatty(STDERR_FILENO) == 1)),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(std::size_t done, std::size_t total, const char* unit) {
  if (!enabled_) return;
  done_ = done;
  total_ = total;
  unit_ = unit;
  const auto now = std::chrono::steady_clock::now();
  // Redrawing at most ten times a second keeps the terminal cheap on fast runs.
  if ((total == 0 || done != total) && visible_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw();
}

void ProgressBar::draw() {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (total_ == 0) {  // a stream of unknown length: a count, no bar
    std::fprintf(stderr, "\r%zu %s %.1fs\x1b[K", done_, unit_, seconds);
    std::fflush(stderr);
    visible_ = true;
    return;
  }
  constexpr int kWidth = 30;
  const double fraction = total_ == 0 ? 1.0 : static_cast<double>(done_) / static_cast<double>(total_);
  const int filled = static_cast<int>(fraction * kWidth);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  char bar[kWidth + 1];
  for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
  bar[kWidth] = '\0';
  std::fprintf(stderr, "\r[%s] %zu/%zu %s %3.0f%% %.1fs\x1b[K", bar, done_, total_, unit_, fraction * 100, elapsed);
  std::fflush(stderr);
  visible_ = true;
}

void ProgressBar::clear() {
  if (!enabled_ || !visible_) return;
  std::fputs("\r\x1b[K", stderr);
  visible_ = false;
}

void ProgressBar::redraw() {
  if (enabled_ && (total_ > 0 || done_ > 0)) draw();
}

void ProgressBar::finish() {
  if (!enabled_ || !visible_) return;
  draw();
  std::fputc('\n', stderr);
  visible_ = false;
}

}  // namespace clipset::app
