// make_example_datalake: writes the bundled example data lake described in examples/README.md.
//
//   make_example_datalake [--force] OUTDIR
//
// The lake must be byte-identical on every run and machine, because tests and docs quote its
// manifests. So every random number comes from our own xorshift generator seeded from the file's
// path (adding a file never changes the others), and every waveform is built from our own sine and
// exponential made of + - * / only: std:: distributions are implementation-defined and libm may
// differ in the last bit between versions. Evaluation order of function arguments is unspecified
// in C++, so random draws are always made one per statement.

#include <sndfile.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kProgram = "make_example_datalake";

// An error about one path; main() prints it as "make_example_datalake: PATH: reason".
class PathError : public std::runtime_error {
public:
    PathError(const fs::path& path, const std::string& reason)
        : std::runtime_error(path.string() + ": " + reason) {}
};

// ---------------------------------------------------------------------------------------------
// Deterministic numbers
// ---------------------------------------------------------------------------------------------

constexpr double kPi = 3.141592653589793;

std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

// xorshift64* seeded through splitmix64, so that similar seeds (hashes of similar names) still
// start far apart.
class Rng {
public:
    explicit Rng(std::uint64_t seed) {
        std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        state_ = z ^ (z >> 31);
        if (state_ == 0) state_ = 0x9e3779b97f4a7c15ULL;  // xorshift never leaves zero
    }
    explicit Rng(std::string_view name) : Rng(fnv1a(name)) {}

    std::uint64_t next() {
        state_ ^= state_ >> 12;
        state_ ^= state_ << 25;
        state_ ^= state_ >> 27;
        return state_ * 0x2545f4914f6cdd1dULL;
    }
    // [0, 1) from the top 53 bits: exact, no rounding that could depend on the platform.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    int integer(int lo, int hi) {  // inclusive; the modulo bias is irrelevant here
        return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    bool coin() { return (next() >> 63) != 0; }
    // Approximately normal (Irwin-Hall, 4 terms): bounded, which also keeps peaks predictable.
    double gauss() {
        double sum = 0.0;
        for (int i = 0; i < 4; ++i) sum += uniform();
        return (sum - 2.0) * 1.7320508075688772;
    }

private:
    std::uint64_t state_;
};

// sin(2*pi*cycles). Taking the phase in cycles makes range reduction exact (subtract the floor).
double sin_cycles(double cycles) {
    double q = cycles - std::floor(cycles);  // [0, 1)
    if (q > 0.75) {
        q -= 1.0;
    } else if (q > 0.25) {
        q = 0.5 - q;  // sin(pi - x) == sin(x)
    }
    const double x = 2.0 * kPi * q;  // [-pi/2, pi/2]: the Taylor series below is within 1e-11
    const double x2 = x * x;
    double term = x;
    double sum = x;
    for (int k = 1; k <= 8; ++k) {
        term *= -x2 / static_cast<double>((2 * k) * (2 * k + 1));
        sum += term;
    }
    return sum;
}

double exp_det(double x) {
    if (x < -700.0) return 0.0;
    constexpr double kLn2 = 0.6931471805599453;
    const double k = std::floor(x / kLn2 + 0.5);
    const double r = x - k * kLn2;  // |r| <= ln2/2, where 15 Taylor terms are plenty
    double term = 1.0;
    double sum = 1.0;
    for (int i = 1; i <= 15; ++i) {
        term *= r / i;
        sum += term;
    }
    return std::ldexp(sum, static_cast<int>(k));  // exact scaling by 2^k
}

// ---------------------------------------------------------------------------------------------
// Sounds
// ---------------------------------------------------------------------------------------------

using Signal = std::vector<double>;

struct Span {
    double start;  // seconds
    double end;
};

std::size_t sample_at(double seconds, double rate) {
    return static_cast<std::size_t>(std::floor(seconds * rate));
}

// Coefficient of a one-pole low-pass with the given cutoff.
double one_pole(double cutoff_hz, double rate) { return exp_det(-2.0 * kPi * cutoff_hz / rate); }

// Low-passed noise (traffic, room, wind rumble) plus a little white hiss (the preamp).
void add_background(Signal& out, double rate, double rms, double cutoff_hz, Rng& rng) {
    const double a = one_pole(cutoff_hz, rate);
    const double unit = std::sqrt((1.0 + a) / (1.0 - a));  // restores unit variance after the filter
    double low = 0.0;
    for (double& v : out) {
        const double rumble = rng.gauss();
        low = a * low + (1.0 - a) * rumble;
        const double hiss = rng.gauss();
        v += rms * (0.9 * unit * low + 0.3 * hiss);
    }
}

