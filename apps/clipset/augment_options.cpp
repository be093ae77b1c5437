// The recipe options of augment and learning-curve --augment.

#include "augment_options.hpp"

#include "clipset/units.hpp"

namespace clipset::app {

namespace {

std::optional<NumberRange> range_flag(const std::string& flag, const std::string& text, const char* unit) {
  if (text.empty()) return std::nullopt;
  return parse_flag(flag, text, [unit](const std::string& t) { return parse_range(t, unit); });
}

}  // namespace

void add_augment_recipe_options(CLI::App& command, AugmentRecipeArgs& args) {
  command.add_option("--copies", args.copies, "Copies per item (default 1)")->type_name("N")->check(whole_number());
  command.add_flag("--shift", args.shift, "Move each copy's window within its source recording, up to a quarter of its length");
  command.add_option("--gain", args.gain, "Gain range, e.g. -6..6dB")->type_name("RANGE");
  command.add_option("--speed", args.speed, "Speed range (resampled: pitch moves too), e.g. 0.9..1.1")->type_name("RANGE");
  command.add_option("--noise", args.noise, "Manifest of background recordings to mix in (with --snr)")->type_name("MANIFEST");
  command.add_option("--snr", args.snr, "Signal-to-noise ratio range for --noise, e.g. 0..20dB")->type_name("RANGE");
}

void apply_augment_recipe(const AugmentRecipeArgs& args, AugmentOptions& options, Reporter& report) {
  options.copies = args.copies;
  options.shift = args.shift;
  options.gain = range_flag("--gain", args.gain, "dB");
  options.speed = range_flag("--speed", args.speed, "");
  options.snr = range_flag("--snr", args.snr, "dB");
  if (!args.noise.empty()) {
    options.noise = read_manifest(args.noise, false, [&](const ManifestProblem& p) { report.bad_line(p); });
  }
}

}  // namespace clipset::app
