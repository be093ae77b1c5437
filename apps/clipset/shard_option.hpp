#pragma once
// --shard on the commands that do per-item work, and the output it switches to: the shard's
// header line and each record's place in the one-machine output (clipset/shard.hpp).

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "clipset/manifest.hpp"
#include "clipset/shard.hpp"

namespace clipset::app {

void add_shard_option(CLI::App& command, std::string& value);

// The shard --shard names (nullopt when not given), with this process's environment for auto.
// Throws clipset::Error (usage) naming "--shard VALUE".
std::optional<Shard> shard_option(const std::string& value);

// A command's output records: plain lines, or with a shard its header first and each record
// with its order. Throws clipset::Error (io) when the stream fails.
class RecordOutput {
 public:
  // header: nullopt for a plain run.
  RecordOutput(std::ostream& out, const std::string& display_name, const std::optional<ShardHeader>& header);
  void write(std::string_view line, const ShardOrder& order);
  void write(const Item& item, const ShardOrder& order) { write(item_to_line(item), order); }

 private:
  std::ostream& out_;
  std::string display_name_;
  std::unique_ptr<ShardWriter> shard_;
};

}  // namespace clipset::app
