#pragma once
// What every subcommand shares: common options, logging to stderr, progress, exit codes.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <spdlog/logger.h>

#include "clipset/error.hpp"

#include "clipset/item_keys.hpp"
#include "clipset/manifest.hpp"
#include "progress_bar.hpp"

namespace clipset::app {

// Exit codes, the same for every subcommand (README, "Exit status").
enum ExitCode : int { kExitOk = 0, kExitData = 1, kExitUsage = 2, kExitFailure = 3 };

struct CommonOptions {
  unsigned jobs = 0;  // 0: all cores
  bool quiet = false;
  bool verbose = false;
  std::string progress = "auto";
};

void add_common_options(CLI::App& command, CommonOptions& options);

// Every option of `command` that takes a value refuses an empty one ("-o ''", "--group-by ''"):
// no option of clipset means anything by an empty string.
void refuse_empty_values(CLI::App& command);

// For options held in unsigned integers: digits only, within 0..2^64-1. Without it "-1" would wrap
// to 18446744073709551615 and "1e23" or "2^64" would be cut to some other number silently.
const CLI::Validator& whole_number();
// parse(text) for the value of `flag`; a usage error it throws gets the flag and the value as its
// subject ("--hop 0.x: expected a duration ..."). Every option value parsed by a library
// function goes through it.
template <class Parse>
auto parse_flag(const std::string& flag, const std::string& text, Parse parse) -> decltype(parse(text)) {
  try {
    return parse(text);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::usage) throw;
    throw_usage(flag + " " + text, e.reason());
  }
}

// A finite number 0 or more (CLI11's own check names the largest double in its message).
const CLI::Validator& non_negative_number();
unsigned effective_jobs(const CommonOptions& options);

// A list option's entries without surrounding spaces: "a, b" is read as "a" and "b", a common way
// to write lists.
std::vector<std::string> trimmed_list(const std::vector<std::string>& list);

// The voice of one subcommand on stderr: "clipset ingest: subject: reason". Keeps the progress
// bar and log lines from overwriting each other.
class Reporter {
 public:
  Reporter(const std::string& command, const CommonOptions& options);
  ~Reporter();
  void warn(const std::string& message);   // shown unless --quiet
  void info(const std::string& message);   // shown unless --quiet
  void debug(const std::string& message);  // shown with --verbose
  void error(const std::string& message);  // always shown
  // A multi-line report (a table) as it is, without the "clipset X:" prefix; not with --quiet.
  void block(const std::string& text);
  // A skipped manifest line, "file:line: reason". Only the first few are named (all with
  // --verbose): a binary file given as a manifest would otherwise print thousands of lines.
  void bad_line(const ManifestProblem& problem);
  std::size_t bad_lines() const noexcept { return bad_lines_; }
  // After the run: "skipped N bad lines (...)", when there were any; with has_strict it says
  // that --strict makes them fatal (commands without --strict pass false).
  void bad_lines_summary(bool has_strict = true);
  void progress(std::size_t done, std::size_t total, const char* unit);
  void finish_progress();

 private:
  void log(spdlog::level::level_enum level, const std::string& message);
  std::shared_ptr<spdlog::logger> logger_;
  ProgressBar bar_;
  bool verbose_ = false;
  std::size_t bad_lines_ = 0;
};

// A file named on the command line, with the option that named it ("-o", "manifest").
struct NamedFile {
  std::string option;
  std::string path;  // "-" and "" are not files and never clash
};
// Refuses, as a usage error before anything is read or written, an output that is one of the
// inputs or another output: the same file by device and inode when it exists (a link or another
// spelling of the path is caught too), the same absolute path when it does not yet.
void refuse_clashing_files(const std::vector<NamedFile>& inputs, const std::vector<NamedFile>& outputs);

// --rejects FILE: each rejected input as a JSON Lines record, the file appearing atomically at
// commit(). An empty name writes nothing; "-" (stdout) is refused when the manifest goes there.
class RejectsOutput {
 public:
  RejectsOutput(const std::string& name, const std::string& manifest_output);
  void write(const Rejection& rejection);
  void commit();

 private:
  std::unique_ptr<AtomicOutput> out_;
};

// A subcommand: registered on the app, run after parsing succeeded.
using Runner = std::function<int()>;

// The command line's spelling of a library option named by its member (error.hpp, option_ref):
// --member with '_' as '-', except where a flag's name differs from the member it sets.
std::string flag_for(std::string_view member);
// text with every option mention spelled as its flag; every library text the app prints goes
// through it.
std::string spell_flags(std::string_view text);

// The feature cache learning-curve and suspects share: $XDG_CACHE_HOME/clipset/features, else
// ~/.cache/clipset/features; empty when neither is set.
std::string default_feature_cache_dir();

// "Examples:" footer text for --help.
std::string examples_footer(std::initializer_list<const char*> lines);

}  // namespace clipset::app
