// Shards back into one output: a k-way merge by each record's shard order, memory bounded by the
// number of inputs. Identical records at one place collapse; different ones are conflicts.

#include <algorithm>
#include <queue>

#include "clipset/error.hpp"
#include "clipset/item_keys.hpp"
#include "internal.hpp"

namespace clipset::merge_detail {

namespace {

// One input's current record.
struct Cursor {
  LineSource* source = nullptr;
  ShardRecord record;
  std::size_t line = 0;
  bool has_record = false;
};

class ShardMerge {
 public:
  ShardMerge(std::vector<LineSource>& sources, const ShardHeader& run, const MergeCallbacks& callbacks);
  MergeSummary run();

 private:
  void advance(std::size_t input);
  void take(std::size_t input);
  void emit(const std::string& record);
  void problem(const LineSource& source, std::size_t line, std::string reason);

  std::vector<Cursor> cursors_;
  const MergeCallbacks& callbacks_;
  bool mark_duplicates_ = false;
  DuplicateMarker duplicates_;
  MergeSummary summary_;
  // The last record written, to collapse or refuse another at the same place.
  ShardRecord last_;
  std::string last_file_;
  std::size_t last_line_ = 0;
  bool any_ = false;
};

ShardMerge::ShardMerge(std::vector<LineSource>& sources, const ShardHeader& run, const MergeCallbacks& callbacks)
    : cursors_(sources.size()), callbacks_(callbacks) {
  for (const auto& name : run.deferred) {
    if (name != "duplicate_of") throw_data(sources.front().name(), "the shards leave \"" + name + "\" to a newer clipset merge");
    mark_duplicates_ = true;
  }
  for (std::size_t i = 0; i < sources.size(); ++i) cursors_[i].source = &sources[i];
}

void ShardMerge::problem(const LineSource& source, std::size_t line, std::string reason) {
  ++summary_.problems;
  if (callbacks_.problem) callbacks_.problem({source.name(), line, std::move(reason)});
}

// The input's next readable record, in order after its previous one.
void ShardMerge::advance(std::size_t input) {
  Cursor& c = cursors_[input];
  const bool had = c.has_record;
  ShardOrder previous = had ? std::move(c.record.order) : ShardOrder{};
  c.has_record = false;
  while (c.source->next()) {
    try {
      c.record = split_shard_order(c.source->text());
    } catch (const Error& e) {
      problem(*c.source, c.source->line(), e.reason());
      continue;
    }
    if (had && !(previous < c.record.order)) {
      problem(*c.source, c.source->line(), "out of order (a shard writes its records in order)");
      continue;
    }
    c.line = c.source->line();
    c.has_record = true;
    return;
  }
}

std::string id_of(const std::string& record, const ShardOrder& order) {
  const Json parsed = Json::parse(record, nullptr, false);
  if (parsed.is_object()) {
    const auto id = parsed.find("id");
    if (id != parsed.end() && id->is_string()) return id->get<std::string>();
  }
  std::string text = "order [";
  for (std::size_t i = 0; i < order.size(); ++i) text += (i ? "," : "") + std::to_string(order[i]);
  return text + "]";
}

void ShardMerge::emit(const std::string& record) {
  ++summary_.records;
  if (!callbacks_.record) return;
  if (!mark_duplicates_) {
    callbacks_.record(record);
    return;
  }
  Item item = parse_manifest_line(record).item;
  duplicates_.mark(item);
  callbacks_.record(item_to_line(item));
}

void ShardMerge::take(std::size_t input) {
  Cursor& c = cursors_[input];
  if (any_ && c.record.order == last_.order) {
    if (c.record.record == last_.record) {
      ++summary_.duplicates;
    } else {
      ++summary_.conflicts;
      if (callbacks_.conflict) {
        callbacks_.conflict({id_of(last_.record, last_.order), last_file_, last_line_, c.source->name(), c.line});
      }
    }
  } else {
    try {
      emit(c.record.record);
    } catch (const Error& e) {  // a record the deferred work cannot read
      problem(*c.source, c.line, e.reason());
    }
    last_ = c.record;
    last_file_ = c.source->name();
    last_line_ = c.line;
    any_ = true;
  }
  advance(input);
}

MergeSummary ShardMerge::run() {
  for (std::size_t i = 0; i < cursors_.size(); ++i) advance(i);
  // Smallest order first; among equal orders the earlier input, so the first given is kept.
  auto later = [&](std::size_t a, std::size_t b) {
    const auto& x = cursors_[a].record.order;
    const auto& y = cursors_[b].record.order;
    return x == y ? a > b : y < x;
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> queue(later);
  for (std::size_t i = 0; i < cursors_.size(); ++i) {
    if (cursors_[i].has_record) queue.push(i);
  }
  while (!queue.empty()) {
    const std::size_t input = queue.top();
    queue.pop();
    take(input);
    if (cursors_[input].has_record) queue.push(input);
  }
  return summary_;
}

}  // namespace

MergeSummary merge_shards(std::vector<LineSource>& sources, const std::vector<ShardHeader>& headers,
                          const MergeCallbacks& callbacks) {
  return ShardMerge(sources, headers.front(), callbacks).run();
}

}  // namespace clipset::merge_detail
