// The hash method: a group's split depends on its key alone, so adding data never moves an
// existing group. The rule is TensorFlow Speech Commands' which_set(), so that published split
// can be reproduced exactly (tests/data/speech_commands_which_set.json).

#include <openssl/evp.h>

#include <cmath>

#include "clipset/error.hpp"
#include "clipset/split.hpp"
#include "partition.hpp"

namespace clipset {

namespace {

// MAX_NUM_WAVS_PER_CLASS in input_data.py: the modulus is 2^27, the scale 2^27 - 1 (sic).
constexpr std::uint32_t kMaxPerClass = (1u << 27) - 1;

}  // namespace

std::uint32_t name_hash(std::string_view name) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(name.data(), name.size(), digest, &size, EVP_sha1(), nullptr) != 1 || size != 20) {
    throw Error(ErrorKind::internal, "sha1", "digest failed");
  }
  // The digest as a big-endian number modulo 2^27: its last four bytes, masked.
  const std::uint32_t tail = (static_cast<std::uint32_t>(digest[16]) << 24) | (static_cast<std::uint32_t>(digest[17]) << 16) |
                             (static_cast<std::uint32_t>(digest[18]) << 8) | static_cast<std::uint32_t>(digest[19]);
  return tail & kMaxPerClass;
}

double hash_percentage(std::uint32_t hash) {
  return static_cast<double>(hash) * (100.0 / static_cast<double>(kMaxPerClass));
}

std::size_t hash_part(double percentage, const std::vector<double>& ratios) {
  // Band edges in percent, rounded to 1e-9 so that "10,10,80" gives exactly 10 and 20, as the
  // published rule compares with whole percentages (hashes are 7.5e-7 percent apart).
  double cumulative = 0;
  for (std::size_t j = 0; j + 1 < ratios.size(); ++j) {
    cumulative += ratios[j];
    const double edge = std::round(cumulative * 100.0 * 1e9) / 1e9;
    if (percentage < edge) return j;
  }
  // The top of the range (100 itself) belongs to the last part that takes anything.
  for (std::size_t j = ratios.size(); j > 0; --j) {
    if (ratios[j - 1] > 0) return j - 1;
  }
  return 0;
}

std::string nohash_name(std::string_view value) {
  const auto slash = value.rfind('/');
  std::string_view base = slash == std::string_view::npos ? value : value.substr(slash + 1);
  const auto cut = base.find("_nohash_");
  if (cut != std::string_view::npos) base = base.substr(0, cut);
  return std::string(base);
}

}  // namespace clipset
