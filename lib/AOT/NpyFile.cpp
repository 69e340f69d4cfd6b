//===- NpyFile.cpp - .npy files without LLVM ------------------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The format: "\x93NUMPY", major and minor version bytes, a little-endian
// header length (2 bytes in 1.0, 4 bytes in 2.0/3.0), then an ASCII Python
// dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and a newline, then the raw data.
//
//===----------------------------------------------------------------------===//

#include "flow/AOT/NpyFile.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace mlir::flow::aot;

int64_t mlir::flow::aot::checkedElementCount(
    const std::vector<int64_t> &shape) {
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0 || __builtin_mul_overflow(count, d, &count))
      return -1;
  }
  return count;
}

int64_t Array::numElements() const {
  int64_t n = checkedElementCount(dims);
  return n < 0 ? 0 : n;
}

std::optional<Array> Array::allocate(ElementType type,
                                     const std::vector<int64_t> &shape) {
  int64_t count = checkedElementCount(shape);
  int64_t bytes;
  if (count < 0 ||
      __builtin_mul_overflow(count,
                             static_cast<int64_t>(elementTypeSize(type)),
                             &bytes) ||
      bytes > (int64_t(1) << 46))
    return std::nullopt;
  size_t rounded = (static_cast<size_t>(bytes) + 63) / 64 * 64;
  if (rounded == 0)
    rounded = 64;
  void *p = std::aligned_alloc(64, rounded);
  if (!p)
    return std::nullopt;
  std::memset(p, 0, rounded);
  return adopt(type, shape, p, std::free);
}

Array Array::adopt(ElementType type, std::vector<int64_t> shape, void *data,
                   void (*release)(void *)) {
  Array array;
  array.elementType = type;
  array.dims = std::move(shape);
  array.storage = std::unique_ptr<void, ArrayDeleter>(data, ArrayDeleter(release));
  return array;
}

static float bf16ToFloat(uint16_t v) {
  uint32_t bits = static_cast<uint32_t>(v) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

static uint16_t floatToBf16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  if ((bits & 0x7fffffff) > 0x7f800000)
    return static_cast<uint16_t>((bits >> 16) | 0x40);
  uint32_t rounding = 0x7fff + ((bits >> 16) & 1);
  return static_cast<uint16_t>((bits + rounding) >> 16);
}

double Array::get(int64_t i) const {
  const char *p = static_cast<const char *>(data());
  switch (elementType) {
  case ElementType::F16:
    return static_cast<double>(reinterpret_cast<const _Float16 *>(p)[i]);
  case ElementType::BF16:
    return bf16ToFloat(reinterpret_cast<const uint16_t *>(p)[i]);
  case ElementType::F32:
    return reinterpret_cast<const float *>(p)[i];
  case ElementType::F64:
    return reinterpret_cast<const double *>(p)[i];
  }
  return 0;
}

void Array::set(int64_t i, double v) {
  char *p = static_cast<char *>(data());
  switch (elementType) {
  case ElementType::F16:
    reinterpret_cast<_Float16 *>(p)[i] = static_cast<_Float16>(v);
    return;
  case ElementType::BF16:
    reinterpret_cast<uint16_t *>(p)[i] = floatToBf16(static_cast<float>(v));
    return;
  case ElementType::F32:
    reinterpret_cast<float *>(p)[i] = static_cast<float>(v);
    return;
  case ElementType::F64:
    reinterpret_cast<double *>(p)[i] = v;
    return;
  }
}

namespace {

std::nullopt_t fail(std::string &error, const std::string &name,
                    const std::string &what) {
  error = name + ": " + what;
  return std::nullopt;
}

std::string trimLeft(const std::string &s) {
  size_t i = s.find_first_not_of(" \t\r\n");
  return i == std::string::npos ? "" : s.substr(i);
}

std::string trim(const std::string &s) {
  std::string t = trimLeft(s);
  size_t j = t.find_last_not_of(" \t\r\n");
  return j == std::string::npos ? "" : t.substr(0, j + 1);
}

/// The text after `'key':` in the header dict, trimmed; false if absent.
bool dictValue(const std::string &header, const std::string &key,
               std::string &value) {
  std::string quoted = "'" + key + "'";
  size_t at = header.find(quoted);
  if (at == std::string::npos)
    return false;
  std::string rest = trimLeft(header.substr(at + quoted.size()));
  if (rest.empty() || rest[0] != ':')
    return false;
  value = trimLeft(rest.substr(1));
  return true;
}

bool startsWith(const std::string &s, const char *prefix) {
  return s.compare(0, std::strlen(prefix), prefix) == 0;
}

} // namespace