// One bark: a harmonic stack whose pitch falls, a formant bump, breathy band-passed noise, all
// under a fast attack and an exponential decay. Returns its length in seconds.
double add_bark(Signal& out, double rate, double start, double gain, Rng& rng) {
    const double f0 = rng.uniform(320.0, 620.0);
    const double length = rng.uniform(0.14, 0.28);
    const double formant = rng.uniform(900.0, 1600.0);
    const double attack = 0.006;
    const double decay = length / 4.0;

    constexpr int kHarmonics = 8;  // 8 * 620 Hz * 1.12 stays below 8 kHz, Nyquist at 16 kHz
    std::array<double, kHarmonics> amplitude{};
    double total = 0.0;
    for (int k = 0; k < kHarmonics; ++k) {
        const double distance = (f0 * (k + 1) - formant) / 700.0;
        amplitude[k] = 1.0 / (k + 1) + 0.8 / (1.0 + distance * distance);
        total += amplitude[k];
    }
    // Breath: white noise band-passed to about 0.6-3 kHz. The upper edge is two poles deep so
    // the bark does not smear hiss up to the top of the spectrum like a click would.
    const double lo_coeff = one_pole(600.0, rate);
    const double hi_coeff = one_pole(3000.0, rate);
    double lo = 0.0;
    double hi = 0.0;
    double hi2 = 0.0;
    double phase = 0.0;

    const std::size_t first = sample_at(start, rate);
    const std::size_t count = sample_at(length, rate);
    for (std::size_t i = 0; i < count && first + i < out.size(); ++i) {
        const double t = static_cast<double>(i) / rate;
        const double envelope = t < attack ? t / attack : exp_det(-(t - attack) / decay);
        phase += f0 * (1.12 - 0.3 * t / length) / rate;
        phase -= std::floor(phase);
        double harmonic = 0.0;
        for (int k = 0; k < kHarmonics; ++k) harmonic += amplitude[k] * sin_cycles((k + 1) * phase);
        const double white = rng.gauss();
        hi = hi_coeff * hi + (1.0 - hi_coeff) * white;
        hi2 = hi_coeff * hi2 + (1.0 - hi_coeff) * hi;
        lo = lo_coeff * lo + (1.0 - lo_coeff) * hi2;
        const double breath = 3.0 * (hi2 - lo);
        out[first + i] += gain * envelope * (0.75 * harmonic / total + 0.25 * breath);
    }
    return length;
}

// Barks in groups: short gaps inside a group, a longer pause now and then, though never one
// that would leave the end of the span silent (the span is what annotators will label).
void add_barks(Signal& out, double rate, Span span, double gain, Rng& rng) {
    double t = span.start;
    while (t + 0.3 <= span.end) {
        const double loudness = rng.uniform(0.7, 1.0);
        const double length = add_bark(out, rate, t, gain * loudness, rng);
        const bool pause = rng.uniform() < 0.25 && span.end - t > 1.5;
        t += length + (pause ? rng.uniform(0.45, 0.9) : rng.uniform(0.08, 0.2));
    }
}

// A "wail" siren: a square-ish tone sweeping 600 -> 1400 -> 600 Hz, with soft fades.
void add_siren(Signal& out, double rate, Span span, double gain, Rng& rng) {
    const double period = rng.uniform(1.5, 3.5);
    const double offset = rng.uniform();
    const bool smooth = rng.coin();  // sine-shaped or triangular sweep: both exist in the wild
    const double fade = std::min(0.3, (span.end - span.start) / 4.0);
    double phase = 0.0;
    const std::size_t last = std::min(sample_at(span.end, rate), out.size());
    for (std::size_t i = sample_at(span.start, rate); i < last; ++i) {
        const double t = static_cast<double>(i) / rate - span.start;
        const double u = t / period + offset - std::floor(t / period + offset);
        const double sweep = smooth ? sin_cycles(u) : (u < 0.5 ? 4.0 * u - 1.0 : 3.0 - 4.0 * u);
        phase += (1000.0 + 400.0 * sweep) / rate;
        phase -= std::floor(phase);
        const double tone =
            (sin_cycles(phase) + 0.3 * sin_cycles(3.0 * phase) + 0.12 * sin_cycles(5.0 * phase)) / 1.42;
        const double to_edge = std::min(t, span.end - span.start - t);
        const double rise = to_edge < fade ? sin_cycles(0.25 * to_edge / fade) : 1.0;
        out[i] += gain * rise * rise * tone;
    }
}

// One chirp: a fast frequency glide under a sin^2 window.
void add_chirp(Signal& out, double rate, double start, double length, double f_from, double f_to,
               double gain) {
    const std::size_t first = sample_at(start, rate);
    const std::size_t count = sample_at(length, rate);
    double phase = 0.0;
    for (std::size_t i = 0; i < count && first + i < out.size(); ++i) {
        const double u = static_cast<double>(i) / static_cast<double>(count);
        phase += (f_from + (f_to - f_from) * u) / rate;
        phase -= std::floor(phase);
        const double window = sin_cycles(0.5 * u);
        out[first + i] += gain * window * window * sin_cycles(phase);
    }
}

// Bird song: trills of 3 to 8 chirps between 2 and 6 kHz, phrases separated by short pauses.
void add_chirps(Signal& out, double rate, Span span, double gain, Rng& rng) {
    double t = span.start + rng.uniform(0.0, 0.1);
    while (t + 0.1 <= span.end) {
        const int count = rng.integer(3, 8);
        const double length = rng.uniform(0.025, 0.07);
        const double gap = rng.uniform(0.02, 0.06);
        const double high = rng.uniform(4500.0, 6000.0);
        const double low = rng.uniform(2000.0, 3500.0);
        const bool falling = rng.coin();
        for (int c = 0; c < count && t + length <= span.end; ++c) {
            const double loudness = rng.uniform(0.6, 1.0);
            add_chirp(out, rate, t, length, falling ? high : low, falling ? low : high, gain * loudness);
            t += length + gap;
        }
        t += rng.uniform(0.25, 0.8);
    }
}

