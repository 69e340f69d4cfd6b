//===- NpyFormat.cpp - The .npy file format -------------------------------===//
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

#include "flow/Npy/NpyFormat.h"

#include <cstring>

using namespace mlir::flow::npy;

namespace {

constexpr std::string_view kMagic("\x93NUMPY", 6);
constexpr std::string_view kSpaces = " \t\n\v\f\r";

std::nullopt_t fail(std::string &error, std::string_view name,
                    const std::string &what) {
  error = std::string(name) + ": " + what;
  return std::nullopt;
}

std::string_view ltrim(std::string_view s) {
  size_t i = s.find_first_not_of(kSpaces);
  return i == std::string_view::npos ? std::string_view() : s.substr(i);
}

std::string_view trim(std::string_view s) {
  s = ltrim(s);
  return s.substr(0, s.find_last_not_of(kSpaces) + 1);
}

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

/// The text after `'key':` in the header dict, left-trimmed.
std::optional<std::string_view> dictValue(std::string_view header,
                                          std::string_view key) {
  std::string quoted = "'" + std::string(key) + "'";
  size_t at = header.find(quoted);
  if (at == std::string_view::npos)
    return std::nullopt;
  std::string_view rest = ltrim(header.substr(at + quoted.size()));
  if (!startsWith(rest, ":"))
    return std::nullopt;
  return ltrim(rest.substr(1));
}

/// A dim: decimal digits that fit in int64_t.
std::optional<int64_t> parseDim(std::string_view text) {
  if (text.empty())
    return std::nullopt;
  int64_t value = 0;
  for (char c : text)
    if (c < '0' || c > '9' || __builtin_mul_overflow(value, 10, &value) ||
        __builtin_add_overflow(value, c - '0', &value))
      return std::nullopt;
  return value;
}

/// The little-endian unsigned integer of `size` bytes at `p`.
size_t readLittleEndian(const char *p, int size) {
  size_t value = 0;
  for (int i = size - 1; i >= 0; --i)
    value = (value << 8) | static_cast<unsigned char>(p[i]);
  return value;
}

} // namespace

std::optional<Array> mlir::flow::npy::parseNpy(std::string_view bytes,
                                               std::string_view name,
                                               std::string &error) {
  if (bytes.size() < 10 || !startsWith(bytes, kMagic))
    return fail(error, name, "not a .npy file (bad magic string)");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = readLittleEndian(bytes.data() + 8, 2);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fail(error, name, "truncated .npy header");
    headerLen = readLittleEndian(bytes.data() + 8, 4);
    headerStart = 12;
  } else {
    return fail(error, name,
                "unsupported .npy format version " + std::to_string(major));
  }
  if (headerLen > bytes.size() - headerStart)
    return fail(error, name, "truncated .npy header");
  std::string_view header = bytes.substr(headerStart, headerLen);

  std::optional<std::string_view> descr = dictValue(header, "descr");
  if (!descr || descr->size() < 2 || (*descr)[0] != '\'')
    return fail(error, name, "malformed .npy header: no 'descr'");
  std::string_view dtype = descr->substr(1, descr->find('\'', 1) - 1);
  std::optional<ElementType> type = fromNpyDescr(dtype);
  if (!type)
    return fail(error, name,
                "unsupported dtype '" + std::string(dtype) +
                    "' (expected little-endian float16, float32 or float64)");

  std::optional<std::string_view> fortran = dictValue(header, "fortran_order");
  if (!fortran)
    return fail(error, name, "malformed .npy header: no 'fortran_order'");
  if (startsWith(*fortran, "True"))
    return fail(error, name,
                "Fortran-ordered arrays are not supported; save a "
                "C-contiguous array");
  if (!startsWith(*fortran, "False"))
    return fail(error, name, "malformed .npy header: bad 'fortran_order'");

  std::optional<std::string_view> shapeText = dictValue(header, "shape");
  if (!shapeText || !startsWith(*shapeText, "("))
    return fail(error, name, "malformed .npy header: no 'shape'");
  size_t close = shapeText->find(')');
  if (close == std::string_view::npos)
    return fail(error, name, "malformed .npy header: unterminated 'shape'");
  std::vector<int64_t> shape;
  std::string_view dims = shapeText->substr(1, close - 1);
  for (size_t start = 0;;) {
    size_t comma = dims.find(',', start);
    std::string_view part = trim(dims.substr(start, comma - start));
    if (!part.empty()) {
      std::optional<int64_t> dim = parseDim(part);
      if (!dim)
        return fail(error, name,
                    "malformed .npy header: bad dimension '" +
                        std::string(part) + "'");
      shape.push_back(*dim);
    }
    if (comma == std::string_view::npos)
      break;
    start = comma + 1;
  }

  std::optional<int64_t> count =
      checkedElementCount(shape.data(), shape.size());
  int64_t dataBytes;
  if (!count ||
      __builtin_mul_overflow(
          *count, static_cast<int64_t>(elementTypeSize(*type)), &dataBytes))
    return fail(error, name, "array size overflows");
  uint64_t expected = static_cast<uint64_t>(dataBytes);
  uint64_t available = bytes.size() - (headerStart + headerLen);
  if (available < expected)
    return fail(error, name,
                "truncated .npy data: expected " + std::to_string(expected) +
                    " bytes, found " + std::to_string(available));
  if (available > expected)
    return fail(error, name,
                "trailing bytes after the .npy data (expected " +
                    std::to_string(expected) + " bytes, found " +
                    std::to_string(available) + ")");
  std::optional<Array> array = Array::allocate(*type, std::move(shape));
  if (!array)
    return fail(error, name,
                "cannot allocate " + std::to_string(expected) + " bytes");
  if (expected)
    std::memcpy(array->data(), bytes.data() + headerStart + headerLen,
                expected);
  return array;
}

std::optional<std::string>
mlir::flow::npy::npyPrefix(ElementType type,
                           const std::vector<int64_t> &shape) {
  const char *descr = npyDescr(type);
  if (!descr)
    return std::nullopt;
  std::string header =
      std::string("{'descr': '") + descr +
      "', 'fortran_order': False, 'shape': " + shapeString(shape) + ", }";
  // Format 1.0 unless the header needs more than its 16-bit length.
  int lengthBytes = header.size() + 64 <= 0xffff ? 2 : 4;
  size_t total = 8 + lengthBytes + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::string prefix(kMagic);
  prefix.push_back(lengthBytes == 2 ? 1 : 2);
  prefix.push_back(0);
  for (int i = 0; i < lengthBytes; ++i)
    prefix.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xff));
  return prefix + header;
}
