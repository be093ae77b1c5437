// Tar shards through libarchive, written into an AtomicOutput.

#include "tar_writer.hpp"

#include <archive.h>
#include <archive_entry.h>

#include "clipset/error.hpp"

namespace clipset::detail {

namespace {

la_ssize_t write_callback(struct archive*, void* out, const void* data, size_t size) {
  auto* output = static_cast<AtomicOutput*>(out);
  output->stream().write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  return output->stream() ? static_cast<la_ssize_t>(size) : -1;
}

}  // namespace

struct TarWriter::State {
  std::string display;
  AtomicOutput output;
  struct archive* archive = nullptr;
  explicit State(const std::filesystem::path& file) : display(file.string()), output(file.string(), false) {}
  ~State() {
    if (archive) archive_write_free(archive);
  }
  [[noreturn]] void fail(const char* what) {
    throw_output(display, std::string(what) + ": " + (archive && archive_error_string(archive) ? archive_error_string(archive) : "write failed"));
  }
};

TarWriter::TarWriter(const std::filesystem::path& file, bool long_names) : state_(std::make_unique<State>(file)) {
  state_->archive = archive_write_new();
  if (!state_->archive) throw_output(state_->display, "cannot start a tar archive (out of memory)");
  // No padding of the last block.
  const int format = long_names ? archive_write_set_format_pax_restricted(state_->archive) : archive_write_set_format_ustar(state_->archive);
  // Blocks of 1 MiB reach the file in few writes (tar's 10 KiB would make 100 times as many).
  if (format != ARCHIVE_OK || archive_write_set_bytes_per_block(state_->archive, 1 << 20) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(state_->archive, 1) != ARCHIVE_OK ||
      archive_write_open(state_->archive, &state_->output, nullptr, write_callback, nullptr) != ARCHIVE_OK) {
    state_->fail("cannot start a tar archive");
  }
}

TarWriter::~TarWriter() = default;

void TarWriter::add(const std::string& name, std::string_view bytes) {
  struct archive_entry* entry = archive_entry_new();
  archive_entry_set_pathname(entry, name.c_str());
  archive_entry_set_size(entry, static_cast<la_int64_t>(bytes.size()));
  archive_entry_set_filetype(entry, AE_IFREG);
  archive_entry_set_perm(entry, 0644);
  archive_entry_set_mtime(entry, 0, 0);
  const bool ok = archive_write_header(state_->archive, entry) == ARCHIVE_OK &&
                  archive_write_data(state_->archive, bytes.data(), bytes.size()) == static_cast<la_ssize_t>(bytes.size());
  archive_entry_free(entry);
  if (!ok) state_->fail(("cannot add " + name).c_str());
}

void TarWriter::commit() {
  if (archive_write_close(state_->archive) != ARCHIVE_OK) state_->fail("cannot finish the tar archive");
  state_->output.commit();
}

std::uint64_t TarWriter::member_size(const std::string& name, std::uint64_t bytes) {
  // A name over ustar's 100 bytes costs a pax header (a block and its data block) before it.
  const std::uint64_t headers = name.size() > kUstarNameMax ? 3 * 512 : 512;
  return headers + (bytes + 511) / 512 * 512;
}

}  // namespace clipset::detail