enum Sound : unsigned { kDog = 1U, kSiren = 2U, kBird = 4U };

void add_sound(Sound sound, Signal& out, double rate, Span span, double gain, Rng& rng) {
    switch (sound) {
        case kDog: add_barks(out, rate, span, gain, rng); break;
        case kSiren: add_siren(out, rate, span, gain, rng); break;
        case kBird: add_chirps(out, rate, span, gain, rng); break;
    }
}

// ---------------------------------------------------------------------------------------------
// Recordings of the lake
// ---------------------------------------------------------------------------------------------

enum class Encoding { wav_pcm16, wav_float, flac_pcm24, ogg_vorbis };
enum class Quirk { none, clipped, dc_offset, very_quiet };

struct Recording {
    std::string_view path;  // relative to the lake; the name says which recorder made it
    unsigned sounds;        // Sound bits
    int rate;
    int channels;
    double seconds;
    Encoding encoding;
    Quirk quirk = Quirk::none;
};

using enum Encoding;

// Phones record mono (Pixel at 48 kHz, iPhone at 44.1 kHz); the Zoom H5 records stereo and
// 24-bit FLAC. iPhone voice memos are numbered per device, hence unique names across folders.
constexpr std::array kRecordings = {
    Recording{"dog/pixel7_001.wav", kDog, 48000, 1, 3.0, wav_pcm16},
    Recording{"dog/pixel7_002.wav", kDog, 48000, 1, 2.5, wav_pcm16, Quirk::clipped},
    Recording{"dog/pixel7_003.wav", kDog, 48000, 1, 4.0, wav_pcm16},
    Recording{"dog/iphone13_001.wav", kDog, 44100, 1, 3.5, wav_pcm16},
    Recording{"dog/iphone13_002.wav", kDog, 44100, 1, 5.0, wav_pcm16},
    Recording{"dog/zoomh5_001.wav", kDog, 48000, 2, 4.0, wav_pcm16},
    Recording{"dog/zoomh5_002.flac", kDog, 48000, 2, 3.0, flac_pcm24},
    Recording{"siren/pixel7_001.wav", kSiren, 48000, 1, 5.0, wav_pcm16},
    Recording{"siren/pixel7_002.wav", kSiren, 48000, 1, 4.0, wav_pcm16, Quirk::dc_offset},
    Recording{"siren/iphone13_003.wav", kSiren, 44100, 1, 6.0, wav_pcm16},
    Recording{"siren/iphone13_006.wav", kSiren, 44100, 1, 2.5, wav_pcm16},
    Recording{"siren/zoomh5_001.flac", kSiren, 48000, 1, 5.0, flac_pcm24},
    Recording{"siren/zoomh5_002.wav", kSiren, 44100, 1, 4.0, wav_float},
    Recording{"siren/zoomh5_003.wav", kSiren, 48000, 2, 3.0, wav_pcm16},
    Recording{"bird/pixel7_001.wav", kBird, 48000, 1, 3.0, wav_pcm16},
    Recording{"bird/pixel7_002.wav", kBird, 48000, 1, 4.5, wav_pcm16},
    Recording{"bird/iphone13_004.wav", kBird, 44100, 1, 2.5, wav_pcm16},
    Recording{"bird/iphone13_005.ogg", kBird, 44100, 1, 4.0, ogg_vorbis},
    Recording{"bird/iphone13_007.wav", kBird, 44100, 1, 2.0, wav_pcm16},
    Recording{"bird/zoomh5_001.wav", kBird, 48000, 2, 4.0, wav_pcm16},
    Recording{"bird/zoomh5_002.flac", kBird, 48000, 1, 5.0, flac_pcm24, Quirk::very_quiet},
    Recording{"uploads/maria/m_001.wav", kBird, 48000, 1, 3.0, wav_pcm16},
    Recording{"uploads/maria/m_002.wav", kSiren, 48000, 1, 4.0, wav_pcm16},
    Recording{"uploads/maria/m_003.wav", kDog | kSiren, 48000, 1, 5.0, wav_pcm16},
};

// The content duplicate: same bytes, another name, another uploader.
constexpr std::string_view kDuplicateOf = "dog/pixel7_001.wav";
constexpr std::string_view kDuplicate = "uploads/maria/copy_of_bark.wav";

void apply_quirk(Signal& channel, Quirk quirk) {
    for (double& v : channel) {
        switch (quirk) {
            case Quirk::none: break;
            // The converter saturates; render() has already made the source far too loud.
            case Quirk::clipped: v = std::clamp(v, -1.0, 1.0); break;
            // A cheap external mic adapter; 0.12 of full scale is large enough to be obvious.
            case Quirk::dc_offset: v += 0.12; break;
            // Input gain set far too low: about -48 dB.
            case Quirk::very_quiet: v *= 0.004; break;
        }
    }
}

