#include "clipset/error.hpp"

#include <cctype>
#include <cstring>

namespace clipset {

namespace {
std::string join_message(const std::string& subject, const std::string& reason) {
  return subject.empty() ? reason : subject + ": " + reason;
}
}  // namespace

Error::Error(ErrorKind kind, std::string subject, std::string reason)
    : std::runtime_error(join_message(subject, reason)),
      kind_(kind),
      subject_(std::move(subject)),
      reason_(std::move(reason)) {}

OutputError::OutputError(std::string subject, std::string reason)
    : Error(ErrorKind::io, std::move(subject), std::move(reason)) {}

void throw_usage(std::string subject, std::string reason) {
  throw Error(ErrorKind::usage, std::move(subject), std::move(reason));
}
void throw_io(std::string subject, std::string reason) {
  throw Error(ErrorKind::io, std::move(subject), std::move(reason));
}
void throw_data(std::string subject, std::string reason) {
  throw Error(ErrorKind::data, std::move(subject), std::move(reason));
}

void throw_output(std::string subject, std::string reason) {
  throw OutputError(std::move(subject), std::move(reason));
}

std::string errno_reason(int err) {
  std::string text = std::strerror(err);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

}  // namespace clipset
