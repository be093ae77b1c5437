// A manifest's recordings, fingerprinted once each (through the cache), matched and clustered.

#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "clipset/audio.hpp"
#include "clipset/dups.hpp"
#include "clipset/error.hpp"
#include "clipset/item_keys.hpp"
#include "clipset/paths.hpp"
#include "clipset/thread_pool.hpp"
#include "internal.hpp"

namespace clipset {

namespace {

// The manifest's recordings and which recording each item's audio comes from.
struct Collected {
  std::vector<DupsRecording> recordings;
  std::vector<std::size_t> recording_of_item;  // with keep_items
  std::vector<Item> items;                     // with keep_items
};

Collected collect(std::istream& manifest, const std::string& name, bool keep_items, const DupsCallbacks& callbacks) {
  ManifestReader reader(manifest, name);
  if (callbacks.problem) reader.on_problem(callbacks.problem);
  if (!keep_items) reader.set_fields(item_fields::path | item_fields::sha256 | item_fields::source);
  Collected c;
  std::unordered_map<std::string, std::size_t> index_of_id;
  while (auto item = reader.next()) {
    const RecordingRef ref = recording_of(*item);
    auto [it, added] = index_of_id.try_emplace(std::string(ref.id), c.recordings.size());
    if (added) {
      DupsRecording r;
      r.id = ref.id;
      r.path = ref.path;
      r.sha256 = ref.sha256;
      r.line = reader.line();
      c.recordings.push_back(std::move(r));
    }
    ++c.recordings[it->second].items;
    if (keep_items) {
      c.recording_of_item.push_back(it->second);
      c.items.push_back(std::move(*item));
    }
  }
  return c;
}

}  // namespace

SoundFile dups_detail::open_recording(const DupsRecording& recording, const std::filesystem::path& root) {
  const auto path = resolve_path(recording.path, root);
  require_regular_file(path);
  return SoundFile::open(path);
}

namespace {

struct Fingerprinted {
  std::optional<AudioFingerprint> print;
  std::string reason;  // when there is none
  bool cached = false;
  std::string cache_problem;
};

Fingerprinted fingerprint_recording(const DupsRecording& r, const DupsOptions& options, const FingerprintCache& cache) {
  Fingerprinted out;
  if (r.path.empty()) {
    out.reason = "no path to read the recording from";
    return out;
  }
  if (auto cached = cache.load(r.sha256)) {
    out.print = std::move(cached);
    out.cached = true;
    return out;
  }
  try {
    SoundFile audio = dups_detail::open_recording(r, options.root);
    out.print = fingerprint_audio(audio, r.path);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::internal) throw;
    out.reason = e.reason();
    return out;
  }
  try {
    cache.store(r.sha256, *out.print);
  } catch (const Error& e) {
    out.cache_problem = e.subject() + ": " + e.reason();
  }
  return out;
}

// Fingerprints every recording; a recording whose sha256 an earlier one has shares its print
// (returned: index of the recording whose print it uses, itself for the first).
std::vector<std::size_t> fingerprint_all(std::vector<DupsRecording>& recordings, std::vector<AudioFingerprint>& prints,
                                         const DupsOptions& options, const DupsCallbacks& callbacks, DupsResult& result) {
  std::vector<std::size_t> owner(recordings.size());
  std::unordered_map<std::string, std::size_t> first_of_sha;
  std::vector<std::size_t> tasks;
  for (std::size_t i = 0; i < recordings.size(); ++i) {
    owner[i] = i;
    if (!recordings[i].sha256.empty()) {
      const auto [it, added] = first_of_sha.try_emplace(recordings[i].sha256, i);
      owner[i] = it->second;
      if (!added) continue;
    }
    tasks.push_back(i);
  }
  prints.assign(recordings.size(), AudioFingerprint{});
  const FingerprintCache cache(options.cache_dir);
  bool cache_noted = false;
  ordered_parallel_for(
      tasks.size(), options.jobs, [&](std::size_t t) { return fingerprint_recording(recordings[tasks[t]], options, cache); },
      [&](std::size_t t, Fingerprinted f) {
        DupsRecording& r = recordings[tasks[t]];
        if (f.print) {
          ++(f.cached ? result.cached : result.computed);
          r.seconds = f.print->seconds;
          prints[tasks[t]] = std::move(*f.print);
        } else {
          r.reason = f.reason;
        }
        if (!f.cache_problem.empty() && !cache_noted && callbacks.cache_note) callbacks.cache_note(f.cache_problem);
        cache_noted = cache_noted || !f.cache_problem.empty();
        if (callbacks.progress) callbacks.progress(t + 1, tasks.size());
      });
  return owner;
}

}  // namespace