std::vector<Signal> render(const Recording& recording) {
    Rng rng(recording.path);
    const double rate = recording.rate;
    const std::size_t frames = sample_at(recording.seconds, rate);
    const Span whole{0.25, recording.seconds - 0.15};
    const double gain = rng.uniform(0.35, 0.55);

    Signal source(frames, 0.0);
    if ((recording.sounds & kDog) != 0) add_barks(source, rate, whole, gain, rng);
    if ((recording.sounds & kSiren) != 0) {
        // With a dog in front, the siren is a passing ambulance in the background.
        const bool background = (recording.sounds & kDog) != 0;
        const Span span = background ? Span{0.4 * recording.seconds, whole.end} : whole;
        add_siren(source, rate, span, background ? 0.5 * gain : gain, rng);
    }
    if ((recording.sounds & kBird) != 0) add_chirps(source, rate, whole, gain, rng);

    const double noise_rms = rng.uniform(0.004, 0.015);
    // A phone held right against the dog: the dog, not the background, is far louder, enough to
    // saturate the converter for milliseconds at a time.
    const double source_level = recording.quirk == Quirk::clipped ? 8.0 : 1.0;
    std::vector<Signal> channels;
    for (int c = 0; c < recording.channels; ++c) {
        // The second capsule of a stereo pair hears the source a little later and softer, and
        // has its own noise: the channels are correlated but not identical.
        const std::size_t delay = c == 0 ? 0 : static_cast<std::size_t>(rng.integer(3, 25));
        const double level = source_level * (c == 0 ? 1.0 : rng.uniform(0.7, 0.95));
        Signal channel(frames, 0.0);
        for (std::size_t i = delay; i < frames; ++i) channel[i] = level * source[i - delay];
        add_background(channel, rate, noise_rms, 700.0, rng);
        apply_quirk(channel, recording.quirk);
        channels.push_back(std::move(channel));
    }
    return channels;
}

// ---------------------------------------------------------------------------------------------
// Writing sound files
// ---------------------------------------------------------------------------------------------

// We quantise ourselves rather than let libsndfile convert doubles, so the bytes depend only on
// this file. floor() is exact in IEEE arithmetic.
std::int32_t quantise(double v, double full_scale) {
    const double q = std::floor(v * full_scale + 0.5);
    return static_cast<std::int32_t>(std::clamp(q, -full_scale - 1.0, full_scale));
}

struct SndfileCloser {
    void operator()(SNDFILE* file) const { sf_close(file); }
};
using SndfileHandle = std::unique_ptr<SNDFILE, SndfileCloser>;

int sndfile_format(Encoding encoding) {
    switch (encoding) {
        case wav_pcm16: return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
        case wav_float: return SF_FORMAT_WAV | SF_FORMAT_FLOAT;
        case flac_pcm24: return SF_FORMAT_FLAC | SF_FORMAT_PCM_24;
        case ogg_vorbis: return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
    }
    return 0;
}

template <typename Sample, typename Convert>
std::vector<Sample> interleave(const std::vector<Signal>& channels, Convert convert) {
    const std::size_t frames = channels.front().size();
    std::vector<Sample> samples;
    samples.reserve(frames * channels.size());
    for (std::size_t i = 0; i < frames; ++i) {
        for (const Signal& channel : channels) samples.push_back(convert(channel[i]));
    }
    return samples;
}

void write_samples(SNDFILE* file, const fs::path& path, Encoding encoding,
                   const std::vector<Signal>& channels) {
    sf_count_t written = 0;
    sf_count_t expected = 0;
    switch (encoding) {
        case wav_pcm16: {
            const auto samples = interleave<short>(
                channels, [](double v) { return static_cast<short>(quantise(v, 32767.0)); });
            expected = static_cast<sf_count_t>(samples.size());
            written = sf_write_short(file, samples.data(), expected);
            break;
        }
        case flac_pcm24: {
            // libsndfile takes 24-bit samples in the top bits of an int.
            const auto samples = interleave<int>(
                channels, [](double v) { return quantise(v, 8388607.0) * 256; });
            expected = static_cast<sf_count_t>(samples.size());
            written = sf_write_int(file, samples.data(), expected);
            break;
        }
        case wav_float:
        case ogg_vorbis: {
            const auto samples =
                interleave<float>(channels, [](double v) { return static_cast<float>(v); });
            expected = static_cast<sf_count_t>(samples.size());
            written = sf_write_float(file, samples.data(), expected);
            break;
        }
    }
    if (written != expected) throw PathError(path, std::string("write failed: ") + sf_strerror(file));
}

// libsndfile seeds the Ogg stream serial number from the clock, so two runs differ in those four
// bytes of every page (and in the page checksums). Real encoders pick serials at random too; we
// pin it to a constant and recompute each page's CRC so the file stays valid and reproducible.
std::uint32_t ogg_crc(const std::string& bytes, std::size_t begin, std::size_t end) {
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t r = i << 24;
            for (int bit = 0; bit < 8; ++bit) r = (r & 0x80000000U) != 0 ? (r << 1) ^ 0x04c11db7U : r << 1;
            t[i] = r;
        }
        return t;
    }();
    std::uint32_t crc = 0;
    for (std::size_t i = begin; i < end; ++i) {
        crc = (crc << 8) ^ table[((crc >> 24) ^ static_cast<unsigned char>(bytes[i])) & 0xffU];
    }
    return crc;
}

void put_le32(std::string& bytes, std::size_t at, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xffU);
}

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) throw PathError(path, "cannot read back");
    return bytes;
}

void write_bytes(const fs::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw PathError(path, "cannot write file");
}

