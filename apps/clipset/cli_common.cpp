#include "cli_common.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "clipset/thread_pool.hpp"

namespace clipset::app {

void add_common_options(CLI::App& command, CommonOptions& options) {
  command.add_option("-j,--jobs", options.jobs, "Worker threads (default: all cores)")
      ->type_name("N")
      ->check(CLI::Range(1u, 1024u));
  command.add_flag("-q,--quiet", options.quiet, "Only errors on stderr");
  command.add_flag("-v,--verbose", options.verbose, "More detail on stderr");
  command.add_option("--progress", options.progress, "Progress bar on stderr: auto (on a terminal), always, never")
      ->type_name("WHEN")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

unsigned effective_jobs(const CommonOptions& options) {
  return options.jobs == 0 ? default_jobs() : options.jobs;
}

Reporter::Reporter(const std::string& command, const CommonOptions& options) : bar_(options.quiet ? "never" : options.progress) {
  // stderr only; colour only when it is a terminal (spdlog decides).
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  logger_ = std::make_shared<spdlog::logger>("clipset " + command, sink);
  logger_->set_pattern("%n: %^%v%$");
  logger_->set_level(options.quiet ? spdlog::level::err : options.verbose ? spdlog::level::debug : spdlog::level::info);
  logger_->flush_on(spdlog::level::trace);
}

Reporter::~Reporter() { bar_.clear(); }

void Reporter::warn(const std::string& message) {
  bar_.clear();
  logger_->warn(message);
  bar_.redraw();
}

void Reporter::info(const std::string& message) {
  bar_.clear();
  logger_->info(message);
  bar_.redraw();
}

void Reporter::debug(const std::string& message) {
  bar_.clear();
  logger_->debug(message);
  bar_.redraw();
}

void Reporter::error(const std::string& message) {
  bar_.clear();
  logger_->error(message);
  bar_.redraw();
}

void Reporter::progress(std::size_t done, std::size_t total, const char* unit) { bar_.update(done, total, unit); }

void Reporter::finish_progress() { bar_.finish(); }

std::string examples_footer(std::initializer_list<const char*> lines) {
  std::ostringstream text;
  text << "\nExamples:\n";
  for (const char* line : lines) text << "  " << line << "\n";
  return text.str();
}

}  // namespace clipset::app
