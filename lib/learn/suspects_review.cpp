// What a person reads and listens to: the summary on stderr, the review page, and the Audacity
// label tracks that mark the suspects on their recordings.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <sstream>

#include "clipset/error.hpp"
#include "clipset/labels.hpp"
#include "clipset/paths.hpp"
#include "clipset/text.hpp"
#include "suspects_internal.hpp"

namespace clipset {

namespace {

namespace fs = std::filesystem;

constexpr const char* kTrackAnnotator = "suspects";

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string time_span(const ClipOrigin& o) { return fixed(o.start, 2) + "–" + fixed(o.end, 2) + " s"; }

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// A path as a URL path: every byte outside the unreserved set and '/' percent-encoded, so that
// spaces, '#' and '?' in a file name stay part of it.
std::string url_path(const std::string& path) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : path) {
    const bool plain = std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

const char* const kStyle =
    "body{font-family:sans-serif;margin:2em;max-width:1200px;color:#222}"
    "table{border-collapse:collapse;margin:0.5em 0 1em}"
    "th,td{border:1px solid #ccc;padding:3px 8px;vertical-align:middle}th{background:#f3f3f3}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}td.given{color:#a40000}td.suggested{color:#006400}"
    "audio{height:2em;width:16em}p.note{margin:0.2em 0;color:#555}";

std::string suspect_row(const Suspect& s, const std::string& link) {
  const ClipOrigin& o = s.origin;
  std::string row = "<tr><td class=\"n\">" + std::to_string(s.rank) + "</td><td class=\"n\">" + fixed(s.score, 3) + "</td>";
  row += "<td><audio controls=\"controls\" preload=\"none\" src=\"" + xml_escape(link) + "\"></audio></td>";
  row += "<td class=\"given\">" + xml_escape(s.given) + " (" + fixed(s.given_probability, 2) + ")</td>";
  row += "<td class=\"suggested\">" + xml_escape(s.suggested) + " (" + fixed(s.suggested_probability, 2) + ")</td>";
  row += "<td>" + xml_escape(s.id) + "</td><td>" + xml_escape(o.recording) + "</td><td class=\"n\">" + xml_escape(time_span(o)) +
         "</td><td>" + xml_escape(joined(o.annotators)) + "</td></tr>\n";
  return row;
}

// The file a suspect's track goes to: the recording's own folder below dir when its path is
// relative and stays inside, else dir itself; named after the recording's file stem.
fs::path track_file(const ClipOrigin& o, const fs::path& dir) {
  const fs::path recording(o.recording_path);
  bool inside = recording.is_relative() && !recording.empty();
  for (const auto& part : recording) inside = inside && part != "..";
  const std::string stem = recording.stem().empty() ? safe_file_name(o.recording) : safe_file_name(recording.stem().string());
  const fs::path folder = inside ? dir / recording.parent_path() : dir;
  return folder / label_track_file_name(stem, kTrackAnnotator, 1);
}

}  // namespace

std::string suspects_summary(const SuspectsResult& r) {
  std::ostringstream out;
  out << "suspects in " << terminal_safe(r.manifest) << "\n";
  out << "  scored " << r.scored << " clips of " << r.classes.size() << " classes in " << r.groups << " groups, " << r.folds
      << " folds; out-of-fold accuracy " << fixed(r.accuracy, 3) << "\n";
  out << "  features: " << r.features << " (" << r.extracted << " extracted, " << r.cached << " from the cache)\n";
  std::vector<std::string> left;
  const std::pair<std::size_t, const char*> counts[] = {{r.without_split, "without a split"}, {r.unlabelled, "unlabelled"},
                                                        {r.multi_label, "with several labels"},
                                                        {r.small_class, "of classes too small to score"},
                                                        {r.unreadable, "unreadable"}};
  for (const auto& [n, why] : counts)
    if (n) left.push_back(std::to_string(n) + " " + why);
  if (!left.empty()) out << "  left out: " << joined(left) << "\n";
  std::vector<std::vector<std::string>> rows{{"class", "clips", "threshold", "suspects"}};
  for (const ClassThreshold& c : r.classes) {
    rows.push_back({c.label, std::to_string(c.clips), fixed(c.threshold, 3), std::to_string(c.suspects)});
  }
  for (const auto& line : aligned_columns(rows, {false, true, true, true})) out << "  " << line << "\n";
  out << "  " << r.suspects.size() << (r.suspects.size() == 1 ? " suspect" : " suspects") << " ("
      << fixed(r.scored ? 100.0 * double(r.suspects.size()) / double(r.scored) : 0.0, 1) << "% of the clips scored)\n";
  return out.str();
}

std::string suspects_html(const SuspectsResult& r, const std::function<std::string(const ClipOrigin&)>& audio_link) {
  const std::string title = "Suspect labels in " + r.manifest;
  std::string out = html_document_start(title, kStyle);
  out += "<h1>" + xml_escape(title) + "</h1>\n";
  out += "<p>" + std::to_string(r.suspects.size()) + " suspects among " + std::to_string(r.scored) + " clips scored by " +
         std::to_string(r.folds) + "-fold cross-validation (no clip scored by a model that heard its recording); most suspect first. "
         "Score: 1 minus the probability the model gives the label.</p>\n";
  out += "<table><thead><tr><th>rank</th><th>score</th><th>listen</th><th>given (p)</th><th>suggested (p)</th><th>clip</th>"
         "<th>recording</th><th>time</th><th>annotators</th></tr></thead><tbody>\n";
  for (const Suspect& s : r.suspects) {
    std::string link = url_path(audio_link(s.origin));
    if (s.origin.clip_path.empty()) link += "#t=" + fixed(s.origin.start, 3) + "," + fixed(s.origin.end, 3);
    out += suspect_row(s, link);
  }
  out += "</tbody></table>\n<p class=\"note\">Open this page from where it was written: the players link to the clips by "
         "relative paths.</p>\n</body>\n</html>\n";
  return out;
}

std::vector<fs::path> write_suspect_tracks(const SuspectsResult& r, const fs::path& dir) {
  std::map<fs::path, std::vector<TrackLabel>> tracks;
  for (const Suspect& s : r.suspects) {
    tracks[track_file(s.origin, dir)].push_back(
        {s.origin.start, s.origin.end, s.given + " (suspect #" + std::to_string(s.rank) + ": " + s.suggested + "?)", -1, -1});
  }
  std::vector<fs::path> written;
  for (auto& [file, labels] : tracks) {
    std::stable_sort(labels.begin(), labels.end(), [](const TrackLabel& a, const TrackLabel& b) { return a.start < b.start; });
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec) throw_output(file.parent_path().string(), "cannot create folder: " + errno_reason(ec.value()));
    AtomicOutput out(file.string(), false);
    out.stream() << format_audacity_labels(labels);
    out.commit();
    written.push_back(file);
  }
  return written;
}

}  // namespace clipset