void pin_ogg_serial(const fs::path& path) {
    constexpr std::uint32_t kSerial = 0x636c6970;  // "clip"
    std::string bytes = read_bytes(path);
    std::size_t page = 0;
    while (page < bytes.size()) {
        // Page header: "OggS", version, flags, granule(8), serial(4) @14, sequence(4) @18,
        // crc(4) @22, segment count @26, segment table, then the body.
        if (bytes.size() - page < 27 || bytes.compare(page, 4, "OggS") != 0) {
            throw PathError(path, "unexpected Ogg page layout while pinning the serial number");
        }
        const std::size_t segments = static_cast<unsigned char>(bytes[page + 26]);
        std::size_t size = 27 + segments;
        if (page + size > bytes.size()) throw PathError(path, "truncated Ogg page");
        for (std::size_t s = 0; s < segments; ++s) size += static_cast<unsigned char>(bytes[page + 27 + s]);
        if (page + size > bytes.size()) throw PathError(path, "truncated Ogg page");
        put_le32(bytes, page + 14, kSerial);
        put_le32(bytes, page + 22, 0);
        put_le32(bytes, page + 22, ogg_crc(bytes, page, page + size));
        page += size;
    }
    write_bytes(path, bytes);
}

void write_sound_file(const fs::path& path, Encoding encoding, int rate,
                      const std::vector<Signal>& channels) {
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = static_cast<int>(channels.size());
    info.format = sndfile_format(encoding);
    SndfileHandle file(sf_open(path.c_str(), SFM_WRITE, &info));
    if (!file) throw PathError(path, std::string("cannot create sound file: ") + sf_strerror(nullptr));
    if (encoding == wav_float) {
        // The PEAK chunk carries a time stamp, which would make every run differ.
        sf_command(file.get(), SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
    }
    write_samples(file.get(), path, encoding, channels);
    if (const int status = sf_close(file.release()); status != 0) {
        throw PathError(path, std::string("cannot finish sound file: ") + sf_error_number(status));
    }
    if (encoding == ogg_vorbis) pin_ogg_serial(path);
}

// ---------------------------------------------------------------------------------------------
// The long annotated recording
// ---------------------------------------------------------------------------------------------

struct Event {
    int start_ms;
    int end_ms;
    Sound sound;
    double gain;
};

// Ground truth of long/park_walk.wav: what was synthesised where.
constexpr std::array kParkEvents = {
    Event{2400, 4100, kDog, 0.45},    Event{6800, 9900, kBird, 0.30},
    Event{12500, 16500, kSiren, 0.25}, Event{18200, 19300, kDog, 0.55},
    Event{21000, 23400, kBird, 0.35},  Event{26100, 31600, kSiren, 0.40},
    Event{33300, 34900, kBird, 0.25},  Event{37000, 38600, kDog, 0.40},
    Event{41200, 43000, kBird, 0.30},  Event{45500, 50000, kSiren, 0.30},
    Event{52300, 53500, kDog, 0.20},   Event{55600, 57800, kBird, 0.40},
};
// A single faint, distant bark that only ben marks, with a point label.
constexpr Event kFaintBark{35650, 36000, kDog, 0.10};
constexpr std::string_view kParkWalk = "long/park_walk.wav";

std::vector<Signal> render_park_walk() {
    constexpr double kRate = 16000.0;
    Rng rng(kParkWalk);
    Signal mix(sample_at(60.0, kRate), 0.0);

    // Wind comes in slow gusts; under it, distant traffic.
    Signal wind(mix.size(), 0.0);
    add_background(wind, kRate, 0.02, 150.0, rng);
    for (std::size_t i = 0; i < mix.size(); ++i) {
        const double t = static_cast<double>(i) / kRate;
        const double gust = 0.6 + 0.4 * sin_cycles(t / 9.7) * sin_cycles(t / 23.0 + 0.1);
        mix[i] = gust * wind[i];
    }
    add_background(mix, kRate, 0.006, 900.0, rng);

    auto add_event = [&](const Event& event) {
        add_sound(event.sound, mix, kRate, Span{event.start_ms / 1000.0, event.end_ms / 1000.0},
                  event.gain, rng);
    };
    for (const Event& event : kParkEvents) add_event(event);
    add_event(kFaintBark);
    return {std::move(mix)};
}

struct Label {
    int start_ms;
    int end_ms;
    std::string title;  // the label, and tags in square brackets ("dog [fg]")
};

std::string_view sound_name(Sound sound) {
    switch (sound) {
        case kDog: return "dog";
        case kSiren: return "siren";
        case kBird: return "bird";
    }
    return "?";
}

// anna is careful: her boundaries are within 40 ms of the truth, and she tags the loud events
// foreground and the faint ones background (clipset reads the tags as salience).
std::vector<Label> anna_first_pass() {
    Rng rng("annotator anna");
    std::vector<Label> labels;
    for (const Event& event : kParkEvents) {
        const int start = event.start_ms + rng.integer(-40, 40);
        const int end = event.end_ms + rng.integer(-40, 40);
        const char* tag = event.gain >= 0.4 ? " [fg]" : event.gain <= 0.25 ? " [bg]" : "";
        labels.push_back({start, end, std::string(sound_name(event.sound)) + tag});
    }
    return labels;
}

// anna's second pass of the same file: she extends one event and changes her mind on another.
std::vector<Label> anna_second_pass() {
    std::vector<Label> labels = anna_first_pass();
    labels[3].end_ms += 400;
    labels[8].title = "dog";
    return labels;
}

// ben is quicker: boundaries off by 50 to 300 ms, event 7 (a bird) called a dog, the quiet dog
// at 52.3 s missed, and the faint bark marked with a point label.
std::vector<Label> ben_labels() {
    Rng rng("annotator ben");
    std::vector<Label> labels;
    for (std::size_t i = 0; i < kParkEvents.size(); ++i) {
        const Event& event = kParkEvents[i];
        const int start_shift = rng.integer(50, 300);
        const bool start_late = rng.coin();
        const int end_shift = rng.integer(50, 300);
        const bool end_late = rng.coin();
        if (i == 10) continue;
        labels.push_back({event.start_ms + (start_late ? start_shift : -start_shift),
                          event.end_ms + (end_late ? end_shift : -end_shift),
                          std::string(i == 6 ? "dog" : sound_name(event.sound))});
        if (i == 6) labels.push_back({kFaintBark.start_ms + 50, kFaintBark.start_ms + 50, "dog [bg] [hard]"});
    }
    return labels;
}

// Audacity's TEXT export: "%.6f\t%.6f\t%s\n". Times are whole milliseconds, formatted from
// integers so no floating-point printing is involved.
std::string audacity_track(const std::vector<Label>& labels) {
    auto seconds = [](int ms) {
        std::string millis = std::to_string(ms % 1000);
        millis.insert(0, 3 - millis.size(), '0');
        return std::to_string(ms / 1000) + "." + millis + "000";
    };
    std::string text;
    for (const Label& label : labels) {
        text += seconds(label.start_ms) + "\t" + seconds(label.end_ms) + "\t" + label.title + "\n";
    }
    return text;
}

// ---------------------------------------------------------------------------------------------
// Deliberately bad and irrelevant files
// ---------------------------------------------------------------------------------------------

void append_le(std::string& bytes, std::uint32_t value, int width) {
    for (int i = 0; i < width; ++i) bytes += static_cast<char>((value >> (8 * i)) & 0xffU);
}

void append_be32(std::string& bytes, std::uint32_t value) {
    for (int i = 3; i >= 0; --i) bytes += static_cast<char>((value >> (8 * i)) & 0xffU);
}

// The canonical 44-byte header of a PCM16 WAV holding data_bytes of samples.
std::string wav_header(int rate, int channels, std::uint32_t data_bytes) {
    const auto block_align = static_cast<std::uint32_t>(2 * channels);
    std::string header = "RIFF";
    append_le(header, 36 + data_bytes, 4);
    header += "WAVEfmt ";
    append_le(header, 16, 4);
    append_le(header, 1, 2);  // PCM
    append_le(header, static_cast<std::uint32_t>(channels), 2);
    append_le(header, static_cast<std::uint32_t>(rate), 4);
    append_le(header, static_cast<std::uint32_t>(rate) * block_align, 4);
    append_le(header, block_align, 2);
    append_le(header, 16, 2);
    header += "data";
    append_le(header, data_bytes, 4);
    return header;
}

// A siren recording whose header promises 4 s but whose data stops after 1 s, as when a copy
// is interrupted.
std::string truncated_wav() {
    constexpr int kRate = 16000;
    Rng rng("siren/truncated_data.wav");
    Signal signal(kRate, 0.0);
    add_siren(signal, kRate, Span{0.1, 4.0}, 0.4, rng);
    add_background(signal, kRate, 0.008, 700.0, rng);
    std::string bytes = wav_header(kRate, 1, 4 * kRate * 2);
    for (const double v : signal) append_le(bytes, static_cast<std::uint32_t>(quantise(v, 32767.0)), 2);
    return bytes;
}

// An .m4a whose first box is a real `ftyp` (brand "M4A "), followed by an `mdat` of noise and
// no `moov`: it looks like AAC in MP4, which libsndfile cannot read.
std::string fake_m4a() {
    std::string bytes;
    append_be32(bytes, 32);
    bytes += "ftypM4A ";
    append_be32(bytes, 0);  // minor version
    bytes += "M4A mp42isom";
    append_be32(bytes, 0);
    constexpr std::uint32_t kPayload = 1536;
    append_be32(bytes, 8 + kPayload);
    bytes += "mdat";
    Rng rng("uploads/maria/voice_memo.m4a");
    for (std::uint32_t i = 0; i < kPayload; ++i) bytes += static_cast<char>(rng.next() >> 56);
    return bytes;
}

// What Finder leaves behind: the "Bud1" magic, padded to the size these files usually have.
std::string ds_store() {
    std::string bytes("\0\0\0\1Bud1", 8);
    bytes.resize(6148, '\0');
    return bytes;
}

// ---------------------------------------------------------------------------------------------
// The metadata sheet
// ---------------------------------------------------------------------------------------------

struct Recorder {
    std::string_view id;
    std::string_view device;
    std::string_view license;
};

constexpr Recorder kPixel7{"pixel-7", "Google Pixel 7", "CC-BY-4.0"};
constexpr Recorder kIphone13{"iphone-13", "Apple iPhone 13", "CC0-1.0"};
constexpr Recorder kZoomH5{"zoom-h5", "Zoom H5 (XYH-5 capsule)", "CC-BY-4.0"};
constexpr Recorder kGalaxyS21{"galaxy-s21", "Samsung Galaxy S21", "CC-BY-SA-4.0"};

struct SheetRow {
    std::string_view path;   // relative to the sheet's folder, or a bare file name
    std::string_view label;  // empty: keep the folder's label
    const Recorder* recorder;
    std::string_view recorded_at;
    std::string_view notes;
};

// Not every file has a row (dog/pixel7_003.wav and bird/pixel7_002.wav rely on their folder
// alone), and one row names a file that does not exist.
constexpr std::array kSheet = {
    SheetRow{"dog/pixel7_001.wav", "", &kPixel7, "2024-04-13T08:12:05+02:00",
             "neighbour's dog \"Rex\", through the window"},
    SheetRow{"dog/pixel7_002.wav", "", &kPixel7, "2024-04-13T08:14:40+02:00",
             "phone right next to the dog, clips"},
    SheetRow{"dog/pixel7_099.wav", "", &kPixel7, "2024-04-13T08:20:00+02:00",
             "listed but never uploaded"},
    SheetRow{"dog/iphone13_001.wav", "", &kIphone13, "2024-04-20T17:03:51+02:00", ""},
    SheetRow{"dog/iphone13_002.wav", "", &kIphone13, "2024-04-20T17:09:12+02:00", "two dogs"},
    SheetRow{"dog/zoomh5_001.wav", "", &kZoomH5, "2024-05-02T10:30:00+02:00", ""},
    SheetRow{"dog/zoomh5_002.flac", "", &kZoomH5, "2024-05-02T10:41:27+02:00", ""},
    SheetRow{"siren/pixel7_001.wav", "", &kPixel7, "2024-04-14T21:55:10+02:00", ""},
    SheetRow{"siren/pixel7_002.wav", "", &kPixel7, "2024-04-14T22:02:44+02:00",
             "external lavalier on a cheap USB-C adapter"},
    SheetRow{"siren/iphone13_003.wav", "", &kIphone13, "2024-04-21T08:15:00+02:00", ""},
    SheetRow{"siren/iphone13_006.wav", "", &kIphone13, "2024-04-27T19:44:31+02:00", ""},
    SheetRow{"siren/zoomh5_001.flac", "", &kZoomH5, "2024-05-02T11:02:19+02:00", ""},
    SheetRow{"siren/zoomh5_002.wav", "", &kZoomH5, "2024-05-02T11:10:03+02:00",
             "trimmed in Audacity, exported as 32-bit float"},
    SheetRow{"siren/zoomh5_003.wav", "", &kZoomH5, "2024-05-03T09:01:30+02:00", ""},
    SheetRow{"bird/pixel7_001.wav", "", &kPixel7, "2024-04-15T06:12:45+02:00", "dawn, Straße am Stadtpark"},
    SheetRow{"iphone13_004.wav", "", &kIphone13, "2024-04-21T06:40:02+02:00", "path left out by mistake"},
    SheetRow{"bird/iphone13_005.ogg", "", &kIphone13, "2024-04-21T06:47:18+02:00",
             "sent through a messenger app, re-encoded"},
    SheetRow{"bird/iphone13_007.wav", "", &kIphone13, "2024-04-28T07:05:55+02:00", ""},
    SheetRow{"bird/zoomh5_001.wav", "", &kZoomH5, "2024-05-03T05:58:00+02:00", ""},
    SheetRow{"bird/zoomh5_002.flac", "", &kZoomH5, "2024-05-03T06:20:41+02:00", "input gain far too low"},
    SheetRow{"long/park_walk.wav", "", &kZoomH5, "2024-05-04T15:00:00+02:00",
             "labelled in Audacity by anna and ben"},
    SheetRow{"uploads/maria/m_001.wav", "bird", &kGalaxyS21, "2024-05-05T07:31:09+02:00", ""},
    SheetRow{"uploads/maria/m_002.wav", "siren", &kGalaxyS21, "2024-05-05T18:02:56+02:00", ""},
    SheetRow{"uploads/maria/m_003.wav", "dog;siren", &kGalaxyS21, "2024-05-06T12:45:20+02:00",
             "dog barking at a passing ambulance"},
    SheetRow{"uploads/maria/copy_of_bark.wav", "dog", &kGalaxyS21, "2024-05-06T13:00:00+02:00",
             "from the group chat"},
    SheetRow{"uploads/maria/voice_memo.m4a", "bird", &kGalaxyS21, "2024-05-07T06:55:00+02:00",
             "Samsung Voice Recorder"},
};

std::string csv_field(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
    std::string quoted = "\"";
    for (const char c : value) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

// Written the way Excel saves "CSV UTF-8": a byte-order mark and CRLF line ends.
std::string sheet_csv() {
    std::string text = "\xEF\xBB\xBF" "path,label,recorder,device,license,recorded_at,notes\r\n";
    for (const SheetRow& row : kSheet) {
        const std::array fields = {row.path,          row.label,            row.recorder->id,
                                   row.recorder->device, row.recorder->license, row.recorded_at,
                                   row.notes};
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i > 0) text += ',';
            text += csv_field(fields[i]);
        }
        text += "\r\n";
    }
    return text;
}

