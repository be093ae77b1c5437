#pragma once
// `validate`: named integrity checks over a manifest and the files it points to. The library
// returns findings; the app formats them (human lines, JSON, JUnit, GitHub annotations).
// See docs/validate.md.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "clipset/shard.hpp"
#include "clipset/taxonomy.hpp"

namespace clipset {

// ------------------------------------------------------------------------------- checks

enum class Severity { warning, error };
const char* severity_name(Severity severity);

// What a check needs before it can run.
enum class CheckNeeds { nothing, hash, decode, taxonomy, leaf_only, min_per_class, ratios, orphans, licenses, single_label, open_set };

struct CheckInfo {
  const char* id;
  Severity severity;  // the default; duplicate-content is an error only across splits
  CheckNeeds needs;
  const char* summary;
};

// The option a check needs ("--hash", "--taxonomy FILE"), or nullptr when it needs none.
const char* needed_option(CheckNeeds needs);

// Every check, in the order findings on one line are listed.
const std::vector<CheckInfo>& validate_checks();
// The check's position in validate_checks(); throws clipset::Error (usage) for an unknown id.
std::size_t check_index(std::string_view id);

// ------------------------------------------------------------------------------ options

struct ValidateOptions {
  std::string root;  // relative paths resolve against it; empty: the working directory
  bool hash = false;    // hash-mismatch: hash every file
  bool decode = false;  // decode-error, audio-mismatch: decode every file
  std::optional<Taxonomy> taxonomy;
  bool leaf_only = false;
  std::size_t min_per_class = 0;  // 0: starved-class off
  bool per_split = false;         // starved-class counts per split
  std::vector<std::string> names{"train", "val", "test"};
  std::vector<double> ratios;     // normalised; empty: split-ratio off
  double ratio_tolerance = 0.05;  // absolute share
  std::vector<std::filesystem::path> orphans;  // folders whose files every record should name
  std::vector<std::string> allowed_licenses;  // SPDX ids (clipset/licenses.hpp); empty: license off
  bool single_label = false;                  // multi-label: an item with several labels is a finding
  bool open_set = false;                      // open-set: test holds unknown examples, no class unseen in train
  std::vector<std::string> open_set_labels{"unknown", "background"};  // the classes outside the closed set
  std::set<std::string> select;     // empty: every check that can run
  std::set<std::string> ignore;
  std::set<std::string> warn_only;  // findings of these checks are warnings
  unsigned jobs = 1;                // threads for file checks; results never depend on it
  // Check only the files of this shard's items; shard 0 also reports the findings about records
  // and the whole dataset (every shard reads the whole manifest), the others only file findings.
  std::optional<Shard> shard;
};

// A digest of the options that shape the findings: shards of one run have the same.
std::string validate_settings_digest(const ValidateOptions& options);

// Resolves --select/--ignore and what the options allow into the checks that run, by index of
// validate_checks(). Selecting hash-mismatch or a decode check turns hashing or decoding on;
// selecting a check whose option is missing throws clipset::Error (usage).
std::vector<bool> enabled_checks(ValidateOptions& options);

// ----------------------------------------------------------------------------- findings

struct Finding {
  std::size_t check = 0;  // index in validate_checks()
  Severity severity = Severity::error;
  std::size_t line = 0;   // manifest line; 0: about the whole dataset
  std::string subject;    // the file, id, group, class... (may be empty)
  std::string message;    // lowercase, no full stop
  // Where the finding was made, which orders findings of one line and check as a one-machine run
  // does: phase 0 while reading, 1 checking files (task: the file's place), 2 after; seq counts.
  std::uint64_t phase = 0;
  std::uint64_t task = 0;
  std::uint64_t seq = 0;
};

// A finding's place in the output (line, check, phase, task, seq; dataset-wide findings last).
ShardOrder finding_order(const Finding& finding);

struct ValidateResult {
  std::string manifest;  // as the user named it, "(stdin)" for -
  std::vector<bool> enabled;
  std::vector<Finding> findings;  // by line (dataset-wide ones last), then check order
  std::size_t items = 0;
  std::size_t files = 0;  // files checked (own files and source recordings)
  std::size_t errors = 0;
  std::size_t warnings = 0;
};

struct ValidateCallbacks {
  std::function<void(std::size_t done, std::size_t total)> files_checked;
};

// Reads the manifest, runs the enabled checks and returns the findings. Memory: a few fields per
// item plus `jobs` x a few files' work in flight. Throws clipset::Error: usage (options), io (the
// manifest cannot be read).
ValidateResult validate_manifest(ValidateOptions options, std::istream& in, const std::string& name,
                                 const ValidateCallbacks& callbacks = {});

}  // namespace clipset
