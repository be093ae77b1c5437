#pragma once
// A tar file written with libarchive (plain ustar, or POSIX pax when a member name is longer than
// ustar allows),
// appearing atomically: members are streamed into a temporary file renamed into place by
// commit(). Member metadata is fixed (mode 0644, owner 0, time 0), so the same members give
// byte-identical shards.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "clipset/manifest.hpp"

namespace clipset::detail {

class TarWriter {
 public:
  // long_names: some member name is longer than kUstarNameMax bytes (pax headers carry it).
  // Plain ustar is much cheaper for libarchive to write. Throws OutputError.
  TarWriter(const std::filesystem::path& file, bool long_names);
  ~TarWriter();
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;

  void add(const std::string& name, std::string_view bytes);  // throws OutputError
  // Ends the archive and renames it into place. Throws OutputError.
  void commit();

  // The bytes a member adds to a tar: its header block(s) and its data padded to 512 bytes.
  static std::uint64_t member_size(const std::string& name, std::uint64_t bytes);
  static constexpr std::uint64_t kEndBytes = 1024;  // two zero blocks end the archive
  static constexpr std::size_t kUstarNameMax = 99;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace clipset::detail
