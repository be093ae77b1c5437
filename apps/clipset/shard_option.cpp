#include "shard_option.hpp"

#include "clipset/error.hpp"

namespace clipset::app {

void add_shard_option(CLI::App& command, std::string& value) {
  command
      .add_option("--shard", value,
                  "Do only shard I of N (0 <= I < N) of the work, for clipset merge: I/N, auto (Slurm array) or auto/N "
                  "(Kubernetes Indexed Job)")
      ->type_name("I/N");
}

std::optional<Shard> shard_option(const std::string& value) {
  if (value.empty()) return std::nullopt;
  try {
    return parse_shard(value, shard_environment());
  } catch (const Error& e) {
    throw_usage("--shard " + value, e.reason());
  }
}

RecordOutput::RecordOutput(std::ostream& out, const std::string& display_name, const std::optional<ShardHeader>& header)
    : out_(out), display_name_(display_name) {
  if (header) shard_ = std::make_unique<ShardWriter>(out, display_name, *header);
}

void RecordOutput::write(std::string_view line, const ShardOrder& order) {
  if (shard_) {
    shard_->write(line, order);
    return;
  }
  out_ << line << '\n';
  if (!out_) throw_output(display_name_, "write failed");
}

}  // namespace clipset::app