std::optional<Array> mlir::flow::aot::parseNpy(const std::string &bytes,
                                               const std::string &name,
                                               std::string &error) {
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
    return fail(error, name, "not a .npy file (bad magic string)");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) |
                (static_cast<unsigned char>(bytes[9]) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fail(error, name, "truncated .npy header");
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = (headerLen << 8) | static_cast<unsigned char>(bytes[8 + i]);
    headerStart = 12;
  } else {
    return fail(error, name,
                "unsupported .npy format version " + std::to_string(major));
  }
  if (headerLen > bytes.size() - headerStart)
    return fail(error, name, "truncated .npy header");
  std::string header = bytes.substr(headerStart, headerLen);

  std::string descr;
  if (!dictValue(header, "descr", descr) || descr.size() < 2 ||
      descr[0] != '\'')
    return fail(error, name, "malformed .npy header: no 'descr'");
  std::string type = descr.substr(1, descr.find('\'', 1) - 1);
  ElementType elementType;
  if (type == "<f2")
    elementType = ElementType::F16;
  else if (type == "<f4")
    elementType = ElementType::F32;
  else if (type == "<f8")
    elementType = ElementType::F64;
  else
    return fail(error, name,
                "unsupported dtype '" + type +
                    "' (expected little-endian float16, float32 or float64)");

  std::string fortran;
  if (!dictValue(header, "fortran_order", fortran))
    return fail(error, name, "malformed .npy header: no 'fortran_order'");
  if (startsWith(fortran, "True"))
    return fail(error, name,
                "Fortran-ordered arrays are not supported; save a "
                "C-contiguous array");
  if (!startsWith(fortran, "False"))
    return fail(error, name, "malformed .npy header: bad 'fortran_order'");

  std::string shapeText;
  if (!dictValue(header, "shape", shapeText) || shapeText.empty() ||
      shapeText[0] != '(')
    return fail(error, name, "malformed .npy header: no 'shape'");
  size_t close = shapeText.find(')');
  if (close == std::string::npos)
    return fail(error, name, "malformed .npy header: unterminated 'shape'");
  std::vector<int64_t> shape;
  std::string inner = shapeText.substr(1, close - 1);
  size_t start = 0;
  while (start <= inner.size()) {
    size_t comma = inner.find(',', start);
    std::string part = trim(inner.substr(
        start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!part.empty()) {
      char *end = nullptr;
      errno = 0;
      long long dim = std::strtoll(part.c_str(), &end, 10);
      if (*end || errno || dim < 0 || part[0] == '+' || part[0] == '-')
        return fail(error, name,
                    "malformed .npy header: bad dimension '" + part + "'");
      shape.push_back(dim);
    }
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  int64_t count = checkedElementCount(shape);
  if (count < 0)
    return fail(error, name, "array size overflows");
  size_t dataStart = headerStart + headerLen;
  uint64_t expected;
  if (__builtin_mul_overflow(static_cast<uint64_t>(count),
                             elementTypeSize(elementType), &expected))
    return fail(error, name, "array size overflows");
  uint64_t available = bytes.size() - dataStart;
  if (available < expected)
    return fail(error, name,
                "truncated .npy data: expected " + std::to_string(expected) +
                    " bytes, found " + std::to_string(available));
  if (available > expected)
    return fail(error, name,
                "trailing bytes after the .npy data (expected " +
                    std::to_string(expected) + " bytes, found " +
                    std::to_string(available) + ")");
  std::optional<Array> array = Array::allocate(elementType, shape);
  if (!array)
    return fail(error, name,
                "cannot allocate " + std::to_string(expected) + " bytes");
  if (expected)
    std::memcpy(array->data(), bytes.data() + dataStart, expected);
  return array;
}

std::optional<Array> mlir::flow::aot::readNpy(const std::string &path,
                                              std::string &error) {
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode))
    return fail(error, path, "is a directory, not a .npy file");
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    return fail(error, path, std::string("cannot open: ") +
                                 std::strerror(errno));
  std::string bytes;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), f)) > 0)
    bytes.append(buffer, n);
  bool failed = std::ferror(f);
  std::fclose(f);
  if (failed)
    return fail(error, path, "read failed");
  return parseNpy(bytes, path, error);
}

std::string mlir::flow::aot::writeNpyTemporary(const std::string &path,
                                               const Array &array,
                                               std::string &error) {
  const char *descr;
  switch (array.type()) {
  case ElementType::F16:
    descr = "<f2";
    break;
  case ElementType::F32:
    descr = "<f4";
    break;
  case ElementType::F64:
    descr = "<f8";
    break;
  default:
    error = path + ": bfloat16 has no .npy dtype; cannot write it";
    return "";
  }
  std::string header = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': (";
  const std::vector<int64_t> &shape = array.shape();
  for (size_t d = 0; d < shape.size(); ++d)
    header += (d ? ", " : "") + std::to_string(shape[d]);
  if (shape.size() == 1)
    header += ",";
  header += "), }";
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');

  std::string temporary = path + ".tmp-XXXXXX";
  std::vector<char> name(temporary.begin(), temporary.end());
  name.push_back(0);
  int fd = ::mkstemp(name.data());
  if (fd < 0) {
    error = path + ": cannot create: " + std::strerror(errno);
    return "";
  }
  temporary = name.data();
  ::fchmod(fd, 0644);
  std::string prefix = std::string("\x93NUMPY") + char(1) + char(0) +
                       char(header.size() & 0xff) +
                       char((header.size() >> 8) & 0xff) + header;
  auto writeAll = [&](const char *p, size_t size) {
    while (size > 0) {
      ssize_t w = ::write(fd, p, size);
      if (w < 0) {
        if (errno == EINTR)
          continue;
        return false;
      }
      p += w;
      size -= w;
    }
    return true;
  };
  bool ok = writeAll(prefix.data(), prefix.size()) &&
            writeAll(static_cast<const char *>(array.data()),
                     array.sizeInBytes());
  int savedErrno = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    savedErrno = errno;
  }
  if (!ok) {
    ::unlink(temporary.c_str());
    error = path + ": write failed: " + std::strerror(savedErrno);
    return "";
  }
  return temporary;
}

bool mlir::flow::aot::commitNpy(const std::string &temporary,
                                const std::string &path, std::string &error) {
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    error = path + ": cannot write: " + std::strerror(errno);
    ::unlink(temporary.c_str());
    return false;
  }
  return true;
}
