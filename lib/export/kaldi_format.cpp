// Kaldi data directories, one per split: wav.scp, segments (clips read straight from their
// recording), utt2spk, spk2utt, utt2dur, text and utt2label, each sorted in the C locale with
// utterance ids prefixed by their speaker, as utils/validate_data_dir.sh requires.

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "clipset/audio.hpp"
#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/item_keys.hpp"
#include "clipset/paths.hpp"
#include "clipset/text.hpp"
#include "internal.hpp"

namespace clipset::detail {

namespace {

namespace fs = std::filesystem;

// Text as a Kaldi id: every byte up to '-' (whitespace, controls, punctuation such as ',' and '-')
// becomes '_', and 8 hex digits of the text's SHA-256 are appended when anything changed. Ids then
// hold only bytes above '-', so "SPEAKER-rest" sorts the same by utterance as by speaker.
std::string kaldi_id(const std::string& text) {
  std::string id = text.empty() ? "_" : text;
  bool changed = text.empty();
  for (char& c : id) {
    if (static_cast<unsigned char>(c) <= '-') {
      c = '_';
      changed = true;
    }
  }
  return changed ? id + "_" + sha256_hex(text).substr(0, 8) : id;
}

// Labels as Kaldi text: words separated by single spaces, each label one word.
std::string label_words(const Item& item) {
  std::string text;
  for (const auto& label : item.labels) {
    std::string word = label;
    for (char& c : word)
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') c = '_';
    text += (text.empty() ? "" : " ") + word;
  }
  return text.empty() ? "<none>" : text;
}

std::string seconds_text(double seconds) {
  std::ostringstream out;
  out.precision(3);
  out << std::fixed << seconds;
  return out.str();
}

// A virtual clip Kaldi can read straight from its recording through `segments`: a 16-bit WAV at
// the clip's rate whose channel the clip is (mono, or the one channel picked). Anything else is cut.
class ReadableSources {
 public:
  bool readable(const Entry& e) {
    const auto [it, added] = cache_.try_emplace(e.source.string(), std::nullopt);
    if (added) {
      try {
        it->second = SoundFile::open(e.source).info();
      } catch (const Error&) {
      }
    }
    if (!it->second) return false;
    const AudioInfo& info = *it->second;
    const auto& channels = e.cut->settings.channels;
    const bool one_channel = info.channels == 1 && channels.mode != ChannelSelection::Mode::pick;
    return info.format == "wav" && info.subtype == "pcm16" && info.sample_rate == e.rate && one_channel &&
           e.cut->range.start + e.cut->range.content <= info.frames;
  }

 private:
  std::map<std::string, std::optional<AudioInfo>> cache_;
};

// A file as wav.scp names it. Kaldi reads the rest of a wav.scp line as the file name, but a
// plain name with whitespace in it is refused by its readers: such a path is read through a
// pipe, `cat 'PATH' |` (quoted for sh, which Kaldi runs pipes with). A line break cannot be in a
// line at all.
std::string wav_scp_file(const fs::path& path) {
  const std::string text = path.string();
  check_kaldi_folder(path);
  if (text.find_first_of(" \t\v\f") == std::string::npos) return text;
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return "cat " + quoted + "' |";
}

struct Utterance {
  std::string utt, speaker, recording;
  std::size_t entry = 0;
  bool segment = false;
  double start = 0, end = 0;
};

std::string lines_text(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());  // byte order: the C locale
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

class KaldiSplit {
 public:
  KaldiSplit(const ExportPlan& plan, const PlanSplit& split, const ExportOptions& options) : plan_(plan), split_(split), options_(options) {}

  fs::path folder() const { return options_.out_dir / split_.out_name; }
  fs::path wav_folder() const { return fs::absolute(folder() / "wav"); }

  // The files of the data directory, by name.
  std::map<std::string, std::string> files(const std::vector<Utterance>& utts, const std::map<std::string, fs::path>& recordings) const {
    std::vector<std::string> wav, segments, utt2spk, utt2dur, text, utt2label;
    std::map<std::string, std::vector<std::string>> spk2utt;
    for (const auto& [recording, path] : recordings) wav.push_back(recording + " " + wav_scp_file(path));
    const bool with_segments = std::any_of(utts.begin(), utts.end(), [](const Utterance& u) { return u.segment; });
    for (const auto& u : utts) {
      const Entry& e = plan_.entries[u.entry];
      if (with_segments) segments.push_back(u.utt + " " + u.recording + " " + seconds_text(u.start) + " " + seconds_text(u.end));
      utt2spk.push_back(u.utt + " " + u.speaker);
      spk2utt[u.speaker].push_back(u.utt);
      utt2dur.push_back(u.utt + " " + seconds_text(u.end - u.start));
      text.push_back(u.utt + " " + label_words(e.item));
      utt2label.push_back(u.utt + " " + label_words(e.item));
    }
    std::vector<std::string> spk_lines;
    for (auto& [speaker, list] : spk2utt) {
      std::sort(list.begin(), list.end());
      std::string line = speaker;
      for (const auto& utt : list) line += " " + utt;
      spk_lines.push_back(line);
    }
    std::map<std::string, std::string> out{{"wav.scp", lines_text(wav)}, {"utt2spk", lines_text(utt2spk)}, {"spk2utt", lines_text(spk_lines)},
                                           {"utt2dur", lines_text(utt2dur)}, {"text", lines_text(text)}, {"utt2label", lines_text(utt2label)}};
    if (with_segments) out["segments"] = lines_text(segments);
    return out;
  }

