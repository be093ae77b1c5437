#pragma once
// A one-line progress bar on stderr. auto: only when stderr is a terminal.

#include <chrono>
#include <cstddef>
#include <string>

namespace clipset::app {

class ProgressBar {
 public:
  // mode: "auto", "always" or "never" (checked by the option parser).
  explicit ProgressBar(const std::string& mode);
  // total 0: unknown (a stream); a count is shown instead of a bar.
  void update(std::size_t done, std::size_t total, const char* unit);
  void clear();   // erase the line (before a log line is printed)
  void redraw();  // draw again after a log line
  void finish();  // final state, then a newline

 private:
  void draw();
  bool enabled_;
  bool visible_ = false;
  std::size_t done_ = 0;
  std::size_t total_ = 0;
  const char* unit_ = "";
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace clipset::app
