// The result as records (JSON Lines) and as a table for people.

#include <cmath>
#include <cstdio>

#include "clipset/dups.hpp"
#include "clipset/text.hpp"

namespace clipset {

namespace {

// Seconds and scores rounded to what the fingerprint resolves (a step is 0.12 s): stable text.
// Dividing by the power of ten (not multiplying by its inverse) gives the double nearest the
// decimal, which JSON then prints as such (0.832, not 0.8320000000000001).
double rounded(double value, double per_unit) { return std::round(value * per_unit) / per_unit; }

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

const char* method_name(MatchMethod method) {
  switch (method) {
    case MatchMethod::fingerprint: return "fingerprint";
    case MatchMethod::spectrogram: return "spectrogram";
    case MatchMethod::identical: return "identical";
  }
  return "";
}

Json pair_record(const DupsResult& result, const FingerprintMatch& m) {
  Json j = Json::object();
  j["type"] = "pair";
  j["a"] = result.recordings[m.a].id;
  j["b"] = result.recordings[m.b].id;
  j["method"] = method_name(m.method);
  j["score"] = rounded(m.score, 1000);
  j["a_start"] = rounded(m.a_start, 100);
  j["a_end"] = rounded(m.a_end, 100);
  j["b_start"] = rounded(m.b_start, 100);
  j["b_end"] = rounded(m.b_end, 100);
  if (m.method == MatchMethod::fingerprint) j["check"] = m.check < 0 ? Json(nullptr) : Json(rounded(m.check, 1000));
  return j;
}

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace

std::vector<std::string> dups_records(const DupsResult& result) {
  std::vector<std::string> lines;
  for (const auto& m : result.matches) lines.push_back(dump(pair_record(result, m)));
  for (const auto& cluster : duplicate_clusters(result)) {
    Json j = Json::object();
    j["type"] = "cluster";
    j["near_dup"] = result.recordings[cluster.front()].id;
    j["recordings"] = Json::array();
    std::size_t items = 0;
    for (const std::size_t i : cluster) {
      j["recordings"].push_back(result.recordings[i].id);
      items += result.recordings[i].items;
    }
    j["items"] = items;
    lines.push_back(dump(j));
  }
  for (const auto& r : result.recordings) {
    if (r.fingerprinted) continue;
    Json j = Json::object();
    j["type"] = "skipped";
    j["id"] = r.id;
    j["path"] = r.path;
    j["reason"] = r.reason;
    lines.push_back(dump(j));
  }
  return lines;
}

std::string dups_table(const DupsResult& result) {
  const auto range = [](double from, double to) { return fixed(from, 2) + "-" + fixed(to, 2) + " s"; };
  std::vector<std::vector<std::string>> rows{{"a", "b", "method", "score", "a range", "b range"}};
  for (const auto& m : result.matches) {
    rows.push_back({result.recordings[m.a].id, result.recordings[m.b].id,
                    method_name(m.method), fixed(m.score, 3), range(m.a_start, m.a_end),
                    range(m.b_start, m.b_end)});
  }
  std::string text;
  if (result.matches.empty()) {
    text += "no near-duplicates among " + std::to_string(result.recordings.size()) + " recordings\n";
  } else {
    for (const auto& line : aligned_columns(rows, {false, false, false, true, true, true})) text += line + "\n";
  }
  const auto clusters = duplicate_clusters(result);
  if (!clusters.empty()) text += "\nclusters:\n";
  for (const auto& cluster : clusters) {
    std::string members;
    for (const std::size_t i : cluster) members += (members.empty() ? "" : ", ") + terminal_safe(result.recordings[i].id);
    text += "  " + terminal_safe(result.recordings[cluster.front()].id) + ": " + members + "\n";
  }
  return text;
}

}  // namespace clipset
