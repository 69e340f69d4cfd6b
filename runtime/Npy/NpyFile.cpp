//===- NpyFile.cpp - .npy files -------------------------------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Npy/NpyFile.h"
#include "flow/Npy/NpyFormat.h"

#include <atomic>
#include <cerrno>
#include <string>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace mlir::flow::npy;

static std::string errnoText(const char *what, int errorNumber) {
  return std::string(what) + ": " + std::strerror(errorNumber);
}

/// Reads everything left in `fd`; false (errno set) on a read error.
static bool readAll(int fd, std::string &bytes) {
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n == 0)
      return true;
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    bytes.append(buffer, n);
  }
}

/// Writes all `size` bytes at `p` to `fd`; false (errno set) on failure.
static bool writeAll(int fd, const char *p, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    p += n;
    size -= n;
  }
  return true;
}

std::optional<Array> mlir::flow::npy::readNpy(const std::string &path,
                                              std::string &error) {
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    error = path + ": is a directory, not a .npy file";
    return std::nullopt;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = path + ": " + errnoText("cannot open", errno);
    return std::nullopt;
  }
  // A regular file is mapped, so that its data is copied only once: into
  // the array. Anything else (a pipe, say) is read.
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
    size_t size = static_cast<size_t>(info.st_size);
    void *map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map != MAP_FAILED) {
      ::close(fd);
      std::optional<Array> array = parseNpy(
          std::string_view(static_cast<const char *>(map), size), path, error);
      ::munmap(map, size);
      return array;
    }
  }
  std::string bytes;
  bool ok = readAll(fd, bytes);
  int savedErrno = errno;
  ::close(fd);
  if (!ok) {
    error = path + ": " + errnoText("read failed", savedErrno);
    return std::nullopt;
  }
  return parseNpy(bytes, path, error);
}

std::string mlir::flow::npy::writeNpyTemporary(const std::string &path,
                                               const Array &array,
                                               std::string &error) {
  std::optional<std::string> prefix = npyPrefix(array.type(), array.shape());
  if (!prefix) {
    error = path + ": bfloat16 has no .npy dtype; cannot write it";
    return "";
  }
  // A fresh name next to the result (so that the rename stays on one file
  // system), created with mode 0666 so that the user's umask decides the
  // permissions, as for any other file a tool writes (mkstemp would force
  // 0600).
  static std::atomic<unsigned> counter{0};
  std::string temporary;
  int fd = -1;
  for (int attempt = 0; attempt < 64 && fd < 0; ++attempt) {
    temporary = path + ".tmp-" + std::to_string(::getpid()) + "-" +
                std::to_string(counter++);
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                0666);
    if (fd < 0 && errno != EEXIST)
      break;
  }
  if (fd < 0) {
    error = path + ": " + errnoText("cannot create", errno);
    return "";
  }
  bool ok = writeAll(fd, prefix->data(), prefix->size()) &&
            writeAll(fd, static_cast<const char *>(array.data()),
                     array.sizeInBytes());
  int savedErrno = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    savedErrno = errno;
  }
  if (!ok) {
    ::unlink(temporary.c_str());
    error = path + ": " + errnoText("write failed", savedErrno);
    return "";
  }
  return temporary;
}

bool mlir::flow::npy::commitNpy(const std::string &temporary,
                                const std::string &path, std::string &error) {
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    error = path + ": " + errnoText("cannot write", errno);
    ::unlink(temporary.c_str());
    return false;
  }
  return true;
}
