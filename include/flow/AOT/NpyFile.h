//===- NpyFile.h - .npy files without LLVM ----------------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The .npy reader and writer of flow-aot-run. flow/Execution/Npy.h does the
// same for the JIT tools but is built on LLVMSupport; this one is plain
// C++17 so that the AOT loader links no LLVM. Its messages are the same.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_AOT_NPYFILE_H
#define FLOW_AOT_NPYFILE_H

#include "flow/AOT/Manifest.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir::flow::aot {

/// Releases an Array's storage with the function it was allocated for.
struct ArrayDeleter {
  ArrayDeleter() : release(nullptr) {}
  explicit ArrayDeleter(void (*release)(void *)) : release(release) {}
  void operator()(void *p) const {
    if (p && release)
      release(p);
  }
  void (*release)(void *);
};

/// A dense, row-major array with 64-byte aligned, zero-filled storage.
class Array {
public:
  Array() = default;
  /// std::nullopt when the element count overflows or allocation fails.
  static std::optional<Array> allocate(ElementType type,
                                       const std::vector<int64_t> &shape);
  /// Takes ownership of `data` (released with `release(data)`).
  static Array adopt(ElementType type, std::vector<int64_t> shape, void *data,
                     void (*release)(void *));

  ElementType type() const { return elementType; }
  const std::vector<int64_t> &shape() const { return dims; }
  int64_t numElements() const;
  size_t sizeInBytes() const {
    return numElements() * elementTypeSize(elementType);
  }
  void *data() { return storage.get(); }
  const void *data() const { return storage.get(); }

  /// Element `i` (row-major) as a double / stored rounded to the type.
  double get(int64_t i) const;
  void set(int64_t i, double value);

private:
  ElementType elementType = ElementType::F32;
  std::vector<int64_t> dims;
  std::unique_ptr<void, ArrayDeleter> storage;
};

/// Element count of `shape`, or -1 on a negative dim or overflow.
int64_t checkedElementCount(const std::vector<int64_t> &shape);

/// Reads a little-endian, C-ordered float16/32/64 .npy file (format 1.0-3.0).
/// On failure returns std::nullopt and sets `error` ("PATH: what is wrong").
std::optional<Array> readNpy(const std::string &path, std::string &error);
std::optional<Array> parseNpy(const std::string &bytes,
                              const std::string &name, std::string &error);

/// Writes `array` as .npy to a new temporary file next to `path` and returns
/// that file's name; commitNpy renames it into place. bfloat16 cannot be
/// written. On failure returns "" and sets `error`.
std::string writeNpyTemporary(const std::string &path, const Array &array,
                              std::string &error);
bool commitNpy(const std::string &temporary, const std::string &path,
               std::string &error);

} // namespace mlir::flow::aot

#endif // FLOW_AOT_NPYFILE_H
