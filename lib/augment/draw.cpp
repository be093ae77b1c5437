// A copy's recipe, drawn from a PRNG seeded by the run's seed and the item's id, so a copy is
// the same whatever --jobs is, whatever else the manifest holds, and whichever options are on
// (every value is drawn whether it is used or not).

#include <cmath>

#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/prng.hpp"
#include "internal.hpp"

namespace clipset::detail {

namespace {

// The item's PRNG stream: 64 bits of the SHA-256 of its id.
std::uint64_t id_stream(const std::string& id) { return std::stoull(sha256_hex(id).substr(0, 16), nullptr, 16); }

// Uniform in [0, 1).
double unit(Prng& prng) { return static_cast<double>(prng.next() >> 11) * 0x1.0p-53; }

double between(const NumberRange& range, double u) { return range.low + (range.high - range.low) * u; }

double round_to(double value, double step) { return std::round(value / step) * step; }

struct Draws {
  double shift, gain, speed, snr, background_pick, background_start;
};

Draws draw(const Item& item, std::size_t index, std::uint64_t seed) {
  Prng prng(seed ^ id_stream(item.id), index);
  Draws d{};
  d.shift = unit(prng);
  d.gain = unit(prng);
  d.speed = unit(prng);
  d.snr = unit(prng);
  d.background_pick = unit(prng);
  d.background_start = unit(prng);
  return d;
}

std::int64_t frames_of(const Item& item, std::int64_t rate) {
  if (item.frames && *item.frames > 0) return *item.frames;
  if (item.duration && *item.duration > 0) return std::llround(*item.duration * static_cast<double>(rate));
  throw_data("", "has no length (frames or duration) to copy");
}

}  // namespace

AugmentRecipe input_of(const Item& item, const AugmentOptions& options) {
  AugmentRecipe r;
  const bool has_source = item.source && !item.source->path.empty();
  const bool has_file = item.path && !item.path->empty();
  if (has_source && (options.shift || !has_file)) {
    r.input = AugmentInput::source;
    r.input_path = item.source->path;
  } else if (has_file) {
    r.input_path = *item.path;
  } else {
    throw_data("", "has no path and no source to read its audio from");
  }
  return r;
}

namespace {

AugmentNoise pick_noise(const std::vector<Background>& pool, const Draws& d, double seconds, double snr, std::int64_t rate) {
  const auto pick = std::min(pool.size() - 1, static_cast<std::size_t>(d.background_pick * static_cast<double>(pool.size())));
  const Background& b = pool[pick];
  const double room = std::max(0.0, b.duration - seconds);
  const auto start_frame = static_cast<std::int64_t>(std::floor(d.background_start * room * static_cast<double>(rate)));
  return {b.id, b.path, static_cast<double>(start_frame) / static_cast<double>(rate), snr};
}

}  // namespace

std::vector<Background> background_pool(const std::vector<Item>& noise) {
  std::vector<Background> pool;
  for (const Item& item : noise) {
    if (item.path && !item.path->empty() && item.duration && *item.duration > 0) pool.push_back({item.id, *item.path, *item.duration});
  }
  return pool;
}

namespace {

// The window's first frame: the original's, shifted, moved so a speed change keeps the original's
// middle in the middle, and kept inside the recording (when its length is known).
std::int64_t window_start(std::int64_t start, std::int64_t shift, std::int64_t frames, double speed, std::int64_t rate,
                          std::optional<double> input_seconds) {
  const auto centring = std::llround(static_cast<double>(frames) * (1 - speed) / 2);
  std::int64_t at = start + shift + centring;
  if (input_seconds) {
    const auto window = static_cast<std::int64_t>(std::ceil(static_cast<double>(frames) * speed));
    at = std::min<std::int64_t>(at, std::llround(*input_seconds * static_cast<double>(rate)) - window);
  }
  return std::max<std::int64_t>(0, at);
}

}  // namespace

Item make_copy(const Item& item, std::size_t index, const AugmentOptions& options, const std::vector<Background>& pool,
               std::optional<double> input_seconds) {
  if (!item.sample_rate || *item.sample_rate <= 0) throw_data("", "has no sample_rate to copy");
  const std::int64_t rate = *item.sample_rate;
  const double r = static_cast<double>(rate);
  const std::int64_t frames = frames_of(item, rate);
  const Draws d = draw(item, index, options.seed);
  AugmentRecipe recipe = input_of(item, options);
  recipe.splits = options.splits;
  recipe.speed = options.speed ? round_to(between(*options.speed, d.speed), 1e-4) : 1.0;
  recipe.gain_db = options.gain ? round_to(between(*options.gain, d.gain), 0.01) : 0.0;
  const std::int64_t original = recipe.input == AugmentInput::source ? std::llround(item.source->start * r) : 0;
  std::int64_t shift = 0;
  if (options.shift && recipe.input == AugmentInput::source) {
    shift = std::llround((2 * d.shift - 1) * kMaxShiftFraction * static_cast<double>(frames));
  }
  const std::int64_t start = window_start(original, shift, frames, recipe.speed, rate, input_seconds);
  recipe.start = static_cast<double>(start) / r;
  // The move actually made: where the recording's edge stopped it, less than drawn.
  const auto centring = std::llround(static_cast<double>(frames) * (1 - recipe.speed) / 2);
  recipe.shift = static_cast<double>(start - original - centring) / r;
  if (options.snr && !pool.empty()) {
    recipe.noise = pick_noise(pool, d, static_cast<double>(frames) / r, round_to(between(*options.snr, d.snr), 0.01), rate);
  }
  Item copy = item;
  copy.id = item.id + "-aug" + std::to_string(index);
  copy.frames = frames;
  copy.duration = static_cast<double>(frames) / r;
  copy.annotations.clear();  // their times do not survive a shift or a speed change
  copy.bytes.reset();
  copy.sha256.reset();
  copy.mtime.reset();
  copy.quality.reset();
  copy.duplicate_of.reset();
  copy.extra["augmented_from"] = item.id;
  copy.extra["augment"] = augment_recipe_to_json(recipe);
  return copy;
}

void pin_group(Item& item) {
  if (group_key(item).basis == GroupBasis::item) item.group = item.id;
}

}  // namespace clipset::detail
