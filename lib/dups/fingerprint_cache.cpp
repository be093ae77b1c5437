// One file per recording: "clipset fingerprint 2", the definition, the seconds, the count of
// values and of short-sound frames on text lines, then the values as little-endian 32-bit words,
// then (short recordings) the spectrogram cells and the shape as bytes. Small files written atomically let
// runs at once, and shards on several machines, fill one folder without a merge step.

#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "clipset/dups.hpp"
#include "clipset/error.hpp"
#include "clipset/hash.hpp"
#include "clipset/manifest.hpp"

namespace clipset {

namespace {

constexpr const char* kMagic = "clipset fingerprint 2";
constexpr std::size_t kMaxValues = std::size_t{1} << 26;  // 90 days of audio: anything more is damage

bool is_sha256_hex(const std::string& text) {
  if (text.size() != 64) return false;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string header_text(const AudioFingerprint& print) {
  std::ostringstream header;
  header.precision(17);
  header << kMagic << "\n"
         << fingerprint_definition() << "\nseconds " << print.seconds << "\ncount " << print.values.size() << "\nshort "
         << print.spectrogram.frames << "\n";
  return header.str();
}

std::uint32_t read_le32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<std::uint32_t>(u[0]) | static_cast<std::uint32_t>(u[1]) << 8 | static_cast<std::uint32_t>(u[2]) << 16 |
         static_cast<std::uint32_t>(u[3]) << 24;
}

std::optional<AudioFingerprint> parse(const std::string& bytes) {
  std::istringstream in(bytes);
  std::string magic, definition, seconds_word, count_word;
  AudioFingerprint print;
  std::size_t count = 0, frames = 0;
  std::string short_word;
  if (!std::getline(in, magic) || magic != kMagic) return std::nullopt;
  if (!std::getline(in, definition) || definition != fingerprint_definition()) return std::nullopt;
  if (!(in >> seconds_word >> print.seconds) || seconds_word != "seconds" || !(print.seconds >= 0)) return std::nullopt;
  if (!(in >> count_word >> count) || count_word != "count" || count > kMaxValues) return std::nullopt;
  if (!(in >> short_word >> frames) || short_word != "short" || frames > kMaxValues || in.get() != '\n') return std::nullopt;
  const auto at = static_cast<std::size_t>(in.tellg());
  const std::size_t cells = frames * kShortBands;
  if (bytes.size() != at + 4 * count + (frames > 0 ? cells + kShortBands : 0)) return std::nullopt;
  print.values.resize(count);
  for (std::size_t k = 0; k < count; ++k) print.values[k] = read_le32(bytes.data() + at + 4 * k);
  if (frames > 0) {
    const char* p = bytes.data() + at + 4 * count;
    print.spectrogram.frames = frames;
    print.spectrogram.cells.assign(reinterpret_cast<const std::int8_t*>(p), reinterpret_cast<const std::int8_t*>(p + cells));
    std::memcpy(print.spectrogram.shape.data(), p + cells, kShortBands);
  }
  return print;
}

}  // namespace

FingerprintCache::FingerprintCache(std::filesystem::path dir) {
  if (!dir.empty()) folder_ = dir / sha256_hex(fingerprint_definition()).substr(0, 16);
}

std::filesystem::path FingerprintCache::file_of(const std::string& sha256) const {
  return folder_ / sha256.substr(0, 2) / (sha256 + ".fp");
}

std::optional<AudioFingerprint> FingerprintCache::load(const std::string& sha256) const {
  if (!enabled() || !is_sha256_hex(sha256)) return std::nullopt;
  std::ifstream in(file_of(sha256), std::ios::binary);
  if (!in) return std::nullopt;
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse(bytes);
}

void FingerprintCache::store(const std::string& sha256, const AudioFingerprint& print) const {
  if (!enabled() || !is_sha256_hex(sha256)) return;
  const auto file = file_of(sha256);
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) throw_io(file.parent_path().string(), ec.message());
  std::string bytes = header_text(print);
  for (const std::uint32_t v : print.values) {
    const char word[4] = {static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff), static_cast<char>((v >> 16) & 0xff),
                          static_cast<char>(v >> 24)};
    bytes.append(word, 4);
  }
  if (print.spectrogram.frames > 0) {
    bytes.append(reinterpret_cast<const char*>(print.spectrogram.cells.data()), print.spectrogram.cells.size());
    bytes.append(reinterpret_cast<const char*>(print.spectrogram.shape.data()), kShortBands);
  }
  AtomicOutput out(file.string(), false);
  out.stream() << bytes;
  out.commit();
}

}  // namespace clipset
