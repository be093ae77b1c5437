// RFC 4180 reader, lenient where spreadsheet exports are sloppy: a quote inside an unquoted
// field, or text after a closing quote, is kept literally instead of failing the file.

#include <string>
#include <vector>

#include "clipset/error.hpp"
#include "clipset/labels.hpp"

namespace clipset {

namespace {

using Traits = std::char_traits<char>;
constexpr Traits::int_type eof = Traits::eof();

bool is_line_end(Traits::int_type c) { return c == '\n' || c == '\r'; }

// Consumes one LF, CRLF or lone CR; the caller has seen one of them with sgetc().
void skip_line_end(std::streambuf& buf) {
  if (buf.sbumpc() == '\r' && buf.sgetc() == '\n') buf.sbumpc();
}

}  // namespace

CsvReader::CsvReader(std::istream& in, char delimiter) : in_(in), delimiter_(delimiter) {}

bool CsvReader::next(std::vector<std::string>& fields) {
  fields.clear();
  std::streambuf* buf = in_.rdbuf();
  if (buf == nullptr) return false;

  std::string field;
  if (first_) {
    first_ = false;
    // A partial BOM is ordinary text: the bytes read so far start the first field.
    static constexpr unsigned char bom[] = {0xEF, 0xBB, 0xBF};
    std::size_t matched = 0;
    while (matched < 3 && buf->sgetc() == bom[matched]) {
      field.push_back(Traits::to_char_type(buf->sbumpc()));
      ++matched;
    }
    if (matched == 3) field.clear();
  }

  // Empty lines separate nothing and are not records.
  if (field.empty()) {
    for (Traits::int_type c = buf->sgetc(); is_line_end(c); c = buf->sgetc()) {
      skip_line_end(*buf);
      ++line_;
    }
    if (buf->sgetc() == eof) {
      in_.setstate(std::ios::eofbit);
      return false;
    }
  }
  record_line_ = line_;

  const auto delimiter = Traits::to_int_type(delimiter_);
  for (;;) {
    if (field.empty() && buf->sgetc() == '"') {
      buf->sbumpc();
      for (;;) {
        const Traits::int_type c = buf->sbumpc();
        if (c == eof) throw_data("line " + std::to_string(record_line_), "unterminated quoted field");
        if (c == '"') {
          if (buf->sgetc() != '"') break;
          buf->sbumpc();
        } else if (c == '\r') {
          if (buf->sgetc() != '\n') ++line_;  // CRLF counts once, at the LF
        } else if (c == '\n') {
          ++line_;
        }
        field.push_back(Traits::to_char_type(c));
      }
    }
    // Unquoted text, or whatever follows a closing quote, up to the delimiter or line end.
    Traits::int_type c = buf->sgetc();
    while (c != eof && c != delimiter && !is_line_end(c)) {
      field.push_back(Traits::to_char_type(buf->sbumpc()));
      c = buf->sgetc();
    }
    fields.push_back(std::move(field));
    field.clear();
    if (c == delimiter) {
      buf->sbumpc();
      continue;
    }
    if (c == eof) {
      in_.setstate(std::ios::eofbit);
    } else {
      skip_line_end(*buf);
      ++line_;
    }
    return true;
  }
}

}  // namespace clipset
