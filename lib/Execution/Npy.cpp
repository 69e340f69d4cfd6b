//===- Npy.cpp - NumPy .npy files -----------------------------------------===//
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

#include "flow/Execution/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <cstring>

using namespace mlir::flow;
using llvm::SmallVector;
using llvm::StringRef;

static llvm::Error npyError(StringRef name, const llvm::Twine &what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 name + ": " + what);
}

/// Returns the text after `'key':` in the header dict, trimmed.
static std::optional<StringRef> dictValue(StringRef header, StringRef key) {
  std::string quoted = ("'" + key + "'").str();
  size_t at = header.find(quoted);
  if (at == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(at + quoted.size()).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  return rest.ltrim();
}

llvm::Expected<HostArray> mlir::flow::parseNpy(StringRef bytes,
                                               StringRef name) {
  if (bytes.size() < 10 || !bytes.starts_with("\x93NUMPY"))
    return npyError(name, "not a .npy file (bad magic string)");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) |
                (static_cast<unsigned char>(bytes[9]) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return npyError(name, "truncated .npy header");
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = (headerLen << 8) | static_cast<unsigned char>(bytes[8 + i]);
    headerStart = 12;
  } else {
    return npyError(name, "unsupported .npy format version " +
                              llvm::Twine(major));
  }
  if (headerLen > bytes.size() - headerStart)
    return npyError(name, "truncated .npy header");
  StringRef header = bytes.substr(headerStart, headerLen);

  std::optional<StringRef> descr = dictValue(header, "descr");
  if (!descr || descr->size() < 2 || (*descr)[0] != '\'')
    return npyError(name, "malformed .npy header: no 'descr'");
  StringRef type = descr->drop_front().take_until([](char c) {
    return c == '\'';
  });
  DType dtype;
  if (type == "<f2")
    dtype = DType::F16;
  else if (type == "<f4")
    dtype = DType::F32;
  else if (type == "<f8")
    dtype = DType::F64;
  else
    return npyError(name, "unsupported dtype '" + type +
                              "' (expected little-endian float16, float32 "
                              "or float64)");

  std::optional<StringRef> fortran = dictValue(header, "fortran_order");
  if (!fortran)
    return npyError(name, "malformed .npy header: no 'fortran_order'");
  if (fortran->starts_with("True"))
    return npyError(name, "Fortran-ordered arrays are not supported; save a "
                          "C-contiguous array");
  if (!fortran->starts_with("False"))
    return npyError(name, "malformed .npy header: bad 'fortran_order'");

  std::optional<StringRef> shapeText = dictValue(header, "shape");
  if (!shapeText || !shapeText->starts_with("("))
    return npyError(name, "malformed .npy header: no 'shape'");
  size_t close = shapeText->find(')');
  if (close == StringRef::npos)
    return npyError(name, "malformed .npy header: unterminated 'shape'");
  SmallVector<StringRef> parts;
  shapeText->substr(1, close - 1).split(parts, ',');
  std::vector<int64_t> shape;
  for (StringRef part : parts) {
    part = part.trim();
    if (part.empty())
      continue;
    int64_t dim;
    if (part.getAsInteger(10, dim) || dim < 0)
      return npyError(name, "malformed .npy header: bad dimension '" + part +
                                "'");
    shape.push_back(dim);
  }
  std::optional<int64_t> count = checkedElementCount(shape);
  std::optional<int64_t> dataBytes =
      count ? llvm::checkedMul(*count, static_cast<int64_t>(dtypeSize(dtype)))
            : std::nullopt;
  if (!dataBytes)
    return npyError(name, "array size overflows");
  size_t dataStart = headerStart + headerLen;
  uint64_t expected = static_cast<uint64_t>(*dataBytes);
  uint64_t available = bytes.size() - dataStart;
  if (available < expected)
    return npyError(name, "truncated .npy data: expected " +
                              llvm::Twine(expected) + " bytes, found " +
                              llvm::Twine(available));
  if (available > expected)
    return npyError(name, "trailing bytes after the .npy data (expected " +
                              llvm::Twine(expected) + " bytes, found " +
                              llvm::Twine(available) + ")");
  std::optional<HostArray> array = HostArray::allocate(dtype, shape);
  if (!array)
    return npyError(name, "cannot allocate " + llvm::Twine(expected) +
                              " bytes");
  if (expected)
    std::memcpy(array->data(), bytes.data() + dataStart, expected);
  return std::move(*array);
}

llvm::Expected<HostArray> mlir::flow::readNpy(StringRef path) {
  if (llvm::sys::fs::is_directory(path))
    return npyError(path, "is a directory, not a .npy file");
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (std::error_code ec = buffer.getError())
    return npyError(path, "cannot open: " + ec.message());
  return parseNpy((*buffer)->getBuffer(), path);
}

llvm::Error mlir::flow::writeNpy(StringRef path, const HostArray &array) {
  StringRef descr;
  switch (array.dtype()) {
  case DType::F16:
    descr = "<f2";
    break;
  case DType::F32:
    descr = "<f4";
    break;
  case DType::F64:
    descr = "<f8";
    break;
  case DType::BF16:
    return npyError(path, "bfloat16 has no .npy dtype; cannot write it");
  }
  std::string header;
  llvm::raw_string_ostream os(header);
  os << "{'descr': '" << descr << "', 'fortran_order': False, 'shape': (";
  for (int64_t d : array.shape())
    os << d << (array.shape().size() == 1 ? "," : ", ");
  if (!array.shape().empty() && array.shape().size() != 1)
    header.resize(header.size() - 2);
  os << "), }";
  // Pad so that the data starts at a multiple of 64 bytes.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');

  llvm::SmallString<256> tmp;
  int fd;
  llvm::SmallString<256> model(path);
  model.append(".tmp-%%%%%%");
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(model, fd, tmp))
    return npyError(path, "cannot create: " + ec.message());
  {
    llvm::raw_fd_ostream out(fd, /*shouldClose=*/true);
    out << "\x93NUMPY" << char(1) << char(0)
        << char(header.size() & 0xff) << char((header.size() >> 8) & 0xff)
        << header;
    out.write(static_cast<const char *>(array.data()), array.sizeInBytes());
    out.close();
    if (out.has_error()) {
      std::string msg = out.error().message();
      out.clear_error();
      llvm::sys::fs::remove(tmp);
      return npyError(path, "write failed: " + msg);
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(tmp, path)) {
    llvm::sys::fs::remove(tmp);
    return npyError(path, "cannot write: " + ec.message());
  }
  return llvm::Error::success();
}
