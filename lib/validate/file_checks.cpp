// Checks of the files a manifest names: present, the recorded size, hash and audio. Each file is
// one task, so a pool can run them in parallel.

#include <sys/stat.h>

#include <cerrno>
#include <filesystem>
#include <map>

#include "clipset/audio.hpp"
#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/paths.hpp"
#include "internal.hpp"

namespace clipset::validate_detail {

namespace {

std::string count_of(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// " (the source recording of 3 virtual clips)" for a shared source, "" for an own file.
std::string role(const FileTask& task) {
  if (task.clips.empty()) return "";
  return " (the source recording of " + count_of(task.clips.size(), "virtual clip", "virtual clips") + ")";
}

void compare(std::vector<std::string>& differences, const char* field, std::int64_t in_file, const std::optional<std::int64_t>& declared) {
  if (declared && *declared != in_file) {
    differences.push_back(std::string(field) + " " + std::to_string(in_file) + " in the file, " + std::to_string(*declared) +
                          " in the manifest");
  }
}

}  // namespace

std::vector<FileTask> file_tasks(const std::vector<Record>& records) {
  std::vector<FileTask> tasks;
  std::map<std::string, std::size_t> source_task;  // source path -> task
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    if (r.path) {
      tasks.push_back({r.line, *r.path, r.bytes, r.sha256, r.sample_rate, r.channels, r.frames, {}, r.in_shard});
    } else if (r.is_virtual()) {
      auto [it, inserted] = source_task.try_emplace(r.source->path, tasks.size());
      if (inserted) {
        tasks.push_back({r.line, r.source->path, std::nullopt, r.source->sha256, std::nullopt, std::nullopt, std::nullopt, {}, r.in_shard});
      }
      tasks[it->second].clips.push_back(i);
    }
  }
  return tasks;
}

FileFacts check_file(const FileTask& task, const ValidateOptions& options, Findings& out) {
  FileFacts facts;
  const auto file = resolve_path(task.path, options.root);
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) {
    out.add(check::missing_file, task.line, task.path, errno_reason(errno) + role(task));
    return facts;
  }
  if (S_ISDIR(info.st_mode)) {
    out.add(check::missing_file, task.line, task.path, "is a directory, not a file" + role(task));
    return facts;
  }
  if (const std::string kind = non_regular_kind(info.st_mode); !kind.empty()) {
    out.add(check::missing_file, task.line, task.path, "not a regular file (" + kind + "), not read" + role(task));
    return facts;
  }
  const auto size = static_cast<std::uint64_t>(info.st_size);
  if (task.bytes && *task.bytes != size) {
    out.add(check::size_mismatch, task.line, task.path,
            std::to_string(size) + " bytes, the manifest says " + std::to_string(*task.bytes) + " (file changed after ingest)");
  }
  if (options.hash && task.sha256) {
    try {
      if (sha256_file(file).sha256 != *task.sha256) {
        out.add(check::hash_mismatch, task.line, task.path, "sha256 differs from the manifest (file changed after ingest)" + role(task));
      }
    } catch (const Error& e) {
      out.add(check::missing_file, task.line, task.path, "cannot be read: " + e.reason() + role(task));
      return facts;
    }
  }
  if (!options.decode) return facts;
  try {
    SoundFile sound = SoundFile::open(file);
    const QualityMeasures measured = measure_quality(sound);  // a full decode; throws on truncation
    const AudioInfo& header = sound.info();
    facts = {true, header.sample_rate, measured.frames};
    std::vector<std::string> differences;
    compare(differences, "sample_rate", header.sample_rate, task.sample_rate);
    compare(differences, "channels", header.channels, task.channels);
    compare(differences, "frames", header.frames, task.frames);
    for (const auto& d : differences) out.add(check::audio_mismatch, task.line, task.path, d);
  } catch (const Error& e) {
    out.add(check::decode_error, task.line, task.path, e.reason() + role(task));
  }
  return facts;
}

void check_clip_ranges(const FileTask& task, const FileFacts& facts, const std::vector<Record>& records, Findings& out) {
  if (!facts.decoded || facts.sample_rate <= 0) return;
  const double length = static_cast<double>(facts.frames) / static_cast<double>(facts.sample_rate);
  const double slack = 1.0 / static_cast<double>(facts.sample_rate);  // one frame of rounding
  for (const auto i : task.clips) {
    const Record& r = records[i];
    const double end = r.source->start + r.source->duration;
    if (end > length + slack) {
      out.add(check::audio_mismatch, r.line, r.id,
              "source range " + seconds_text(r.source->start) + " to " + seconds_text(end) + " ends after " + task.path + " (" +
                  seconds_text(length) + " long)");
    }
  }
}

}  // namespace clipset::validate_detail
