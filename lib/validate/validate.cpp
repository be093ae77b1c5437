// validate: read the manifest once (per-record checks as it streams by), check the files in
// parallel, then the checks over the whole dataset.

#include <algorithm>
#include <istream>
#include <sstream>

#include "clipset/error.hpp"
#include "clipset/item_keys.hpp"
#include "clipset/thread_pool.hpp"
#include "clipset/augment_recipe.hpp"
#include "internal.hpp"

namespace clipset::validate_detail {

Record record_of(Item&& item, std::size_t line) {
  Record r;
  r.line = line;
  r.recording = recording_of(item).id;  // before the moves below
  r.id = std::move(item.id);
  r.path = std::move(item.path);
  r.bytes = item.bytes;
  r.sha256 = std::move(item.sha256);
  r.sample_rate = item.sample_rate;
  r.channels = item.channels;
  r.frames = item.frames;
  r.labels = std::move(item.labels);
  if (explicit_group(item) != nullptr) r.group = std::move(item.group);  // "" is no group
  r.split = std::move(item.split);
  if (auto near_dup = group_value(find_field(item.extra, kNearDupField))) r.near_dup = std::move(near_dup);
  r.fold = item.fold;
  if (is_augmented_copy(item)) {
    r.augmented_from = augmented_from(item);
    try {
      r.augmented_splits = augment_recipe(item).splits;
    } catch (const Error&) {
      // An incomplete recipe still names its original; the splits are then unknown.
    }
  }
  if (item.source) {
    r.source = std::move(item.source);
    r.source->extra = Json::object();
  }
  return r;
}

Findings::Findings(const std::vector<bool>& enabled, const std::set<std::string>& warn_only)
    : enabled_(enabled), warn_only_(enabled.size(), false) {
  for (const auto& id : warn_only) warn_only_[check_index(id)] = true;
}

void Findings::add(std::size_t check, std::size_t line, std::string subject, std::string message, std::optional<Severity> severity) {
  if (!enabled_[check]) return;
  Severity s = severity.value_or(validate_checks()[check].severity);
  if (warn_only_[check]) s = Severity::warning;
  findings_.push_back({check, s, line, std::move(subject), std::move(message), phase_, task_, seq_++});
}

void Findings::merge(std::vector<Finding>&& more) {
  findings_.insert(findings_.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

}  // namespace clipset::validate_detail

namespace clipset {

ShardOrder finding_order(const Finding& f) {
  return {f.line == 0 ? UINT64_MAX : static_cast<std::uint64_t>(f.line), f.check, f.phase, f.task, f.seq};
}

}  // namespace clipset

namespace clipset::validate_detail {

std::vector<Finding> Findings::take() {
  // The order of adding breaks ties: (phase, task, seq) grows as a one-machine run adds them.
  std::sort(findings_.begin(), findings_.end(),
            [](const Finding& a, const Finding& b) { return finding_order(a) < finding_order(b); });
  return std::move(findings_);
}

namespace {

// The reader's own words for a line it cannot read (the rare path: only bad lines come here).
bool any_on(const Findings& findings, std::initializer_list<std::size_t> checks) {
  return std::any_of(checks.begin(), checks.end(), [&](std::size_t c) { return findings.on(c); });
}

void check_files(const std::vector<Record>& records, const ValidateOptions& options, const std::vector<bool>& enabled,
                 Findings& findings, ValidateResult& result, const ValidateCallbacks& callbacks) {
  const auto tasks = file_tasks(records);
  struct Outcome {
    FileFacts facts;
    std::vector<Finding> findings;
  };
  ordered_parallel_for(
      tasks.size(), std::max(1u, options.jobs),
      [&](std::size_t i) {
        Findings local(enabled, options.warn_only);
        local.at(1, i);
        Outcome outcome;
        if (!tasks[i].in_shard) return outcome;
        outcome.facts = check_file(tasks[i], options, local);
        check_clip_ranges(tasks[i], outcome.facts, records, local);
        outcome.findings = local.take();
        return outcome;
      },
      [&](std::size_t i, Outcome&& outcome) {
        result.files += tasks[i].in_shard ? 1 : 0;
        findings.merge(std::move(outcome.findings));
        if (callbacks.files_checked) callbacks.files_checked(i + 1, tasks.size());
      });
}

}  // namespace

}  // namespace clipset::validate_detail

namespace clipset {

using namespace validate_detail;

ValidateResult validate_manifest(ValidateOptions options, std::istream& in, const std::string& name,
                                 const ValidateCallbacks& callbacks) {
  ValidateResult result;
  result.manifest = name;
  result.enabled = enabled_checks(options);
  Findings findings(result.enabled, options.warn_only);
  // Hash and decode only for checks that will report.
  options.hash = options.hash && findings.on(check::hash_mismatch);
  options.decode = options.decode && any_on(findings, {check::decode_error, check::audio_mismatch});

  std::vector<Record> records;
  std::vector<bool> used(options.taxonomy ? options.taxonomy->nodes.size() : 0, false);
  std::string text;
  for (std::size_t line = 1; std::getline(in, text); ++line) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    ParsedLine parsed;
    try {
      parsed = parse_manifest_line(text);
    } catch (const Error& e) {
      findings.add(check::schema, line, "", e.reason());
      continue;
    }
    if (findings.on(check::schema)) {
      for (auto& reason : schema_violations(parsed.record)) findings.add(check::schema, line, parsed.item.id, std::move(reason));
    }
    check_annotations(parsed.item, line, findings);
    check_license(parsed.item, line, options.allowed_licenses, findings);
    check_single_label(parsed.item, line, findings);
    if (options.taxonomy) check_labels(parsed.item, line, *options.taxonomy, findings, used);
    const bool mine = !options.shard || in_shard(parsed.item, *options.shard);
    records.push_back(record_of(std::move(parsed.item), line));
    records.back().in_shard = mine;
  }
  if (in.bad()) throw_io(name, "read error");
  result.items = records.size();

  check_duplicates(records, findings);
  check_source_content(records, findings);
  check_leaks(records, findings);
  check_near_duplicates(records, findings);
  check_augment_leaks(records, findings);
  if (any_on(findings, {check::missing_file, check::size_mismatch, check::hash_mismatch, check::decode_error, check::audio_mismatch})) {
    check_files(records, options, result.enabled, findings, result, callbacks);
  }
  findings.at(2);
  if (options.taxonomy) check_unused_labels(*options.taxonomy, used, findings);
  check_class_counts(records, options, findings);
  check_split_ratios(records, options, findings);
  check_open_set(records, options, findings);
  check_orphan_files(records, options, findings);

  result.findings = findings.take();
  if (options.shard && options.shard->index != 0) {  // shard 0 reports what is not about files
    result.findings.erase(std::remove_if(result.findings.begin(), result.findings.end(),
                                         [](const Finding& f) { return f.phase != 1; }),
                          result.findings.end());
  }
  for (const auto& f : result.findings) ++(f.severity == Severity::error ? result.errors : result.warnings);
  return result;
}

}  // namespace clipset
