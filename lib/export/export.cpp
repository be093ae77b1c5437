// clipset export: the plan read from the manifest, the out folder claimed, the format written.

#include "clipset/export.hpp"

#include <fstream>
#include <iterator>

#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "internal.hpp"

namespace clipset {

namespace {

namespace fs = std::filesystem;

constexpr const char* kMarker = ".clipset-export.json";
const char* const kFormatNames[] = {"hf", "csv", "webdataset", "kaldi", "audacity", "attribution"};

// What shapes the audio a run writes for virtual clips: files from a run with other settings
// are rewritten rather than kept.
std::string audio_settings(const ExportOptions& options) {
  return container_name(options.encoding.container) + " " + sample_name(options.encoding.sample);
}

std::optional<Json> read_marker(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  const Json marker = Json::parse(in, nullptr, false);
  if (marker.is_discarded() || !marker.is_object()) return Json::object();
  return marker;
}

// Empty but for the marker being written: shards starting together into one folder must not
// take each other's temporary marker for files of another kind.
bool is_empty_folder(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().find(kMarker) == std::string::npos) return false;
  }
  return true;
}

// The out folder made or taken over; refuses one holding something else unless forced. Returns
// whether virtual clips already there were written with other settings (and must be rewritten).
bool claim_out_folder(const ExportOptions& options) {
  const fs::path& dir = options.out_dir;
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) throw_usage(dir.string(), "exists and is not a folder");
  const auto marker = read_marker(dir / kMarker);
  const std::string format = format_name(options.format);
  bool stale_audio = false;
  if (marker) {
    const std::string had = marker->value("format", std::string("?"));
    if (had != format && !options.force) {
      throw_usage(dir.string(), "holds a " + had + " export; give another folder, or " + option_ref("force") + " to write a " + format + " export over it");
    }
    stale_audio = marker->value("audio", std::string()) != audio_settings(options);
  } else if (fs::exists(dir, ec) && !is_empty_folder(dir) && !options.force) {
    throw_usage(dir.string(), "holds files that are not a clipset export; give an empty or new folder, or " + option_ref("force") + " to write into it");
  }
  detail::make_folder(dir);
  Json claim{{"format", format}, {"audio", audio_settings(options)}, {"written_by", "clipset export"}};
  detail::write_if_changed(dir / kMarker, claim.dump() + "\n");
  return stale_audio;
}

}  // namespace

std::string format_name(ExportFormat format) { return kFormatNames[static_cast<int>(format)]; }

std::optional<ExportFormat> parse_format(const std::string& name) {
  for (int i = 0; i < static_cast<int>(std::size(kFormatNames)); ++i)
    if (name == kFormatNames[i]) return static_cast<ExportFormat>(i);
  return std::nullopt;
}

ExportSummary export_dataset(ManifestReader& input, const ExportOptions& given, const ExportCallbacks& callbacks) {
  ExportOptions options = given;
  if (options.shard && options.format != ExportFormat::hf && options.format != ExportFormat::csv && options.format != ExportFormat::kaldi) {
    throw_option("shard", options.shard->text(),
                 "the " + format_name(options.format) + " format is written by one run (only hf, csv and kaldi exports place their audio by shard)");
  }
  input.set_unique_ids(true);
  ExportSummary summary;
  detail::ExportPlan plan = detail::read_plan(input, options, callbacks, summary);
  // A split asked for that no item is in is a misspelt name more often than an empty split.
  for (const auto& name : options.splits) {
    if (plan.splits_read.count(name) == 0) throw_option("splits", name, "no item of the manifest is in this split");
  }
  if (options.format == ExportFormat::kaldi) detail::check_kaldi_folder(options.out_dir);  // before anything is written
  if (claim_out_folder(options)) options.force = true;
  // Symbolic links would point into the staging folder: it stays then.
  // Shards running at once each stage their own (and remove only their own).
  const std::filesystem::path staging =
      options.out_dir / (options.shard ? ".clipset-augmented-" + std::to_string(options.shard->index) : std::string(".clipset-augmented"));
  detail::stage_augmented_copies(plan, staging, options, callbacks, summary);
  switch (options.format) {
    case ExportFormat::hf: detail::write_hf(plan, options, callbacks, summary); break;
    case ExportFormat::csv: detail::write_csv(plan, options, callbacks, summary); break;
    case ExportFormat::webdataset: detail::write_webdataset(plan, options, callbacks, summary); break;
    case ExportFormat::kaldi: detail::write_kaldi(plan, options, callbacks, summary); break;
    case ExportFormat::audacity: detail::write_audacity(plan, options, callbacks, summary); break;
    case ExportFormat::attribution: detail::write_attribution(plan, options, callbacks, summary); break;
  }
  if (options.link != LinkMode::symbolic) {
    std::error_code ec;
    std::filesystem::remove_all(staging, ec);
  }
  return summary;
}

}  // namespace clipset
