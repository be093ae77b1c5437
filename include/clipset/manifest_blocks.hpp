#pragma once
// Reading a whole manifest at memory speed: the input in large blocks of whole lines (a regular
// file mapped, stdin and pipes read), each block cut into chunks at line ends that `jobs` threads
// decode with LineDecoder, and the results handed back on the calling thread in input order. Line
// numbers, bad-line reports and results are the same whatever `jobs` is. See docs/manifest.md.

#include <cstddef>
#include <functional>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "clipset/error.hpp"
#include "clipset/manifest.hpp"
#include "clipset/thread_pool.hpp"

namespace clipset {

// Blocks of whole lines from an input. A line longer than kMaxManifestLineBytes is cut to one
// byte over the limit (so the decoder refuses it by its length) and the rest of it skipped: memory
// stays bounded by the block size plus that limit.
class ManifestBlocks {
 public:
  // A regular file is mapped (read-only; pages already passed are released); anything else is read.
  explicit ManifestBlocks(InputFile& input);
  ManifestBlocks(std::istream& in, std::string display_name);
  ~ManifestBlocks();
  ManifestBlocks(const ManifestBlocks&) = delete;
  ManifestBlocks& operator=(const ManifestBlocks&) = delete;

  // The next block: whole lines, the last one possibly without its newline; empty at the end.
  // Valid until the next call. Throws clipset::Error (io) on a read error.
  std::string_view next();
  const std::string& display_name() const noexcept { return name_; }
  std::size_t bytes_read() const noexcept { return bytes_read_; }

  struct Source;  // where blocks come from (a mapped file or a stream): internal

 private:
  std::unique_ptr<Source> source_;
  std::string name_;
  std::size_t bytes_read_ = 0;
};

// Cuts a block into pieces of about `bytes`, each ending at a line end.
std::vector<std::string_view> chunks_at_line_ends(std::string_view block, std::size_t bytes);

// Calls line(text, number) for each non-blank line of chunk (numbers from 1, a trailing '\r'
// removed) and returns the number of lines the chunk holds.
std::size_t for_each_manifest_line(std::string_view chunk, const std::function<void(std::string_view, std::size_t)>& line);

struct ManifestScanOptions {
  FieldSet fields = item_fields::all;  // what LineDecoder decodes
  unsigned jobs = 1;                    // threads decoding chunks; never changes the result
  bool strict = false;                  // the first bad line throws clipset::Error (data) "name:line"
};

struct ManifestScanCounts {
  std::size_t lines = 0;      // lines read, blank ones included
  std::size_t bad_lines = 0;  // reported to the problem handler
};

// Decodes every line of `blocks`: map(Item&&, std::string_view line_text) runs on worker threads
// (the text is valid only during the call) and consume(result) on the calling thread, in input
// order; bad lines go to on_problem in input order, between the results around them. progress,
// when set, gets the bytes read after each block.
template <class Map, class Consume>
ManifestScanCounts scan_manifest(ManifestBlocks& blocks, const ManifestScanOptions& options, Map&& map, Consume&& consume,
                                 const std::function<void(const ManifestProblem&)>& on_problem,
                                 const std::function<void(std::size_t)>& progress = {}) {
  using Result = std::decay_t<std::invoke_result_t<Map&, Item&&, std::string_view>>;
  struct Chunk {
    std::vector<Result> results;
    std::vector<std::size_t> problem_after;  // how many results come before each problem
    std::vector<ManifestProblem> problems;   // line numbers within the chunk
    std::size_t lines = 0;
  };
  constexpr std::size_t kChunkBytes = std::size_t{256} << 10;  // one task
  const std::string& name = blocks.display_name();
  ManifestScanCounts counts;
  for (std::string_view block = blocks.next(); !block.empty(); block = blocks.next()) {
    const auto chunks = chunks_at_line_ends(block, kChunkBytes);
    ordered_parallel_for(
        chunks.size(), std::max(1u, options.jobs),
        [&](std::size_t i) {
          Chunk chunk;
          LineDecoder decoder(options.fields);
          chunk.lines = for_each_manifest_line(chunks[i], [&](std::string_view text, std::size_t line) {
            std::optional<Item> item;
            try {
              item = decoder.decode(text);
            } catch (const Error& e) {
              if (e.kind() != ErrorKind::data) throw;
              chunk.problem_after.push_back(chunk.results.size());
              chunk.problems.push_back(ManifestProblem{name, line, e.reason()});
              return;
            }
            chunk.results.push_back(map(std::move(*item), text));
          });
          return chunk;
        },
        [&](std::size_t, Chunk&& chunk) {
          std::size_t next_problem = 0;
          for (std::size_t r = 0; r <= chunk.results.size(); ++r) {
            for (; next_problem < chunk.problems.size() && chunk.problem_after[next_problem] == r; ++next_problem) {
              ManifestProblem& problem = chunk.problems[next_problem];
              problem.line += counts.lines;
              ++counts.bad_lines;
              if (options.strict) throw_data(problem.source + ":" + std::to_string(problem.line), problem.reason);
              if (on_problem) on_problem(problem);
            }
            if (r < chunk.results.size()) consume(std::move(chunk.results[r]));
          }
          counts.lines += chunk.lines;
        });
    if (progress) progress(blocks.bytes_read());
  }
  return counts;
}

}  // namespace clipset
