#include "clipset/hash.hpp"

#include <openssl/evp.h>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clipset/error.hpp"
#include "clipset/paths.hpp"

namespace clipset {

namespace {

[[noreturn]] void throw_openssl(const char* what) {
  throw Error(ErrorKind::internal, "sha256", std::string("openssl ") + what + " failed");
}

void init(EVP_MD_CTX* ctx) {
  if (EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) throw_openssl("digest init");
}

// Closes the descriptor however sha256_file leaves.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() { ::close(fd_); }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

constexpr std::size_t kBlockSize = std::size_t{1} << 20;

}  // namespace

struct Sha256::Context {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> owner{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  EVP_MD_CTX* ctx = owner.get();
  Context() {
    if (ctx == nullptr) throw_openssl("context allocation");
    init(ctx);
  }
};

Sha256::Sha256() : ctx_(std::make_unique<Context>()) {}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(const void* data, std::size_t size) {
  if (!ctx_) ctx_ = std::make_unique<Context>();  // a moved-from object starts afresh
  if (EVP_DigestUpdate(ctx_->ctx, data, size) != 1) throw_openssl("digest update");
}

std::string Sha256::hex_digest() {
  if (!ctx_) ctx_ = std::make_unique<Context>();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx_->ctx, digest, &length) != 1) throw_openssl("digest final");
  init(ctx_->ctx);  // ready for the next hash
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(2 * std::size_t{length}, '0');
  for (unsigned int i = 0; i < length; ++i) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 0xf];
  }
  return out;
}

FileDigest sha256_file(const std::filesystem::path& path) {
  int raw = -1;
  do {
    raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);  // a FIFO must not block here
  } while (raw < 0 && errno == EINTR);
  if (raw < 0) throw_io(path.string(), errno_reason(errno));
  const FileDescriptor fd(raw);

  // open() succeeds on a folder, a FIFO or a device; hash regular files only (/dev/zero never ends).
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) throw_io(path.string(), errno_reason(errno));
  if (S_ISDIR(info.st_mode)) throw_io(path.string(), errno_reason(EISDIR));
  if (const std::string kind = non_regular_kind(info.st_mode); !kind.empty()) {
    throw_data(path.string(), "not a regular file (" + kind + ")");
  }
  (void)::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);  // only a hint

  const auto buffer = std::make_unique_for_overwrite<unsigned char[]>(kBlockSize);
  Sha256 hash;
  FileDigest result;
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer.get(), kBlockSize);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io(path.string(), errno_reason(errno));
    }
    if (n == 0) break;
    hash.update(buffer.get(), static_cast<std::size_t>(n));
    result.bytes += static_cast<std::uint64_t>(n);
  }
  result.sha256 = hash.hex_digest();
  return result;
}

std::string sha256_hex(std::string_view text) {
  Sha256 hash;
  hash.update(text);
  return hash.hex_digest();
}

}  // namespace clipset
