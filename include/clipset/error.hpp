#pragma once
// The one exception type of the library. Fatal problems throw it; per-item problems
// (a bad file, a bad manifest line) are values and the run goes on.

#include <stdexcept>
#include <string>

namespace clipset {

// What went wrong decides the exit code the app gives (README, "Exit status").
enum class ErrorKind {
  usage,     // a bad option or value (exit 2)
  data,      // the input data has problems (exit 1)
  io,        // a file could not be read or written (exit 3)
  internal,  // a bug (exit 3)
};

class Error : public std::runtime_error {
 public:
  // subject: the file, option or value concerned (may be empty); reason: lowercase, no full stop.
  Error(ErrorKind kind, std::string subject, std::string reason);

  ErrorKind kind() const noexcept { return kind_; }
  const std::string& subject() const noexcept { return subject_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  ErrorKind kind_;
  std::string subject_;
  std::string reason_;
};

// Shorthands for the common kinds.
[[noreturn]] void throw_usage(std::string subject, std::string reason);
[[noreturn]] void throw_io(std::string subject, std::string reason);
[[noreturn]] void throw_data(std::string subject, std::string reason);

// "reason" of the current errno, e.g. "no such file or directory" (lowercase, as in GNU tools).
std::string errno_reason(int err);

}  // namespace clipset
