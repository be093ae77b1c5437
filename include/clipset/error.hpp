#pragma once
// The one exception type of the library. Fatal problems throw it; per-item problems
// (a bad file, a bad manifest line) are values and the run goes on.

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

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

// An output could not be written: a manifest, a report, a clip file or the folder for it (a full
// disk, a read-only folder). Kind io, and always fatal: a per-item catch that turns an input's
// problem into a rejection rethrows it, so a full disk stops the run instead of rejecting every
// item after it.
class OutputError : public Error {
 public:
  OutputError(std::string subject, std::string reason);
};

// Shorthands for the common kinds.
[[noreturn]] void throw_usage(std::string subject, std::string reason);
[[noreturn]] void throw_io(std::string subject, std::string reason);
[[noreturn]] void throw_data(std::string subject, std::string reason);
[[noreturn]] void throw_output(std::string subject, std::string reason);

// Options are named by their member in the library's options structs ("group_by", "min_overlap"),
// never by a command-line spelling: a front end spells them (the CLI as --group-by). option_ref
// marks a mention inside a subject or reason; throw_option is a usage error about one option.
std::string option_ref(std::string_view member);
[[noreturn]] void throw_option(std::string_view member, std::string reason);
[[noreturn]] void throw_option(std::string_view member, const std::string& value, std::string reason);
// Replaces every option_ref mark in text by spell(member).
std::string spell_options(std::string_view text, const std::function<std::string(std::string_view member)>& spell);

// "reason" of the current errno, e.g. "no such file or directory" (lowercase, as in GNU tools).
std::string errno_reason(int err);

}  // namespace clipset
