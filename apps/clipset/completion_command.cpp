// clipset __completion: the shell completion scripts, from the command-line definitions.

#include "clipset/manifest.hpp"
#include "cli_common.hpp"
#include "completion_spec.hpp"

namespace clipset::app {

CLI::App* add_completion_command(CLI::App& app, CompletionArgs& args) {
  CLI::App* cmd = app.add_subcommand("__completion", "Print a shell completion script (bash or zsh)");
  cmd->group("");  // hidden from --help and from the completions themselves
  cmd->add_option("shell", args.shell, "The shell")->required()->check(CLI::IsMember({"bash", "zsh"}));
  cmd->add_option("-o,--output", args.output, "Where to write it, atomically (default: - for stdout)")->type_name("FILE");
  return cmd;
}

int run_completion(CLI::App& app, const CompletionArgs& args) {
  const CompletionSpec spec = completion_spec(app);
  AtomicOutput out(args.output);
  out.stream() << (args.shell == "zsh" ? zsh_completion_script(spec) : bash_completion_script(spec));
  out.commit();
  return kExitOk;
}

}  // namespace clipset::app
