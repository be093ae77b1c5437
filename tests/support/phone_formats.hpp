#pragma once
// Recordings in the formats phones write, made with the ffmpeg command-line tool (and sox for
// AMR-NB: Debian's ffmpeg has no AMR encoder). Tests may run these tools; the app may not.

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace clipset::test {

enum class PhoneFormat { m4a_aac, m4a_alac, amr_nb_3gp, webm_opus, ogg_opus, mp3 };

struct PhoneFormatCase {
  PhoneFormat format;
  const char* file;       // a file name with the usual extension
  const char* container;  // AudioInfo::format clipset should report
  const char* codec;      // AudioInfo::subtype
  int sample_rate;        // the rate the codec runs at (AMR-NB: 8000, Opus: 48000)
  int codec_frame;        // frames per codec packet: the tolerance on a length
};

// One case per format, in a fixed order.
const std::vector<PhoneFormatCase>& phone_format_cases();

struct PhoneTone {
  double seconds = 1.5;
  int sample_rate = 48000;  // of the source tone (AMR-NB is made at 8 kHz whatever this is)
  int channels = 1;
  double frequency = 440;
  double amplitude = 0.5;
  // -metadata key=value pairs; MP4 keys with dots (com.android.model) need use_metadata_tags,
  // which is passed for MP4 whenever any are given.
  std::vector<std::pair<std::string, std::string>> metadata;
};

// Writes a sine tone in that format; creates parent folders. Throws with the tool's stderr on failure.
void write_phone_tone(const std::filesystem::path& file, PhoneFormat format, const PhoneTone& tone = {});

// An AMR-NB recording with pauses in speech, as phones write them with DTX: `tone_seconds` of a
// sine, then `pause_seconds` of digital silence, `repeats` times, at 8 kHz, encoded by sox (mode 7,
// 12.2 kbit/s; sox's AMR-NB encoder has DTX on: the pauses become comfort-noise (SID, type 8) and
// NO_DATA (type 15) frames). A `.3gp` file gets the frames copied into 3GP by ffmpeg; any other
// extension is the raw AMR (storage format). The source WAV is left next to it as
// `<file>.source.wav` (to compare against).
struct AmrDtxSpec {
  double tone_seconds = 1.0;
  double pause_seconds = 1.5;
  int repeats = 2;
  double frequency = 440;
  double amplitude = 0.5;
};
void write_amr_nb_dtx(const std::filesystem::path& file, const AmrDtxSpec& spec = {});

// How many frames of each type (the ToC byte's mode, 0..15) a raw AMR-NB or AMR-WB file holds
// ("#!AMR\n" or "#!AMR-WB\n" and frames in storage format). Throws if it is neither.
std::map<int, long long> amr_frame_types(const std::filesystem::path& raw_amr);

// How many packets of each size (bytes) the audio stream of a file holds, by ffprobe.
std::map<int, long long> packet_sizes(const std::filesystem::path& file);

// Runs ffmpeg -nostdin -y -loglevel error with these arguments. Throws on failure.
void run_ffmpeg(const std::vector<std::string>& args);

// Frames the ffmpeg tool decodes from a file (its own priming and padding rules).
long long ffmpeg_decoded_frames(const std::filesystem::path& file, int channels);

}  // namespace clipset::test
