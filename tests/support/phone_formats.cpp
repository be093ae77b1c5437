#include "support/phone_formats.hpp"

#include <stdexcept>

#include "support/audio_fixtures.hpp"
#include "support/run_command.hpp"

namespace clipset::test {

namespace {

void run_tool(std::vector<std::string> argv) {
  argv.insert(argv.begin(), "/usr/bin/env");  // posix_spawn takes a path: let env find the tool
  const CommandResult r = run_command(argv);
  if (r.exit_code != 0) throw std::runtime_error(r.command + " failed (" + std::to_string(r.exit_code) + "): " + r.err);
}

}  // namespace

const std::vector<PhoneFormatCase>& phone_format_cases() {
  static const std::vector<PhoneFormatCase> cases = {
      {PhoneFormat::m4a_aac, "aac.m4a", "mp4", "aac", 48000, 1024},
      {PhoneFormat::m4a_alac, "alac.m4a", "mp4", "alac", 48000, 4096},
      {PhoneFormat::amr_nb_3gp, "amr.3gp", "3gp", "amr_nb", 8000, 160},
      {PhoneFormat::webm_opus, "opus.webm", "webm", "opus", 48000, 960},
      {PhoneFormat::ogg_opus, "opus.ogg", "ogg", "opus", 48000, 960},
      {PhoneFormat::mp3, "tone.mp3", "mp3", "mp3", 48000, 1152},
  };
  return cases;
}

void run_ffmpeg(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"};
  argv.insert(argv.end(), args.begin(), args.end());
  run_tool(argv);
}

void write_phone_tone(const std::filesystem::path& file, PhoneFormat format, const PhoneTone& tone) {
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  const std::filesystem::path source = file.string() + ".source.wav";
  ToneSpec spec;
  spec.seconds = tone.seconds;
  spec.sample_rate = format == PhoneFormat::amr_nb_3gp ? 8000 : tone.sample_rate;
  spec.channels = format == PhoneFormat::amr_nb_3gp ? 1 : tone.channels;
  spec.frequency = tone.frequency;
  spec.amplitude = tone.amplitude;
  spec.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  write_tone(source, spec);

  std::vector<std::string> tags;
  for (const auto& [key, value] : tone.metadata) tags.insert(tags.end(), {"-metadata", key + "=" + value});
  const bool mp4 = format == PhoneFormat::m4a_aac || format == PhoneFormat::m4a_alac;  // 3GP has no keyed tags
  if (mp4 && !tone.metadata.empty()) tags.insert(tags.end(), {"-movflags", "use_metadata_tags"});

  std::vector<std::string> args = {"-i", source.string()};
  const std::filesystem::path amr = file.string() + ".amr";
  switch (format) {
    case PhoneFormat::m4a_aac: args.insert(args.end(), {"-c:a", "aac", "-b:a", "96k"}); break;
    case PhoneFormat::m4a_alac: args.insert(args.end(), {"-c:a", "alac"}); break;
    case PhoneFormat::webm_opus:
    case PhoneFormat::ogg_opus: args.insert(args.end(), {"-c:a", "libopus", "-b:a", "64k"}); break;
    case PhoneFormat::mp3: args.insert(args.end(), {"-c:a", "libmp3lame", "-b:a", "128k"}); break;
    case PhoneFormat::amr_nb_3gp:
      // sox encodes AMR-NB (mode 7, 12.2 kbit/s, as phones record voice); ffmpeg puts it in 3GP.
      run_tool({"sox", source.string(), "-t", "amr-nb", "-C", "7", amr.string()});
      args = {"-i", amr.string(), "-c:a", "copy"};
      break;
  }
  args.insert(args.end(), tags.begin(), tags.end());
  args.push_back(file.string());
  run_ffmpeg(args);
  std::filesystem::remove(source);
  std::filesystem::remove(amr);
}

long long ffmpeg_decoded_frames(const std::filesystem::path& file, int channels) {
  const CommandResult r = run_command({"/usr/bin/env", "ffmpeg", "-nostdin", "-loglevel", "error", "-i", file.string(), "-f", "f32le", "-"});
  if (r.exit_code != 0) throw std::runtime_error(r.command + " failed: " + r.err);
  return static_cast<long long>(r.out.size() / (4 * static_cast<std::size_t>(channels)));
}

}  // namespace clipset::test
