//===- Array.h - Dense host arrays ------------------------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The arrays the runners pass to and get from an entry function. Plain C++17
// (no LLVM): flow-aot-run uses it directly, the JIT tools through
// flow/Execution/HostArray.h.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_NPY_ARRAY_H
#define FLOW_NPY_ARRAY_H

#include "flow/Npy/ElementType.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir::flow::npy {

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
                                       std::vector<int64_t> shape);
  /// Takes ownership of `data` (released with `release(data)`).
  static Array adopt(ElementType type, std::vector<int64_t> shape, void *data,
                     void (*release)(void *));

  ElementType type() const { return elementType; }
  const std::vector<int64_t> &shape() const { return dims; }
  /// 0 when the shape has a negative dim or its element count overflows.
  int64_t numElements() const { return count; }
  size_t sizeInBytes() const { return count * elementTypeSize(elementType); }
  void *data() { return storage.get(); }
  const void *data() const { return storage.get(); }

  /// Element `i` (row-major) converted to double.
  double get(int64_t i) const;
  /// Stores `value` (rounded to the element type) at row-major index `i`.
  void set(int64_t i, double value);

private:
  ElementType elementType = ElementType::F32;
  std::vector<int64_t> dims;
  int64_t count = 0;
  std::unique_ptr<void, ArrayDeleter> storage;
};

/// Element count of the `rank` dims at `dims`, or std::nullopt on a negative
/// dim or overflow.
std::optional<int64_t> checkedElementCount(const int64_t *dims, size_t rank);

/// The shape as a Python tuple: "(2, 3)", "(5,)", "()"; a negative (dynamic)
/// dim is written "?".
std::string shapeString(const std::vector<int64_t> &dims);

} // namespace mlir::flow::npy

#endif // FLOW_NPY_ARRAY_H