  std::string speaker_of(const Entry& e) const {
    if (options_.speaker_field.empty()) return kaldi_id(std::string(group_key(e.item).value));
    const std::string value = field_cell(item_to_json(e.item), options_.speaker_field);
    return kaldi_id(value.empty() ? std::string(group_key(e.item).value) : value);
  }

 private:
  const ExportPlan& plan_;
  const PlanSplit& split_;
  const ExportOptions& options_;
};

// Where a recording read through `segments` is brought in, beside the split's clip files.
fs::path recording_link(const KaldiSplit& split, const Entry& e) {
  return split.wav_folder() / "recordings" / safe_file_name(e.source.filename().string());
}

// Every file of a data directory this export may write (segments only when some clip has one).
const char* const kDataFiles[] = {"wav.scp", "segments", "utt2spk", "spk2utt", "utt2dur", "text", "utt2label"};

// Every file the export may write: audio files, recordings linked for segments, data files.
std::vector<fs::path> planned_files(const ExportPlan& plan, const ExportOptions& options, const std::vector<bool>& as_segment,
                                    const AudioPath& audio_path) {
  std::vector<fs::path> planned;
  for (std::size_t i = 0; i < plan.entries.size(); ++i) {
    const Entry& e = plan.entries[i];
    planned.push_back(as_segment[i] ? recording_link(KaldiSplit(plan, plan.splits[e.split], options), e) : audio_path(e));
  }
  const bool segments = std::find(as_segment.begin(), as_segment.end(), true) != as_segment.end();
  for (const auto& split : plan.splits) {
    for (const char* name : kDataFiles)
      if (segments || std::string(name) != "segments") planned.push_back(options.out_dir / split.out_name / name);
  }
  return planned;
}

}  // namespace

void check_kaldi_folder(const fs::path& out_dir) {
  const std::string text = fs::absolute(out_dir).string();
  if (text.find_first_of("\n\r") != std::string::npos) {
    throw_usage(terminal_safe(text), "holds a line break, which no line of a Kaldi wav.scp can hold; export into a folder without one");
  }
}

void write_kaldi(ExportPlan& plan, const ExportOptions& options, const ExportCallbacks& callbacks, ExportSummary& summary) {
  // Virtual clips Kaldi reads from their recording get a segment; the rest are files under wav/.
  ReadableSources sources;
  std::vector<bool> as_segment(plan.entries.size(), false);
  std::vector<std::size_t> as_file;
  for (std::size_t i = 0; i < plan.entries.size(); ++i) {
    const Entry& e = plan.entries[i];
    as_segment[i] = e.cut && sources.readable(e);
    if (!as_segment[i]) as_file.push_back(i);
  }
  const auto audio_path = [&](const Entry& e) { return options.out_dir / plan.splits[e.split].out_name / "wav" / e.file_name; };
  OwnedFiles owned(options.out_dir);
  std::vector<fs::path> kept;
  if (!options.shard) owned.claim(planned_files(plan, options, as_segment, audio_path));  // shards at once would overwrite each other's list
  place_audio_of(plan, as_file, options, audio_path, callbacks, summary);
  if (audio_only(plan, options, summary)) return;
  for (std::size_t s = 0; s < plan.splits.size(); ++s) {
    KaldiSplit split(plan, plan.splits[s], options);
    ExportSplitSummary figures = tally_split(plan, s);
    std::vector<Utterance> utts;
    std::map<std::string, fs::path> recordings;
    bool swept = false;
    for (const std::size_t i : plan.splits[s].entries) {
      Entry& e = plan.entries[i];
      if (e.failed) continue;
      Utterance u;
      u.entry = i;
      u.speaker = split.speaker_of(e);
      u.utt = u.speaker + "-" + kaldi_id(e.item.id);
      if (as_segment[i]) {
        // The recording itself is brought in beside the clip files, as a clip file would be.
        u.recording = kaldi_id(e.item.source->id.empty() ? e.cut->source_path : e.item.source->id);
        const fs::path linked = recording_link(split, e);
        if (recordings.emplace(u.recording, linked).second) {
          kept.push_back(linked);
          make_folder(linked.parent_path());
          if (!swept) remove_leftover_links(linked.parent_path());  // a killed run's links
          swept = true;
          const Placed placed = place_file(e.source, linked, options.link, options.force);
          count_file(figures, summary, linked, placed);
        }
        u.segment = true;
        u.start = static_cast<double>(e.cut->range.start) / static_cast<double>(e.rate);
        u.end = static_cast<double>(e.cut->range.start + e.cut->range.content) / static_cast<double>(e.rate);
      } else {
        u.recording = u.utt;
        recordings.emplace(u.recording, fs::absolute(audio_path(e)));
        kept.push_back(audio_path(e));
        u.end = e.item.duration.value_or(0);
      }
      utts.push_back(u);
    }
    make_folder(split.folder());
    for (const auto& [name, text] : split.files(utts, recordings)) {
      const fs::path file = split.folder() / name;
      count_file(figures, summary, file, write_if_changed(file, text));
      kept.push_back(file);
    }
    if (recordings.size() == utts.size()) {
      std::error_code ec;
      fs::remove(split.folder() / "segments", ec);  // from an earlier run with segments
    }
    summary.splits.push_back(figures);
  }
  summary.removed += owned.settle(kept);
}

}  // namespace clipset::detail