namespace {

std::string seconds_text(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", s);
  return text;
}

struct ToMatch {
  std::vector<std::size_t> long_ones;   // by fingerprint
  std::vector<std::size_t> short_ones;  // by spectrogram
};

// Marks what each recording's print allows; returns the recordings to match (those with a print
// of their own: a recording sharing another's sha256 is matched as identical to it).
ToMatch settle(std::vector<DupsRecording>& recordings, const std::vector<AudioFingerprint>& prints,
                                const std::vector<std::size_t>& owner, const DupsOptions& options, const DupsCallbacks& callbacks,
                                DupsResult& result) {
  const std::size_t needed = dups_detail::min_overlap_values(options.match.min_overlap);
  ToMatch to_match;
  for (std::size_t i = 0; i < recordings.size(); ++i) {
    DupsRecording& r = recordings[i];
    const DupsRecording& o = recordings[owner[i]];
    const AudioFingerprint& print = prints[owner[i]];
    r.seconds = o.seconds;
    r.reason = o.reason;
    if (!r.reason.empty()) {
      ++result.unreadable;
      if (callbacks.unreadable) callbacks.unreadable(r);
      continue;
    }
    const bool is_short = print.values.size() < needed;
    if (is_short && print.spectrogram.frames < dups_detail::kMinShortFrames) {
      r.reason = "too short to compare (" + seconds_text(r.seconds) + ": " +
                 (print.spectrogram.frames > 0 ? "under 0.3 s" : "over the short-sound limit but under " + option_ref("min_overlap")) + ")";
      ++result.too_short;
      continue;
    }
    r.fingerprinted = true;
    if (is_short) ++result.short_sounds;
    if (owner[i] == i) (is_short ? to_match.short_ones : to_match.long_ones).push_back(i);
  }
  return to_match;
}

std::vector<FingerprintMatch> all_matches(std::vector<AudioFingerprint>& prints, const ToMatch& to_match,
                                          const std::vector<std::size_t>& owner, const std::vector<DupsRecording>& recordings,
                                          const MatchOptions& options) {
  std::vector<const ShortSpectrogram*> sounds;
  for (const std::size_t i : to_match.short_ones) sounds.push_back(&prints[i].spectrogram);
  std::vector<FingerprintMatch> matches = match_short_sounds(sounds, options.min_correlation, options.jobs);
  for (auto& m : matches) {
    m.a = to_match.short_ones[m.a];
    m.b = to_match.short_ones[m.b];
  }
  std::vector<AudioFingerprint> set;
  set.reserve(to_match.long_ones.size());
  for (const std::size_t i : to_match.long_ones) set.push_back(std::move(prints[i]));
  for (auto m : match_fingerprints(set, options)) {
    m.a = to_match.long_ones[m.a];
    m.b = to_match.long_ones[m.b];
    matches.push_back(m);
  }
  // The same bytes under another id: the same sound, whether or not it decodes.
  for (std::size_t i = 0; i < owner.size(); ++i) {
    if (owner[i] == i) continue;
    FingerprintMatch m;
    m.a = owner[i];
    m.b = i;
    m.score = 1;
    m.method = MatchMethod::identical;
    m.a_end = m.b_end = recordings[i].seconds;
    matches.push_back(m);
  }
  std::sort(matches.begin(), matches.end(), [](const FingerprintMatch& x, const FingerprintMatch& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  return matches;
}

}  // namespace

DupsResult find_near_duplicates(const DupsOptions& options, std::istream& manifest, const std::string& name,
                                const DupsCallbacks& callbacks) {
  Collected collected = collect(manifest, name, options.keep_items, callbacks);
  DupsResult result;
  result.recordings = std::move(collected.recordings);
  std::vector<AudioFingerprint> prints;
  const auto owner = fingerprint_all(result.recordings, prints, options, callbacks, result);
  const auto to_match = settle(result.recordings, prints, owner, options, callbacks, result);
  MatchOptions match = options.match;
  match.jobs = options.jobs;
  result.matches = all_matches(prints, to_match, owner, result.recordings, match);
  dups_detail::check_fingerprint_matches(result.matches, result.recordings, options, result);
  const auto roots = cluster_roots(result.recordings.size(), result.matches);
  for (std::size_t i = 0; i < roots.size(); ++i) result.recordings[i].cluster = roots[i];
  if (options.keep_items) {
    result.items = std::move(collected.items);
    for (std::size_t k = 0; k < result.items.size(); ++k) {
      result.items[k].extra[kNearDupField] = result.recordings[roots[collected.recording_of_item[k]]].id;
    }
  }
  return result;
}

std::vector<std::vector<std::size_t>> duplicate_clusters(const DupsResult& result) {
  std::vector<std::vector<std::size_t>> members(result.recordings.size());
  for (std::size_t i = 0; i < result.recordings.size(); ++i) members[result.recordings[i].cluster].push_back(i);
  std::vector<std::vector<std::size_t>> clusters;
  for (auto& m : members) {
    if (m.size() > 1) clusters.push_back(std::move(m));
  }
  return clusters;
}

}  // namespace clipset
