// Audacity label tracks, one per recording and annotator (`<recording>.<annotator>.txt`), beside
// the recording itself, so the folder opens in Audacity for review and ingests again: from a
// recording's annotations, or from the labels of the clips cut from it (annotator "clips").

#include <map>

#include "clipset/error.hpp"
#include "clipset/labels.hpp"
#include "clipset/paths.hpp"
#include "internal.hpp"

namespace clipset::detail {

namespace {

namespace fs = std::filesystem;

constexpr const char* kClipAnnotator = "clips";

struct Recording {
  fs::path file;                 // the recording's audio, resolved
  std::string display;           // as the manifest spells it
  std::map<std::pair<std::string, int>, std::vector<TrackLabel>> tracks;  // by annotator and pass
  std::vector<std::size_t> entries;
};

// An annotator name as the middle of "<stem>.<annotator>.txt": no dots, a safe file name.
std::string annotator_part(const std::string& annotator) {
  std::string name = safe_file_name(annotator);
  for (char& c : name)
    if (c == '.') c = '_';
  return name;
}

// The label text carries salience, difficulty and tags as ingest reads them ("dog [bg]").
TrackLabel track_label(const Annotation& a) {
  TrackLabel label;
  label.start = a.start;
  label.end = a.end;
  label.title = format_label_text(a.label, AnnotationFacts{a.salience, a.difficulty, a.tags, {}, {}});
  label.low_hz = a.low_hz.value_or(-1);
  label.high_hz = a.high_hz.value_or(-1);
  return label;
}

// The recordings of the plan by their file name in the export.
std::map<std::string, Recording> recordings_of(const ExportPlan& plan, const ExportOptions& options) {
  std::map<std::string, Recording> out;
  const fs::path root = options.root.value_or(fs::path());
  for (std::size_t i = 0; i < plan.entries.size(); ++i) {
    const Entry& e = plan.entries[i];
    if (!e.item.source) {
      Recording& r = out[e.file_name];
      r.file = e.file;
      r.display = e.display;
      r.entries.push_back(i);
      for (const auto& a : e.item.annotations) r.tracks[{a.annotator.value_or(""), a.pass}].push_back(track_label(a));
      continue;
    }
    const ClipSource& source = *e.item.source;
    const std::string ext = fs::path(source.path).extension().string();
    Recording& r = out[file_name_of(source.id.empty() ? source.path : source.id, ext)];
    r.file = resolve_path(source.path, root);
    r.display = source.path;
    r.entries.push_back(i);
    auto& track = r.tracks[{kClipAnnotator, 1}];
    for (const auto& label : e.item.labels) track.push_back(TrackLabel{source.start, source.start + source.duration,
                                  format_label_text(label, AnnotationFacts{e.item.salience, {}, {}, {}, {}}), -1, -1, 0});
  }
  return out;
}

}  // namespace

void write_audacity(ExportPlan& plan, const ExportOptions& options, const ExportCallbacks& callbacks, ExportSummary& summary) {
  make_folder(options.out_dir);
  ExportSplitSummary figures;
  figures.name = "recordings";
  std::size_t done = 0;
  for (auto& [name, recording] : recordings_of(plan, options)) {
    const fs::path target = options.out_dir / name;
    try {
      require_regular_file(recording.file);
      count_file(figures, summary, target, place_file(recording.file, target, options.link, options.force));
    } catch (const OutputError&) {
      throw;
    } catch (const Error& e) {
      for (const std::size_t i : recording.entries) leave_out(plan.entries[i], recording.display + ": " + e.reason(), callbacks, summary);
      continue;
    }
    const std::string stem = fs::path(name).stem().string();
    for (const auto& [who, labels] : recording.tracks) {
      const std::string annotator = who.first.empty() ? "" : annotator_part(who.first);
      const fs::path track = options.out_dir / label_track_file_name(stem, annotator, who.second);
      count_file(figures, summary, track, write_if_changed(track, format_audacity_labels(labels)));
    }
    for (const std::size_t i : recording.entries) {
      ++figures.items;
      figures.seconds += plan.entries[i].item.duration.value_or(0);
    }
    done += recording.entries.size();
    if (callbacks.progress) callbacks.progress(done, plan.entries.size());
  }
  summary.splits.push_back(figures);
}

}  // namespace clipset::detail
