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

namespace {
// The mark is plain text so that an unspelled mention still reads as the option's name.
constexpr std::string_view kOpen = "{{";
constexpr std::string_view kClose = "}}";

bool is_member_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}
}  // namespace

std::string option_ref(std::string_view member) {
  return std::string(kOpen).append(member).append(kClose);
}

void throw_option(std::string_view member, std::string reason) {
  throw Error(ErrorKind::usage, option_ref(member), std::move(reason));
}

void throw_option(std::string_view member, const std::string& value, std::string reason) {
  throw Error(ErrorKind::usage, option_ref(member) + " " + value, std::move(reason));
}

std::string spell_options(std::string_view text, const std::function<std::string(std::string_view member)>& spell) {
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t open = text.find(kOpen, at);
    const std::size_t close = open == std::string_view::npos ? open : text.find(kClose, open + kOpen.size());
    if (close == std::string_view::npos) break;
    const std::string_view member = text.substr(open + kOpen.size(), close - open - kOpen.size());
    out.append(text.substr(at, open - at));
    if (is_member_name(member)) {
      out += spell(member);
      at = close + kClose.size();
    } else {  // not a mark: keep the braces and go on after them
      out.append(kOpen);
      at = open + kOpen.size();
    }
  }
  out.append(text.substr(at));
  return out;
}

std::string errno_reason(int err) {
  std::string text = std::strerror(err);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

}  // namespace clipset
