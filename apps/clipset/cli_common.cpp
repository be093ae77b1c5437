#include "cli_common.hpp"

#include <cstdlib>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <cstdint>
#include <iostream>
#include <map>
#include <sstream>

#include "clipset/error.hpp"
#include "clipset/text.hpp"
#include "clipset/thread_pool.hpp"

namespace clipset::app {

namespace {
constexpr std::size_t kNamedBadLines = 20;  // a binary file given as a manifest is all bad lines
}  // namespace

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

const CLI::Validator& whole_number() {
  static const CLI::Validator validator(
      [](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (!text.empty() && ec == std::errc() && end == text.data() + text.size()) return {};
        return "expected a whole number from 0 to 18446744073709551615, got '" + text + "'";
      },
      "");
  return validator;
}

std::vector<std::string> trimmed_list(const std::vector<std::string>& list) {
  std::vector<std::string> out;
  for (const auto& entry : list) out.emplace_back(trim(entry));
  return out;
}

const CLI::Validator& non_negative_number() {
  static const CLI::Validator validator(
      [](std::string& text) -> std::string {
        double value = 0;
        const char* end = text.data() + text.size();
        const auto [stop, ec] = std::from_chars(text.data(), end, value);
        if (!text.empty() && ec == std::errc() && stop == end && std::isfinite(value) && value >= 0) return {};
        return "expected a number, 0 or more, got '" + text + "'";
      },
      "");
  return validator;
}

unsigned effective_jobs(const CommonOptions& options) {
  return options.jobs == 0 ? default_jobs() : options.jobs;
}

namespace {
std::shared_ptr<spdlog::logger> make_logger(const std::string& command, const CommonOptions& options) {
  // stderr only; colour only when it is a terminal (spdlog decides).
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("clipset " + command, sink);
  logger->set_pattern("%n: %^%v%$");
  logger->set_level(options.quiet ? spdlog::level::err : options.verbose ? spdlog::level::debug : spdlog::level::info);
  logger->flush_on(spdlog::level::trace);
  return logger;
}
}  // namespace

Reporter::Reporter(const std::string& command, const CommonOptions& options)
    : logger_(make_logger(command, options)), bar_(options.quiet ? "never" : options.progress), verbose_(options.verbose) {}

Reporter::~Reporter() { bar_.clear(); }

void Reporter::log(spdlog::level::level_enum level, const std::string& message) {
  if (!logger_->should_log(level)) return;
  bar_.clear();  // a log line never lands in the middle of the bar
  logger_->log(level, terminal_safe(spell_flags(message)));  // labels, paths and ids come from the data: no raw control characters
  bar_.redraw();
}

void Reporter::warn(const std::string& message) { log(spdlog::level::warn, message); }

void Reporter::block(const std::string& text) {
  if (!logger_->should_log(spdlog::level::info)) return;
  bar_.clear();
  std::cerr << text << std::flush;
  bar_.redraw();
}
void Reporter::info(const std::string& message) { log(spdlog::level::info, message); }
void Reporter::debug(const std::string& message) { log(spdlog::level::debug, message); }
void Reporter::error(const std::string& message) { log(spdlog::level::err, message); }

void Reporter::bad_line(const ManifestProblem& problem) {
  ++bad_lines_;
  if (verbose_ || bad_lines_ <= kNamedBadLines) {
    warn(problem.source + ":" + std::to_string(problem.line) + ": " + problem.reason);
  } else if (bad_lines_ == kNamedBadLines + 1) {
    warn(problem.source + ": more bad lines follow; only the first " + std::to_string(kNamedBadLines) + " are named (--verbose names all)");
  }
}

void Reporter::bad_lines_summary(bool has_strict) {
  if (bad_lines_ == 0) return;
  warn("skipped " + std::to_string(bad_lines_) + (bad_lines_ == 1 ? " bad line" : " bad lines") +
       (bad_lines_ > kNamedBadLines && !verbose_ ? " (the first " + std::to_string(kNamedBadLines) + " named above" : " (named above") +
       (has_strict ? "; --strict makes them fatal)" : ")"));
}

void refuse_empty_values(CLI::App& command) {
  static const CLI::Validator non_empty(
      [](std::string& text) -> std::string { return text.empty() ? "expected a value, got an empty string" : ""; }, "");
  for (CLI::Option* option : command.get_options()) {
    if (option->get_expected_min() > 0) option->check(non_empty);  // takes a value (not a flag)
  }
}

void Reporter::progress(std::size_t done, std::size_t total, const char* unit) { bar_.update(done, total, unit); }

void Reporter::finish_progress() { bar_.finish(); }

std::string examples_footer(std::initializer_list<const char*> lines) {
  std::ostringstream text;
  text << "\nExamples:\n";
  for (const char* line : lines) text << "  " << line << "\n";
  return text.str();
}

namespace {
// What identifies a file: "dev:inode" when it exists, else its absolute, normalised path.
std::string file_identity(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) return std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino);
  std::error_code ec;
  return "path:" + std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec).string();
}
}  // namespace

