// A shard's output: the header line naming the run, and each record's place in the one-machine
// output as its last field ("shard_order"), which merge reads back without parsing the record.

#include <charconv>
#include <ostream>

#include "clipset/error.hpp"
#include "clipset/shard.hpp"

namespace clipset {

namespace {

constexpr int kShardFormatVersion = 1;
constexpr std::string_view kHeaderKey = "clipset_shard";
constexpr std::string_view kOrderField = ",\"shard_order\":[";

Shard header_shard(const std::string& text) {
  try {
    return parse_shard(text, {});
  } catch (const Error&) {
    throw_data("", "the shard header's \"shard\" is not I/N: " + text);
  }
}

}  // namespace

std::string shard_header_line(const ShardHeader& header) {
  Json fields = Json::object();
  fields["version"] = kShardFormatVersion;
  fields["command"] = header.command;
  fields["settings"] = header.settings;
  fields["shard"] = header.shard.text();
  if (!header.deferred.empty()) fields["deferred"] = header.deferred;
  Json line = Json::object();
  line[std::string(kHeaderKey)] = std::move(fields);
  return line.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<ShardHeader> parse_shard_header(std::string_view line) {
  // A header starts with its key; any other line is a record (or not JSON, for the reader to say).
  if (line.substr(0, kHeaderKey.size() + 4) != "{\"" + std::string(kHeaderKey) + "\":") return std::nullopt;
  const Json parsed = Json::parse(line.begin(), line.end(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || parsed.size() != 1) throw_data("", "a shard header that is not JSON");
  const Json& fields = parsed.front();
  if (!fields.is_object()) throw_data("", "a shard header whose \"clipset_shard\" is not an object");
  auto text = [&](const char* name) {
    const auto it = fields.find(name);
    if (it == fields.end() || !it->is_string()) throw_data("", std::string("the shard header has no \"") + name + "\"");
    return it->get<std::string>();
  };
  const auto version = fields.find("version");
  if (version == fields.end() || !version->is_number_integer() || *version != kShardFormatVersion) {
    throw_data("", "a shard header of another version (this clipset reads version " + std::to_string(kShardFormatVersion) + ")");
  }
  ShardHeader header;
  header.command = text("command");
  header.settings = text("settings");
  header.shard = header_shard(text("shard"));
  if (const auto deferred = fields.find("deferred"); deferred != fields.end()) {
    if (!deferred->is_array()) throw_data("", "the shard header's \"deferred\" is not a list");
    for (const auto& name : *deferred) {
      if (!name.is_string()) throw_data("", "the shard header's \"deferred\" is not a list of names");
      header.deferred.push_back(name.get<std::string>());
    }
  }
  return header;
}

std::string with_shard_order(std::string_view record_line, const ShardOrder& order) {
  // The record has fields (an id at least), so the order follows a comma.
  if (record_line.size() < 3 || record_line.back() != '}') throw Error(ErrorKind::internal, "shard", "a record without fields");
  std::string line(record_line.substr(0, record_line.size() - 1));
  line += kOrderField;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i > 0) line += ',';
    line += std::to_string(order[i]);
  }
  line += "]}";
  return line;
}

ShardRecord split_shard_order(std::string_view line) {
  const auto at = line.rfind(kOrderField);
  if (at == std::string_view::npos || line.size() < 2 || line.substr(line.size() - 2) != "]}") {
    throw_data("", "no \"shard_order\" as its last field (not written by clipset with --shard)");
  }
  ShardRecord result;
  result.record.reserve(at + 1);
  result.record.append(line.substr(0, at)).push_back('}');
  std::string_view numbers = line.substr(at + kOrderField.size(), line.size() - 2 - at - kOrderField.size());
  while (!numbers.empty()) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(numbers.data(), numbers.data() + numbers.size(), value);
    if (ec != std::errc()) throw_data("", "a \"shard_order\" that is not a list of whole numbers");
    result.order.push_back(value);
    numbers.remove_prefix(static_cast<std::size_t>(end - numbers.data()));
    if (numbers.empty()) break;
    if (numbers.front() != ',' || numbers.size() == 1) throw_data("", "a \"shard_order\" that is not a list of whole numbers");
    numbers.remove_prefix(1);
  }
  if (result.order.empty()) throw_data("", "an empty \"shard_order\"");
  return result;
}

void drop_shard_order(Item& item) { item.extra.erase("shard_order"); }

ShardWriter::ShardWriter(std::ostream& out, std::string display_name, const ShardHeader& header)
    : out_(out), display_name_(std::move(display_name)) {
  out_ << shard_header_line(header) << '\n';
  check();
}

void ShardWriter::write(std::string_view record_line, const ShardOrder& order) {
  out_ << with_shard_order(record_line, order) << '\n';
  check();
}

void ShardWriter::check() {
  if (!out_) throw_output(display_name_, "write failed");
}

}  // namespace clipset
