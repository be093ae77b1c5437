// Blocks of whole manifest lines: a regular file through mmap (no copy; pages behind the reader
// released so that memory stays flat), anything else through read() into one reused buffer.

#include "clipset/manifest_blocks.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace clipset {

namespace {

constexpr std::size_t kBlockBytes = std::size_t{32} << 20;  // read at once; bounds memory

// The end of the block starting at `text`: about kBlockBytes, at a line end (a line longer than
// the block makes the block that line).
std::size_t block_end(std::string_view text) {
  if (text.size() <= kBlockBytes) return text.size();
  const auto newline = text.find('\n', kBlockBytes);
  return newline == std::string_view::npos ? text.size() : newline + 1;
}

}  // namespace

struct ManifestBlocks::Source {
  virtual ~Source() = default;
  virtual std::string_view next(const std::string& name) = 0;
};

namespace {

class MappedFile : public ManifestBlocks::Source {
 public:
  MappedFile(void* base, std::size_t size) : base_(base), text_(static_cast<const char*>(base), size) {
    ::madvise(base_, size, MADV_SEQUENTIAL);
  }
  ~MappedFile() override { ::munmap(base_, text_.size()); }

  std::string_view next(const std::string&) override {
    release_behind();
    const std::string_view rest = text_.substr(at_);
    const std::string_view block = rest.substr(0, block_end(rest));
    at_ += block.size();
    return block;
  }

 private:
  // Pages the reader has passed are dropped from memory (they are clean: the file still has them).
  void release_behind() {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t end = at_ / page * page;
    if (end > released_) ::madvise(static_cast<char*>(base_) + released_, end - released_, MADV_DONTNEED);
    released_ = std::max(released_, end);
  }

  void* base_;
  std::string_view text_;
  std::size_t at_ = 0;
  std::size_t released_ = 0;
};

class StreamSource : public ManifestBlocks::Source {
 public:
  explicit StreamSource(std::istream& in) : in_(in) {}

  std::string_view next(const std::string& name) override {
    buffer_.swap(carry_);
    carry_.clear();
    while (!at_end_) {
      if (!fill(name)) break;
      const auto newline = buffer_.rfind('\n');
      if (newline != std::string::npos) {
        carry_.assign(buffer_, newline + 1);
        buffer_.resize(newline + 1);
        return buffer_;
      }
      // No line end yet: one long line. Past the limit, keep its first bytes and skip the rest.
      if (buffer_.size() > kMaxManifestLineBytes) skip_rest_of_line(name);
    }
    return buffer_;
  }

 private:
  // Reads up to kBlockBytes more; false at the end of input.
  bool fill(const std::string& name) {
    const std::size_t had = buffer_.size();
    buffer_.resize(had + kBlockBytes);
    in_.read(buffer_.data() + had, static_cast<std::streamsize>(kBlockBytes));
    const auto got = static_cast<std::size_t>(in_.gcount());
    buffer_.resize(had + got);
    if (in_.bad()) throw_io(name, "read error");
    at_end_ = got < kBlockBytes;
    return got > 0;
  }

  void skip_rest_of_line(const std::string& name) {
    buffer_.resize(kMaxManifestLineBytes + 1);
    for (char c; in_.get(c);) {
      if (c == '\n') {
        buffer_ += '\n';
        return;
      }
    }
    if (in_.bad()) throw_io(name, "read error");
    at_end_ = true;
  }

  std::istream& in_;
  std::string buffer_;
  std::string carry_;  // the start of a line the next block completes
  bool at_end_ = false;
};

// The input as a mapped regular file, or nullptr when it is not one (stdin, a pipe, empty).
std::unique_ptr<ManifestBlocks::Source> map_file(const std::string& path) {
  if (path == "-") return nullptr;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st {};
  void* base = MAP_FAILED;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    base = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  }
  ::close(fd);
  if (base == MAP_FAILED) return nullptr;
  return std::make_unique<MappedFile>(base, static_cast<std::size_t>(st.st_size));
}

}  // namespace

ManifestBlocks::ManifestBlocks(InputFile& input) : name_(input.display_name()) {
  source_ = map_file(input.path());
  if (!source_) source_ = std::make_unique<StreamSource>(input.stream());
}

ManifestBlocks::ManifestBlocks(std::istream& in, std::string display_name)
    : source_(std::make_unique<StreamSource>(in)), name_(std::move(display_name)) {}

ManifestBlocks::~ManifestBlocks() = default;

std::string_view ManifestBlocks::next() {
  const std::string_view block = source_->next(name_);
  bytes_read_ += block.size();
  return block;
}

std::vector<std::string_view> chunks_at_line_ends(std::string_view block, std::size_t bytes) {
  std::vector<std::string_view> chunks;
  while (!block.empty()) {
    std::size_t end = block.size();
    if (block.size() > bytes) {
      const auto newline = block.find('\n', bytes);
      if (newline != std::string_view::npos) end = newline + 1;
    }
    chunks.push_back(block.substr(0, end));
    block.remove_prefix(end);
  }
  return chunks;
}

std::size_t for_each_manifest_line(std::string_view chunk, const std::function<void(std::string_view, std::size_t)>& line) {
  std::size_t number = 0;
  while (!chunk.empty()) {
    const auto newline = chunk.find('\n');
    std::string_view text = chunk.substr(0, newline);
    chunk.remove_prefix(newline == std::string_view::npos ? chunk.size() : newline + 1);
    ++number;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    line(text, number);
  }
  return number;
}

}  // namespace clipset
