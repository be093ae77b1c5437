#pragma once
// `export`: a split manifest as the folders and files training frameworks read natively
// (Hugging Face audiofolder, Kaldi data directories, WebDataset tar shards, an ESC-50 style CSV,
// Audacity label tracks). See docs/export.md.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "clipset/audio_process.hpp"
#include "clipset/item_keys.hpp"
#include "clipset/manifest.hpp"
#include "clipset/shard.hpp"

namespace clipset {

enum class ExportFormat { hf, csv, webdataset, kaldi, audacity, attribution };
// How a clip file that exists already reaches the export: a hard link (falling back to a copy
// across file systems), a symbolic link (absolute), or a copy.
enum class LinkMode { hard, symbolic, copy };

// "hf", "kaldi", ... and back; nullopt for an unknown name.
std::string format_name(ExportFormat format);
std::optional<ExportFormat> parse_format(const std::string& name);

struct ExportOptions {
  ExportFormat format = ExportFormat::hf;
  std::filesystem::path out_dir;
  std::optional<std::filesystem::path> root;  // resolves relative paths (default: cwd)
  std::vector<std::string> splits;            // the splits to export, as the manifest names them; empty: all
  LinkMode link = LinkMode::hard;
  std::vector<std::string> fields;  // hf, csv: extra columns (dotted paths: meta.recorder)
  std::string speaker_field;        // kaldi: the speaker of an utterance; empty: its group
  std::uint64_t shard_size = std::uint64_t{1} << 30;  // webdataset: bytes per shard at most
  std::optional<std::uint64_t> shuffle_seed;           // webdataset: shuffle samples across shards
  ClipEncoding encoding;  // how virtual clips are written
  bool force = false;     // write into a folder holding another export; rewrite every file
  unsigned jobs = 1;
  // hf, csv, kaldi: place only the audio of this shard's items (shard_of, by group), no metadata;
  // a run without a shard over the same folder then finds the audio in place and writes the rest.
  std::optional<Shard> shard;
};

struct ExportSplitSummary {
  std::string name;  // as the export names it (hf: validation for val)
  std::size_t items = 0;
  double seconds = 0;
  std::size_t files = 0;
  std::uint64_t bytes = 0;
};

struct ExportSummary {
  std::vector<ExportSplitSummary> splits;
  std::size_t items_read = 0;
  std::size_t left_out = 0;      // items named by `rejected`
  std::size_t not_selected = 0;  // items of splits not asked for
  std::size_t other_shards = 0;  // items of other shards than the one asked for
  std::size_t written = 0;       // files written by this run
  std::size_t unchanged = 0;     // files already in place
  std::size_t removed = 0;       // files an earlier export into the folder wrote that this one no longer names
};

struct ExportCallbacks {
  std::function<void(const Rejection&)> rejected;     // an item left out, and why
  std::function<void(const std::string&)> warning;
  std::function<void(std::size_t done, std::size_t total)> progress;  // items
};

// Reads every item from `input`, then writes the export. Items that cannot be exported (a missing
// or damaged clip, no split, a key clashing with another item's) go to `rejected` and are left
// out. Throws clipset::Error: usage when the out folder holds something else, io when an output
// cannot be written.
ExportSummary export_dataset(ManifestReader& input, const ExportOptions& options, const ExportCallbacks& callbacks);

}  // namespace clipset
