// An augmented copy's record: "augmented_from" (the original's id) and "augment" (the recipe),
// both kept in the item's unknown fields so every subcommand carries them through untouched.

#include <cmath>

#include "clipset/augment_recipe.hpp"
#include "clipset/error.hpp"

namespace clipset {

namespace {

const Json& field(const Json& object, const char* name, const char* where) {
  const auto it = object.find(name);
  if (it == object.end()) throw_data("", std::string(where) + " has no '" + name + "'");
  return *it;
}

double number_field(const Json& object, const char* name, const char* where) {
  const Json& value = field(object, name, where);
  if (!value.is_number() || !std::isfinite(value.get<double>())) {
    throw_data("", std::string(where) + "." + name + " must be a number");
  }
  return value.get<double>();
}

std::string string_field(const Json& object, const char* name, const char* where) {
  const Json& value = field(object, name, where);
  if (!value.is_string() || value.get<std::string>().empty()) throw_data("", std::string(where) + "." + name + " must be a non-empty string");
  return value.get<std::string>();
}

AugmentNoise noise_from_json(const Json& noise) {
  if (!noise.is_object()) throw_data("", "augment.noise must be an object");
  AugmentNoise n;
  n.id = string_field(noise, "id", "augment.noise");
  n.path = string_field(noise, "path", "augment.noise");
  n.start = number_field(noise, "start", "augment.noise");
  n.snr_db = number_field(noise, "snr_db", "augment.noise");
  if (n.start < 0) throw_data("", "augment.noise.start must not be negative");
  return n;
}

}  // namespace

bool is_augmented_copy(const Item& item) {
  return item.extra.contains("augmented_from") || item.extra.contains("augment");
}

std::string augmented_from(const Item& item) {
  const auto it = item.extra.find("augmented_from");
  return it != item.extra.end() && it->is_string() ? it->get<std::string>() : std::string();
}

AugmentRecipe augment_recipe(const Item& item) {
  if (augmented_from(item).empty()) throw_data("", "augmented_from must be the original's id (a non-empty string)");
  const auto it = item.extra.find("augment");
  if (it == item.extra.end() || !it->is_object()) throw_data("", "an augmented copy needs its 'augment' object");
  const Json& a = *it;
  AugmentRecipe r;
  const std::string input = string_field(a, "input", "augment");
  if (input != "source" && input != "clip") throw_data("", "augment.input must be \"source\" or \"clip\", not \"" + input + "\"");
  r.input = input == "source" ? AugmentInput::source : AugmentInput::clip;
  r.input_path = string_field(a, "path", "augment");
  r.start = number_field(a, "start", "augment");
  r.shift = number_field(a, "shift", "augment");
  r.gain_db = number_field(a, "gain_db", "augment");
  r.speed = number_field(a, "speed", "augment");
  if (r.start < 0) throw_data("", "augment.start must not be negative");
  if (r.speed < 0.5 || r.speed > 2) throw_data("", "augment.speed must be from 0.5 to 2");
  if (const auto noise = a.find("noise"); noise != a.end()) r.noise = noise_from_json(*noise);
  if (const auto splits = a.find("splits"); splits != a.end() && splits->is_array()) {
    for (const Json& s : *splits)
      if (s.is_string()) r.splits.push_back(s.get<std::string>());
  }
  return r;
}

Json augment_recipe_to_json(const AugmentRecipe& recipe) {
  Json a = Json::object();
  a["input"] = recipe.input == AugmentInput::source ? "source" : "clip";
  a["path"] = recipe.input_path;
  a["start"] = recipe.start;
  a["shift"] = recipe.shift;
  a["gain_db"] = recipe.gain_db;
  a["speed"] = recipe.speed;
  if (recipe.noise) {
    a["noise"] = {{"id", recipe.noise->id}, {"path", recipe.noise->path}, {"start", recipe.noise->start}, {"snr_db", recipe.noise->snr_db}};
  }
  a["splits"] = recipe.splits;
  return a;
}

AugmentJob augment_job(const Item& copy) {
  AugmentJob job;
  job.recipe = augment_recipe(copy);
  if (!copy.sample_rate || *copy.sample_rate <= 0) throw_data("", "an augmented copy needs a positive sample_rate");
  job.rate = *copy.sample_rate;
  job.frames = copy.frames ? *copy.frames : copy.duration ? std::llround(*copy.duration * static_cast<double>(job.rate)) : 0;
  if (job.frames <= 0) throw_data("", "an augmented copy needs its length (frames or duration)");
  if (job.recipe.input == AugmentInput::source) {
    job.settings = cut_settings_of(copy);
  } else {
    job.settings.channels = {copy.channels && *copy.channels > 1 ? ChannelSelection::Mode::keep : ChannelSelection::Mode::mono, 0};
  }
  return job;
}

}  // namespace clipset