void refuse_clashing_files(const std::vector<NamedFile>& inputs, const std::vector<NamedFile>& outputs) {
  std::vector<std::pair<std::string, const NamedFile*>> seen;  // identity, file
  for (const NamedFile& input : inputs) {
    if (input.path.empty() || input.path == "-") continue;
    seen.emplace_back(file_identity(input.path), &input);
  }
  for (const NamedFile& output : outputs) {
    if (output.path.empty() || output.path == "-") continue;
    const std::string identity = file_identity(output.path);
    for (const auto& [other_identity, other] : seen) {
      if (other_identity == identity) {
        throw_usage(output.option + " " + output.path,
                    "is the same file as " + other->option + " " + other->path + "; writing it would destroy that");
      }
    }
    seen.emplace_back(identity, &output);
  }
}

RejectsOutput::RejectsOutput(const std::string& name, const std::string& manifest_output) {
  if (name == "-" && manifest_output == "-") {
    throw_usage("--rejects -", "would mix rejections into the manifest on stdout; give -o FILE or a rejects file");
  }
  if (!name.empty()) out_ = std::make_unique<AtomicOutput>(name);
}

void RejectsOutput::write(const Rejection& rejection) {
  if (!out_) return;
  Rejection spelled = rejection;
  spelled.reason = spell_flags(rejection.reason);
  out_->stream() << rejection_line(spelled) << '\n';
}

void RejectsOutput::commit() {
  if (out_) out_->commit();
}

std::string flag_for(std::string_view member) {
  static const std::map<std::string_view, std::string_view> renamed = {
      {"sample_rate", "--rate"}, {"min_hz", "--fmin"}, {"max_hz", "--fmax"}, {"holdouts", "--holdout"},
      {"cache_dir", "--cache"}, {"virtual_copies", "--virtual"}};
  if (const auto it = renamed.find(member); it != renamed.end()) return std::string(it->second);
  std::string flag = "--";
  for (char c : member) flag += c == '_' ? '-' : c;
  return flag;
}

ClipEncoding clip_encoding(const std::string& format, const std::string& subtype) {
  ClipEncoding encoding;
  encoding.container = format == "flac" ? ClipEncoding::Container::flac : ClipEncoding::Container::wav;
  encoding.sample = subtype == "pcm24"   ? ClipEncoding::Sample::pcm24
                    : subtype == "float" ? ClipEncoding::Sample::float32
                                         : ClipEncoding::Sample::pcm16;
  return encoding;
}

std::string spell_flags(std::string_view text) { return spell_options(text, flag_for); }

std::string default_cache_dir(const std::string& kind) {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/clipset/" + kind;
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/clipset/" + kind;
  return "";
}

}  // namespace clipset::app
