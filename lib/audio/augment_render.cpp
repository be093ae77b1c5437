// Augmented copies rendered from their recipes: each input (and each background) is read once for
// all the copies that need it, through the recording stream segment cuts clips with; speed is a
// resampling of the window, then gain, then the background at the drawn signal-to-noise ratio.

#include <cmath>
#include <map>
#include <tuple>

#include "clipset/audio.hpp"
#include "clipset/augment_recipe.hpp"
#include "clipset/error.hpp"
#include "clipset/paths.hpp"
#include "clipset/thread_pool.hpp"

namespace clipset {

namespace {

namespace fs = std::filesystem;

// Input frames a copy reads: speed x its length, and one more for the resampler's last frame.
std::int64_t input_frames(const AugmentJob& job) {
  if (job.recipe.speed == 1.0) return job.frames;
  return static_cast<std::int64_t>(std::ceil(static_cast<double>(job.frames) * job.recipe.speed)) + 1;
}

ClipRange input_range(const AugmentJob& job) {
  const std::int64_t length = input_frames(job);
  return {std::max<std::int64_t>(0, std::llround(job.recipe.start * static_cast<double>(job.rate))), length, length};
}

// Speed, then gain: the window played `speed` times faster, cut to the copy's length.
std::vector<float> shape(const AugmentJob& job, const float* window, std::int64_t length, int channels) {
  std::vector<float> out;
  const auto wanted = static_cast<std::size_t>(job.frames) * static_cast<std::size_t>(channels);
  if (job.recipe.speed == 1.0) {
    out.assign(window, window + wanted);
  } else {
    Resampler resampler(channels, 1.0 / job.recipe.speed, ResampleQuality::medium);
    resampler.process(window, static_cast<std::size_t>(length), out);
    resampler.finish(out);
    out.resize(wanted, 0.0f);
  }
  const auto gain = static_cast<float>(std::pow(10.0, job.recipe.gain_db / 20.0));
  if (gain != 1.0f)
    for (float& x : out) x *= gain;
  return out;
}

// Adds mono `noise` to every channel, scaled so that signal power / noise power is the SNR. A
// silent copy or silent noise gets nothing: no scale makes the ratio true.
void mix_noise(std::vector<float>& signal, int channels, const float* noise, std::size_t frames, double snr_db) {
  double signal_power = 0, noise_power = 0;
  for (const float x : signal) signal_power += static_cast<double>(x) * x;
  for (std::size_t i = 0; i < frames; ++i) noise_power += static_cast<double>(noise[i]) * noise[i];
  signal_power /= static_cast<double>(signal.size());
  noise_power /= static_cast<double>(frames);
  if (signal_power <= 0 || noise_power <= 0) return;
  const auto scale = static_cast<float>(std::sqrt(signal_power / (noise_power * std::pow(10.0, snr_db / 10.0))));
  const auto width = static_cast<std::size_t>(channels);
  for (std::size_t i = 0; i < frames; ++i)
    for (std::size_t c = 0; c < width; ++c) signal[i * width + c] += scale * noise[i];
}

struct Rendered {
  std::size_t job = 0;
  std::vector<float> frames;  // empty: failed, see error
  int channels = 0;
  std::string error;
};

// Cuts every job of `group` from one pass over `path`; each window goes through `make`.
template <class Make>
std::vector<Rendered> pass(const std::string& path, const RecordingStreamOptions& base, bool from_settings, const AugmentJob& first,
                           const std::vector<std::size_t>& group, const std::vector<ClipRange>& ranges, const fs::path& root,
                           Make&& make) {
  std::vector<Rendered> out;
  try {
    const fs::path file = resolve_path(path, root);
    require_regular_file(file);
    SoundFile audio = SoundFile::open(file);
    const RecordingStreamOptions options = from_settings ? cut_stream_options(first.settings, first.rate, audio.info(), path) : base;
    RecordingStream stream(audio, options, path);
    cut_ranges(stream, ranges, [&](std::size_t k, const float* frames, std::int64_t) {
      out.push_back({group[k], make(group[k], frames, ranges[k].frames, stream.channels()), stream.channels(), {}});
    });
  } catch (const OutputError&) {
    throw;
  } catch (const Error& e) {
    out.clear();
    for (const std::size_t j : group) out.push_back({j, {}, 0, e.subject().empty() ? path + ": " + e.reason() : e.what()});
  }
  return out;
}

using Groups = std::vector<std::vector<std::size_t>>;

template <class Key>
Groups group_jobs(const std::vector<AugmentJob>& jobs, Key&& key) {
  Groups groups;
  std::map<std::tuple<std::string, std::string, std::int64_t>, std::size_t> index_of;
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    const auto k = key(jobs[j]);
    if (!k) continue;
    const auto [it, added] = index_of.try_emplace(*k, groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(j);
  }
  return groups;
}

}  // namespace

void render_augmented(const std::vector<AugmentJob>& jobs, const fs::path& root, unsigned threads, const AugmentSink& sink,
                      const AugmentFailure& failed) {
  std::vector<Rendered> results(jobs.size());
  const Groups inputs = group_jobs(jobs, [](const AugmentJob& j) {
    return std::optional(std::make_tuple(j.recipe.input_path, cut_settings_text(j.settings), j.rate));
  });
  ordered_parallel_for(
      inputs.size(), std::max(1u, threads),
      [&](std::size_t g) {
        std::vector<ClipRange> ranges;
        for (const std::size_t j : inputs[g]) ranges.push_back(input_range(jobs[j]));
        const AugmentJob& first = jobs[inputs[g].front()];
        return pass(first.recipe.input_path, {}, true, first, inputs[g], ranges, root,
                    [&](std::size_t j, const float* window, std::int64_t length, int channels) { return shape(jobs[j], window, length, channels); });
      },
      [&](std::size_t, std::vector<Rendered> rendered) {
        for (auto& r : rendered) results[r.job] = std::move(r);
      },
      std::max(1u, threads));

  const Groups backgrounds = group_jobs(jobs, [&](const AugmentJob& j) {
    std::optional<std::tuple<std::string, std::string, std::int64_t>> key;
    if (j.recipe.noise) key = std::make_tuple(j.recipe.noise->path, std::string(), j.rate);
    return key;
  });
  ordered_parallel_for(
      backgrounds.size(), std::max(1u, threads),
      [&](std::size_t g) {
        std::vector<ClipRange> ranges;
        for (const std::size_t j : backgrounds[g]) {
          const auto start = std::llround(jobs[j].recipe.noise->start * static_cast<double>(jobs[j].rate));
          ranges.push_back({std::max<std::int64_t>(0, start), jobs[j].frames, jobs[j].frames});
        }
        const AugmentJob& first = jobs[backgrounds[g].front()];
        RecordingStreamOptions mono;
        mono.channels = {ChannelSelection::Mode::mono, 0};
        mono.sample_rate = first.rate;
        return pass(first.recipe.noise->path, mono, false, first, backgrounds[g], ranges, root,
                    [](std::size_t, const float* noise, std::int64_t length, int) { return std::vector<float>(noise, noise + length); });
      },
      [&](std::size_t, std::vector<Rendered> noises) {
        for (auto& n : noises) {
          Rendered& r = results[n.job];
          if (r.frames.empty()) continue;
          if (n.frames.empty()) {
            r.frames.clear();
            r.error = "background " + n.error;
          } else {
            mix_noise(r.frames, r.channels, n.frames.data(), n.frames.size(), jobs[n.job].recipe.noise->snr_db);
          }
        }
      },
      std::max(1u, threads));

  for (std::size_t j = 0; j < jobs.size(); ++j) {
    if (results[j].frames.empty()) failed(j, results[j].error);
    else sink(j, std::move(results[j].frames), results[j].channels);
  }
}

}  // namespace clipset