// ---------------------------------------------------------------------------------------------
// The lake
// ---------------------------------------------------------------------------------------------

// Everything the generator writes lives under these entries; --force removes exactly these.
constexpr std::array<std::string_view, 7> kTopLevel = {"README.txt", "sheet.csv", "dog", "siren",
                                                       "bird",       "uploads",   "long"};

class Lake {
public:
    explicit Lake(fs::path root) : root_(std::move(root)) {}

    void write(std::string_view relative, std::string_view bytes) {
        write_bytes(prepare(relative), bytes);
    }
    void write_audio(std::string_view relative, Encoding encoding, int rate,
                     const std::vector<Signal>& channels) {
        write_sound_file(prepare(relative), encoding, rate, channels);
    }
    void copy(std::string_view from, std::string_view to) {
        fs::copy_file(root_ / from, prepare(to), fs::copy_options::overwrite_existing);
    }
    int files_written() const { return files_; }

private:
    fs::path prepare(std::string_view relative) {
        const fs::path path(relative);
        const std::string top = path.begin()->string();
        if (std::find(kTopLevel.begin(), kTopLevel.end(), top) == kTopLevel.end()) {
            // --force could not clean it up again: a programming error, not a user error.
            throw std::logic_error("generated path outside the known top-level entries: " + top);
        }
        const fs::path full = root_ / path;
        fs::create_directories(full.parent_path());
        ++files_;
        return full;
    }

