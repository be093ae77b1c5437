#pragma once
// Runs the clipset binary (or any program) and captures exit code, stdout and stderr.

#include <sys/types.h>

#include <string>
#include <vector>

namespace clipset::test {

struct CommandResult {
  int exit_code = -1;   // the exit status, or 128 + signal number when killed by a signal
  std::string out;      // stdout
  std::string err;      // stderr
  std::string command;  // the command line, for failure messages
};

// argv[0] is the program. `input` is fed to stdin; `cwd` empty: the current folder.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& input = "",
                          const std::string& cwd = "");

// Runs the clipset binary under test with these arguments.
CommandResult run_clipset(const std::vector<std::string>& args, const std::string& input = "",
                          const std::string& cwd = "");

// run_clipset killed after 60 s: a hang becomes a failure (exit 137) instead of a stuck suite.
CommandResult run_clipset_bounded(const std::vector<std::string>& args, const std::string& cwd, const std::string& input = "");

// Starts argv (argv[0] the program) without waiting: stdin and stdout on /dev/null, stderr into
// the file stderr_path (for tests that interrupt a run). Returns the pid; -1 when it cannot start.
pid_t spawn_in_background(const std::vector<std::string>& argv, const std::string& stderr_path);

// Splits text into lines (without the newline); a final newline gives no empty last line.
std::vector<std::string> lines_of(const std::string& text);

}  // namespace clipset::test
