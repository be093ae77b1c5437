// merge: look at each input's first line, refuse inputs that do not belong together, then merge
// shards by their records' order or manifests by id.

#include <algorithm>

#include "clipset/error.hpp"
#include "internal.hpp"

namespace clipset {

namespace merge_detail {

bool LineSource::read() {
  while (std::getline(*input_.stream, text_)) {
    ++line_;
    if (!text_.empty() && text_.back() == '\r') text_.pop_back();
    if (text_.find_first_not_of(" \t") != std::string::npos) return true;
  }
  if (input_.stream->bad()) throw_io(input_.name, "read error");
  return false;
}

const std::string* LineSource::peek() {
  if (!peeked_ && !at_end_) {
    at_end_ = !read();
    peeked_ = !at_end_;
  }
  return peeked_ ? &text_ : nullptr;
}

bool LineSource::next() {
  if (peek() == nullptr) return false;
  peeked_ = false;
  return true;
}

}  // namespace merge_detail

namespace {

using merge_detail::LineSource;

std::string run_text(const ShardHeader& h) { return h.command + " with settings " + h.settings; }

// Every header from one run: same command, settings and shard count.
void check_one_run(const std::vector<LineSource>& sources, const std::vector<ShardHeader>& headers) {
  for (std::size_t i = 1; i < headers.size(); ++i) {
    const ShardHeader& a = headers.front();
    const ShardHeader& b = headers[i];
    if (a.command != b.command || a.settings != b.settings) {
      throw_data(sources[i].name(), "shard " + b.shard.text() + " of another run (" + run_text(b) + ", while " +
                                        sources.front().name() + " is " + run_text(a) + "); merge the shards of one run");
    }
    if (a.shard.count != b.shard.count || a.deferred != b.deferred) {
      throw_data(sources[i].name(), "shard " + b.shard.text() + " of a run in " + std::to_string(b.shard.count) +
                                        " shards, while " + sources.front().name() + " is shard " + a.shard.text());
    }
  }
}

std::string shard_list(const std::vector<std::size_t>& indexes, std::size_t count) {
  std::string text;
  for (const std::size_t i : indexes) text += (text.empty() ? "" : ", ") + Shard{i, count}.text();
  return text;
}

void check_expected(const std::vector<LineSource>& sources, const ShardHeader& run, const MergeSummary& summary,
                    std::size_t expect) {
  if (run.shard.count != expect) {
    throw_data(sources.front().name(), "shard " + run.shard.text() + " of a run in " + std::to_string(run.shard.count) +
                                           " shards, not the " + std::to_string(expect) + " expected");
  }
  if (!summary.missing.empty()) {
    throw_data("", "missing " + std::string(summary.missing.size() == 1 ? "shard " : "shards ") +
                       shard_list(summary.missing, expect) + " (have " + shard_list(summary.shards, expect) + ")");
  }
}

// The headers of shard inputs; empty when every input is a plain manifest.
std::vector<ShardHeader> read_headers(std::vector<LineSource>& sources) {
  std::vector<ShardHeader> headers;
  std::size_t plain = sources.size();  // first input without a header
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const std::string* first = sources[i].peek();
    std::optional<ShardHeader> header;
    try {
      if (first != nullptr) header = parse_shard_header(*first);
    } catch (const Error& e) {
      throw_data(sources[i].name() + ":" + std::to_string(sources[i].line()), e.reason());
    }
    if (header) {
      headers.push_back(std::move(*header));
      sources[i].next();
    } else if (plain == sources.size()) {
      plain = i;
    }
  }
  if (!headers.empty() && plain < sources.size()) {
    const bool empty = sources[plain].peek() == nullptr;
    throw_data(sources[plain].name(), std::string(empty ? "empty (a shard's output starts with its header line, even with no records)"
                                                        : "no shard header") +
                                          ", while other inputs are shards; merge the shards of one run, or whole manifests");
  }
  return headers;
}

}  // namespace

MergeSummary merge(const std::vector<MergeInput>& inputs, const MergeOptions& options, const MergeCallbacks& callbacks) {
  std::vector<LineSource> sources;
  sources.reserve(inputs.size());
  for (const auto& input : inputs) sources.emplace_back(input);
  const std::vector<ShardHeader> headers = read_headers(sources);
  if (headers.empty()) {
    if (options.expect) {
      throw_usage(inputs.empty() ? "" : inputs.front().name, "is no shard output: a shard count applies to shards only");
    }
    return merge_detail::merge_manifests(sources, callbacks);
  }
  check_one_run(sources, headers);
  MergeSummary summary;
  summary.run = headers.front();
  for (const auto& h : headers) summary.shards.push_back(h.shard.index);
  std::sort(summary.shards.begin(), summary.shards.end());
  summary.shards.erase(std::unique(summary.shards.begin(), summary.shards.end()), summary.shards.end());
  for (std::size_t i = 0; i < summary.run->shard.count; ++i) {
    if (!std::binary_search(summary.shards.begin(), summary.shards.end(), i)) summary.missing.push_back(i);
  }
  if (options.expect) check_expected(sources, *summary.run, summary, *options.expect);
  const MergeSummary merged = merge_detail::merge_shards(sources, headers, callbacks);
  summary.records = merged.records;
  summary.duplicates = merged.duplicates;
  summary.conflicts = merged.conflicts;
  summary.problems = merged.problems;
  return summary;
}

}  // namespace clipset
