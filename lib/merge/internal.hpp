#pragma once
// The merge module's internals: reading inputs line by line, the two ways of merging.

#include <istream>
#include <optional>
#include <string>

#include "clipset/merge.hpp"

namespace clipset::merge_detail {

// One input's non-blank lines with their numbers; the first can be looked at before it is taken.
class LineSource {
 public:
  explicit LineSource(const MergeInput& input) : input_(input) {}
  const std::string& name() const { return input_.name; }
  // The next non-blank line (without CR LF), or nullopt at the end. Throws clipset::Error (io).
  const std::string* peek();
  bool next();  // moves past the peeked line; false at the end
  const std::string& text() const { return text_; }
  std::size_t line() const { return line_; }

 private:
  bool read();
  const MergeInput& input_;
  std::string text_;
  std::size_t line_ = 0;
  bool peeked_ = false;
  bool at_end_ = false;
};

MergeSummary merge_shards(std::vector<LineSource>& sources, const std::vector<ShardHeader>& headers,
                          const MergeCallbacks& callbacks);
MergeSummary merge_manifests(std::vector<LineSource>& sources, const MergeCallbacks& callbacks);

}  // namespace clipset::merge_detail