    fs::path root_;
    int files_ = 0;
};

void write_recordings(Lake& lake) {
    for (const Recording& recording : kRecordings) {
        lake.write_audio(recording.path, recording.encoding, recording.rate, render(recording));
    }
    lake.copy(kDuplicateOf, kDuplicate);
}

void write_long_recording(Lake& lake) {
    lake.write_audio(kParkWalk, wav_pcm16, 16000, render_park_walk());
    lake.write("long/park_walk.anna.txt", audacity_track(anna_first_pass()));
    lake.write("long/park_walk.anna.2.txt", audacity_track(anna_second_pass()));
    lake.write("long/park_walk.ben.txt", audacity_track(ben_labels()));
}

void write_bad_files(Lake& lake) {
    lake.write("dog/empty.wav", "");
    lake.write("siren/cut_header.wav", wav_header(44100, 1, 44100 * 2).substr(0, 20));
    lake.write("bird/not_audio.wav", "bird recording from the lake shore\nupload failed, will redo tomorrow\n");
    lake.write("siren/truncated_data.wav", truncated_wav());
    lake.write("uploads/maria/voice_memo.m4a", fake_m4a());
}

void write_lake(Lake& lake) {
    lake.write("README.txt",
               "Example data lake generated by clipset's make_example_datalake: synthetic dog, siren and bird recordings.\n"
               "Labels come from folder names, sheet.csv and Audacity label tracks in long/; some files are broken on purpose.\n");
    write_recordings(lake);
    write_long_recording(lake);
    write_bad_files(lake);
    lake.write("dog/.DS_Store", ds_store());
    lake.write("sheet.csv", sheet_csv());
}

