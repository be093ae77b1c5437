#include "support/phone_formats.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "support/audio_fixtures.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

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

void write_amr_nb_dtx(const std::filesystem::path& file, const AmrDtxSpec& spec) {
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  constexpr int kRate = 8000;
  const auto tone = static_cast<std::size_t>(spec.tone_seconds * kRate);
  const auto pause = static_cast<std::size_t>(spec.pause_seconds * kRate);
  std::vector<float> samples;
  for (int r = 0; r < spec.repeats; ++r) {
    for (std::size_t i = 0; i < tone; ++i) {
      samples.push_back(static_cast<float>(spec.amplitude * std::sin(2 * M_PI * spec.frequency * static_cast<double>(i) / kRate)));
    }
    samples.insert(samples.end(), pause, 0.0F);
  }
  const std::filesystem::path source = file.string() + ".source.wav";
  write_samples(source, samples, kRate);
  const bool in_3gp = file.extension() == ".3gp";
  const std::filesystem::path amr = in_3gp ? std::filesystem::path(file.string() + ".amr") : file;
  run_tool({"sox", source.string(), "-t", "amr-nb", "-C", "7", amr.string()});
  if (in_3gp) {
    run_ffmpeg({"-i", amr.string(), "-c:a", "copy", file.string()});
    std::filesystem::remove(amr);
  }
}

std::map<int, long long> amr_frame_types(const std::filesystem::path& raw_amr) {
  const std::string data = read_file(raw_amr);
  // Bytes after the ToC byte by frame type (RFC 4867); reserved types are one byte long.
  static constexpr int kNb[16] = {12, 13, 15, 17, 19, 20, 26, 31, 5, 0, 0, 0, 0, 0, 0, 0};
  static constexpr int kWb[16] = {17, 23, 32, 36, 40, 46, 50, 58, 60, 5, 0, 0, 0, 0, 0, 0};
  const int* sizes = nullptr;
  std::size_t pos = 0;
  if (data.rfind("#!AMR-WB\n", 0) == 0) {
    sizes = kWb;
    pos = 9;
  } else if (data.rfind("#!AMR\n", 0) == 0) {
    sizes = kNb;
    pos = 6;
  } else {
    throw std::runtime_error(raw_amr.string() + ": not a raw AMR file");
  }
  std::map<int, long long> types;
  while (pos < data.size()) {
    const int type = (static_cast<unsigned char>(data[pos]) >> 3) & 0x0F;
    ++types[type];
    pos += 1 + static_cast<std::size_t>(sizes[type]);
  }
  return types;
}

std::map<int, long long> packet_sizes(const std::filesystem::path& file) {
  const CommandResult r = run_command({"/usr/bin/env", "ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                                       "packet=size", "-of", "csv=p=0", file.string()});
  if (r.exit_code != 0) throw std::runtime_error(r.command + " failed: " + r.err);
  std::map<int, long long> sizes;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) ++sizes[std::stoi(line)];
  }
  return sizes;
}

long long ffmpeg_decoded_frames(const std::filesystem::path& file, int channels) {
  const CommandResult r = run_command({"/usr/bin/env", "ffmpeg", "-nostdin", "-loglevel", "error", "-i", file.string(), "-f", "f32le", "-"});
  if (r.exit_code != 0) throw std::runtime_error(r.command + " failed: " + r.err);
  return static_cast<long long>(r.out.size() / (4 * static_cast<std::size_t>(channels)));
}

}  // namespace clipset::test
