// clipset: dispatch to a subcommand, and turn every failure into one stderr line and an exit code.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>

#include "clipset/error.hpp"
#include "clipset/signals.hpp"
#include "commands.hpp"
#include "completion_spec.hpp"
#include "version_text.hpp"

namespace {

using namespace clipset::app;

extern "C" void on_terminate_signal(int signal_number) {
  // Ctrl-C or kill: remove half-written outputs (the old files stay), then die of the signal.
  clipset::remove_pending_outputs();
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

// A parent may start us with stdin, stdout or stderr closed (`2>&-`): the next file opened
// would take that number, and messages meant for stderr would land in a manifest. Hold each
// closed one with /dev/null before anything is opened.
void hold_standard_descriptors() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
      const int held = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
      if (held != fd && held >= 0) ::close(held);  // cannot happen: open takes the lowest free number
    }
  }
}

int exit_code_for(clipset::ErrorKind kind) {
  switch (kind) {
    case clipset::ErrorKind::usage: return kExitUsage;
    case clipset::ErrorKind::data: return kExitData;
    case clipset::ErrorKind::io:
    case clipset::ErrorKind::internal: return kExitFailure;
  }
  return kExitFailure;
}

std::string prefix_for(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands()) return "clipset " + sub->get_name() + ": ";
  return "clipset: ";
}

}  // namespace

int main(int argc, char** argv) {
  hold_standard_descriptors();
  std::ios::sync_with_stdio(false);
  std::signal(SIGINT, on_terminate_signal);
  std::signal(SIGTERM, on_terminate_signal);
  std::signal(SIGHUP, on_terminate_signal);  // a closed terminal or ssh session

  CLI::App app{"clipset: turn folders of recordings into clean, split, validated audio datasets"};
  app.name("clipset");
  app.set_version_flag("--version", clipset::app::version_text());
  app.require_subcommand(0, 1);
  app.footer(examples_footer({
      "clipset ingest data/raw --metadata data/raw/meta.csv -o raw.jsonl",
      "clipset segment raw.jsonl --rate 16k --mono --length 1s --out clips/ -o clips.jsonl",
      "clipset split clips.jsonl --group-by group,source.sha256 -o dataset.jsonl",
      "clipset stats dataset.jsonl --html report.html",
      "clipset validate dataset.jsonl --hash",
      "clipset help split",
  }) + "\nExit status: 0 success, 1 data problems, 2 usage error, 3 I/O or internal error.\n");

  std::map<std::string, Runner> runners;
  // In the order of a pipeline: help lists them so.
  runners["ingest"] = setup_ingest(app);
  runners["segment"] = setup_segment(app);
  runners["relabel"] = setup_relabel(app);
  runners["dups"] = setup_dups(app);
  runners["split"] = setup_split(app);
  runners["augment"] = setup_augment(app);
  runners["stats"] = setup_stats(app);
  runners["compare"] = setup_compare(app);
  runners["validate"] = setup_validate(app);
  runners["learning-curve"] = setup_learning_curve(app);
  runners["suspects"] = setup_suspects(app);
  runners["export"] = setup_export(app);
  runners["merge"] = setup_merge(app);

  for (CLI::App* command : app.get_subcommands({})) refuse_empty_values(*command);

  std::string help_topic;
  CLI::App* help = app.add_subcommand("help", "Show help for a subcommand");
  help->add_option("subcommand", help_topic, "The subcommand to explain");
  CompletionArgs completion_args;
  CLI::App* completion = add_completion_command(app, completion_args);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version: stdout, exit 0
    std::cerr << prefix_for(app) << e.what() << "\n"
              << "Run 'clipset " << (app.get_subcommands().empty() ? std::string("--help")
                                                                    : "help " + app.get_subcommands()[0]->get_name())
              << "' for usage.\n";
    return kExitUsage;
  }

  if (app.get_subcommands().empty()) {
    std::cerr << app.help() << "clipset: a subcommand is required\n";
    return kExitUsage;
  }
  CLI::App* chosen = app.get_subcommands().front();
  try {
    if (chosen == help) {
      if (help_topic.empty()) {
        std::cout << app.help();
      } else {
        const auto it = runners.find(help_topic);
        if (it == runners.end() && help_topic != completion->get_name()) {
          clipset::throw_usage(help_topic, "no such subcommand");
        }
        std::cout << app.get_subcommand(help_topic)->help("clipset");
      }
      std::cout.flush();
      return std::cout ? kExitOk : kExitFailure;
    }
    if (chosen == completion) return run_completion(app, completion_args);
    const int code = runners.at(chosen->get_name())();
    std::cout.flush();
    if (!std::cout) clipset::throw_io("(stdout)", "write failed");
    return code;
  } catch (const clipset::Error& e) {
    std::cerr << prefix_for(app) << clipset::app::spell_flags(e.what()) << "\n";
    return exit_code_for(e.kind());
  } catch (const std::bad_alloc&) {
    std::cerr << prefix_for(app) << "out of memory\n";
    return kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << prefix_for(app) << "internal error: " << e.what() << "\n";
    return kExitFailure;
  }
}
