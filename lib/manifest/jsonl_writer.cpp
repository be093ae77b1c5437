#include <ostream>

#include "clipset/error.hpp"
#include "clipset/manifest.hpp"

namespace clipset {

ManifestWriter::ManifestWriter(std::ostream& out, std::string display_name)
    : out_(out), display_name_(std::move(display_name)) {}

void ManifestWriter::write(const Item& item) {
  out_ << item_to_line(item) << '\n';
  if (!out_) throw_output(display_name_, "write failed");
  ++count_;
}

}  // namespace clipset
