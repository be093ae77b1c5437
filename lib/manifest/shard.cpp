// The shard rule: parsing I/N and auto, the environment of Slurm and Kubernetes, an item's shard.

#include <charconv>
#include <cstdlib>

#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/item_keys.hpp"
#include "clipset/shard.hpp"

namespace clipset {

namespace {

constexpr const char* kForm = "give I/N (0 <= I < N, e.g. 0/4), auto (a Slurm array job) or auto/N (a Kubernetes Indexed Job)";

// A whole number written with digits only ("-1", "+1", " 1", "1e3" are not).
std::optional<std::size_t> whole_number(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::size_t count_from(std::string_view text, std::string_view whole) {
  const auto count = whole_number(text);
  if (!count) throw_usage(std::string(whole), "the shard count is not a whole number; " + std::string(kForm));
  if (*count == 0) throw_usage(std::string(whole), "the shard count must be at least 1");
  if (*count > kMaxShards) throw_usage(std::string(whole), "at most " + std::to_string(kMaxShards) + " shards");
  return *count;
}

Shard checked(std::size_t index, std::size_t count, std::string_view whole, const std::string& origin) {
  if (index >= count) {
    throw_usage(std::string(whole), "index " + std::to_string(index) + origin + " is not below the count " +
                                        std::to_string(count) + " (shards are numbered 0 to N-1)");
  }
  return {index, count};
}

const std::string* variable(const Environment& env, const char* name) {
  const auto it = env.find(name);
  return it == env.end() ? nullptr : &it->second;
}

std::size_t number_variable(const Environment& env, const char* name, std::string_view whole) {
  const std::string* value = variable(env, name);
  if (value == nullptr) throw_usage(std::string(whole), std::string(name) + " is not set");
  const auto number = whole_number(*value);
  if (!number) throw_usage(std::string(whole), std::string(name) + "=" + *value + " is not a whole number");
  return *number;
}

// A Slurm array's task as a shard: the task id is a rank only in an array 0..N-1 step 1 (or any
// contiguous MIN..MAX), so gaps and steps are refused.
Shard slurm_shard(const Environment& env, std::string_view whole) {
  const std::size_t id = number_variable(env, "SLURM_ARRAY_TASK_ID", whole);
  const std::size_t min = number_variable(env, "SLURM_ARRAY_TASK_MIN", whole);
  const std::size_t count = number_variable(env, "SLURM_ARRAY_TASK_COUNT", whole);
  if (const std::string* step = variable(env, "SLURM_ARRAY_TASK_STEP"); step != nullptr && *step != "1") {
    throw_usage(std::string(whole), "the Slurm array has step " + *step +
                                        ", so its task id is no rank; submit it as --array=0-(N-1) or give I/N");
  }
  if (const std::string* max_text = variable(env, "SLURM_ARRAY_TASK_MAX"); max_text != nullptr) {
    const std::size_t max = number_variable(env, "SLURM_ARRAY_TASK_MAX", whole);
    if (max < min || max - min + 1 != count) {
      throw_usage(std::string(whole), "the Slurm array has gaps (" + std::to_string(count) + " tasks with ids " +
                                          std::to_string(min) + " to " + std::to_string(max) +
                                          "), so its task id is no rank; submit it as --array=0-(N-1) or give I/N");
    }
  }
  if (count == 0 || count > kMaxShards) {
    throw_usage(std::string(whole), "SLURM_ARRAY_TASK_COUNT=" + std::to_string(count) + " is not a shard count");
  }
  if (id < min) throw_usage(std::string(whole), "SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN");
  return checked(id - min, count, whole, " (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN)");
}

bool in_slurm_array(const Environment& env) { return variable(env, "SLURM_ARRAY_TASK_ID") != nullptr; }

Shard auto_shard(const Environment& env, std::string_view whole) {
  if (in_slurm_array(env)) return slurm_shard(env, whole);
  if (variable(env, "JOB_COMPLETION_INDEX") != nullptr) {
    throw_usage(std::string(whole), "JOB_COMPLETION_INDEX is set but Kubernetes gives no shard count; give auto/N");
  }
  if (variable(env, "SLURM_JOB_ID") != nullptr) {
    throw_usage(std::string(whole), "this Slurm job is no array job (SLURM_ARRAY_TASK_ID is not set); submit it with "
                                    "sbatch --array=0-(N-1) or give I/N");
  }
  throw_usage(std::string(whole), "neither a Slurm array job (SLURM_ARRAY_TASK_ID) nor a Kubernetes Indexed Job "
                                  "(JOB_COMPLETION_INDEX, with auto/N) is around; give I/N");
}

Shard auto_shard_of(std::size_t count, const Environment& env, std::string_view whole) {
  if (variable(env, "JOB_COMPLETION_INDEX") != nullptr) {
    return checked(number_variable(env, "JOB_COMPLETION_INDEX", whole), count, whole, " (JOB_COMPLETION_INDEX)");
  }
  if (in_slurm_array(env)) {
    const Shard shard = slurm_shard(env, whole);
    if (shard.count != count) {
      throw_usage(std::string(whole), "the Slurm array has " + std::to_string(shard.count) + " tasks, not " +
                                          std::to_string(count));
    }
    return shard;
  }
  throw_usage(std::string(whole), "JOB_COMPLETION_INDEX is not set (auto/N reads it from a Kubernetes Indexed Job)");
}

}  // namespace

std::string Shard::text() const { return std::to_string(index) + "/" + std::to_string(count); }

Shard parse_shard(std::string_view text, const Environment& environment) {
  if (text == "auto") return auto_shard(environment, text);
  const auto slash = text.find('/');
  if (slash == std::string_view::npos || text.find('/', slash + 1) != std::string_view::npos) {
    throw_usage(std::string(text), std::string("not a shard; ") + kForm);
  }
  const std::size_t count = count_from(text.substr(slash + 1), text);
  const std::string_view first = text.substr(0, slash);
  if (first == "auto") return auto_shard_of(count, environment, text);
  const auto index = whole_number(first);
  if (!index) throw_usage(std::string(text), std::string("the shard index is not a whole number; ") + kForm);
  return checked(*index, count, text, "");
}

Environment shard_environment() {
  Environment env;
  for (const char* name : {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_COUNT",
                           "SLURM_ARRAY_TASK_STEP", "SLURM_JOB_ID", "JOB_COMPLETION_INDEX"}) {
    if (const char* value = std::getenv(name)) env.emplace(name, value);
  }
  return env;
}

std::size_t shard_of_key(std::string_view key, std::size_t count) {
  if (count <= 1) return 0;
  const std::string hex = sha256_hex(key);
  std::uint64_t value = 0;
  std::from_chars(hex.data(), hex.data() + 16, value, 16);
  return static_cast<std::size_t>(value % count);
}

std::size_t shard_of(const Item& item, std::size_t count) { return shard_of_key(group_key(item).text(), count); }

bool in_shard(const Item& item, const Shard& shard) { return shard_of(item, shard.count) == shard.index; }

}  // namespace clipset
