#pragma once
// Every subcommand registers itself here. Adding one: a setup function below, its file
// apps/clipset/<name>.cpp, a line in main.cpp, docs/<name>.md, tests/e2e/<name>_test.cpp.

#include <CLI/CLI.hpp>

#include "cli_common.hpp"

namespace clipset::app {

Runner setup_ingest(CLI::App& app);
Runner setup_segment(CLI::App& app);
Runner setup_split(CLI::App& app);
Runner setup_stats(CLI::App& app);
Runner setup_validate(CLI::App& app);
Runner setup_learning_curve(CLI::App& app);
Runner setup_export(CLI::App& app);
Runner setup_merge(CLI::App& app);
Runner setup_dups(CLI::App& app);
Runner setup_compare(CLI::App& app);
Runner setup_relabel(CLI::App& app);
Runner setup_augment(CLI::App& app);
Runner setup_suspects(CLI::App& app);

}  // namespace clipset::app