// Refuses to mix the lake with other files unless asked; with --force it removes only what a
// previous run generated, so a mistyped OUTDIR cannot wipe unrelated data.
void prepare_outdir(const fs::path& outdir, bool force) {
    if (fs::exists(outdir)) {
        if (!fs::is_directory(outdir)) throw PathError(outdir, "exists and is not a directory");
        if (!fs::is_empty(outdir)) {
            if (!force) throw PathError(outdir, "directory is not empty (use --force to regenerate the lake)");
            for (const std::string_view entry : kTopLevel) fs::remove_all(outdir / entry);
        }
    }
    fs::create_directories(outdir);
}

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

struct Options {
    fs::path outdir;
    bool force = false;
};

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void print_usage_line(std::ostream& out) { out << "usage: " << kProgram << " [--force] OUTDIR\n"; }

void print_help(std::ostream& out) {
    print_usage_line(out);
    out << "Writes the deterministic example data lake (audio, sheet.csv, Audacity labels, bad files)\n"
        << "into OUTDIR. OUTDIR must be empty or missing; --force first removes what an earlier run\n"
        << "generated there.\n";
}

// Returns nothing when --help was given.
std::optional<Options> parse_arguments(int argc, char** argv) {
    Options options;
    bool have_outdir = false;
    bool options_done = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (!options_done && (arg == "-h" || arg == "--help")) return std::nullopt;
        if (!options_done && arg == "--force") {
            options.force = true;
        } else if (!options_done && arg == "--") {
            options_done = true;
        } else if (!options_done && arg.size() > 1 && arg.front() == '-') {
            throw UsageError("unknown option '" + std::string(arg) + "'");
        } else if (have_outdir) {
            throw UsageError("more than one OUTDIR given");
        } else {
            options.outdir = arg;
            have_outdir = true;
        }
    }
    if (!have_outdir) throw UsageError("missing OUTDIR");
    return options;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const std::optional<Options> options = parse_arguments(argc, argv);
        if (!options) {
            print_help(std::cout);
            return 0;
        }
        prepare_outdir(options->outdir, options->force);
        Lake lake(options->outdir);
        write_lake(lake);
        std::cerr << kProgram << ": wrote " << lake.files_written() << " files to "
                  << options->outdir.string() << "\n";
        return 0;
    } catch (const UsageError& e) {
        std::cerr << kProgram << ": " << e.what() << "\n";
        print_usage_line(std::cerr);
        return 2;
    } catch (const fs::filesystem_error& e) {
        std::cerr << kProgram << ": " << e.path1().string() << ": " << e.code().message() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << kProgram << ": " << e.what() << "\n";
        return 1;
    }
}
