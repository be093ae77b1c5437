#pragma once
// The command line as data, read from the CLI11 definitions: what `clipset __completion` turns
// into bash and zsh completion scripts, so they list every subcommand and option there is.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace clipset::app {

struct OptionSpec {
  std::vector<std::string> names;    // "-o", "--output"
  std::string description;
  std::string value_name;            // "FILE"; empty for a flag
  std::vector<std::string> choices;  // the values it accepts, when they are a fixed set
  bool repeatable = false;
  bool takes_value() const { return !value_name.empty(); }
};

struct CommandSpec {
  std::string name;  // empty for clipset itself
  std::string description;
  std::vector<OptionSpec> options;
  bool takes_operands = false;               // positional arguments (files, folders)
  std::vector<std::string> operand_choices;  // when the operands are a fixed set (help's subcommand names)
};

struct CompletionSpec {
  CommandSpec top;                    // clipset's own options
  std::vector<CommandSpec> commands;  // every visible subcommand, in definition order
};

// Reads `app` after every subcommand is registered. Hidden subcommands (an empty group) are left
// out. A value's choices come from its CLI::IsMember check; `help` completes subcommand names.
CompletionSpec completion_spec(CLI::App& app);

std::string bash_completion_script(const CompletionSpec& spec);
std::string zsh_completion_script(const CompletionSpec& spec);

}  // namespace clipset::app

namespace clipset::app {

// `clipset __completion bash|zsh [-o FILE]`: hidden (the build runs it to make the scripts that
// `cmake --install` puts in place). Registered after every other subcommand, help included.
struct CompletionArgs {
  std::string shell;
  std::string output = "-";
};
CLI::App* add_completion_command(CLI::App& app, CompletionArgs& args);
int run_completion(CLI::App& app, const CompletionArgs& args);

}  // namespace clipset::app
