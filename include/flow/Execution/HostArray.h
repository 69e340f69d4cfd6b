//===- HostArray.h - Dense host arrays for the runners ----------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The JIT tools' view of flow/Npy/Array.h: the same arrays and element
// types, with LLVM's ArrayRef and StringRef in the interface.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_EXECUTION_HOSTARRAY_H
#define FLOW_EXECUTION_HOSTARRAY_H

#include "flow/Npy/Array.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>

namespace mlir::flow {

/// Element types a flow entry function exchanges with its caller.
using DType = npy::ElementType;

/// Bytes per element.
size_t dtypeSize(DType dtype);
/// "float16", "bfloat16", "float32", "float64" (NumPy's names).
llvm::StringRef dtypeName(DType dtype);
/// "f16", "bf16", "f32", "f64" (MLIR's names).
llvm::StringRef dtypeMlirName(DType dtype);

/// A dense, row-major array owned by the host. Storage is 64-byte aligned.
class HostArray {
public:
  HostArray() = default;
  explicit HostArray(npy::Array array) : array(std::move(array)) {}
  /// Allocates a zero-filled array; returns std::nullopt when the element
  /// count overflows or the allocation fails.
  static std::optional<HostArray> allocate(DType dtype,
                                           llvm::ArrayRef<int64_t> shape);

  DType dtype() const { return array.type(); }
  llvm::ArrayRef<int64_t> shape() const { return array.shape(); }
  int64_t numElements() const { return array.numElements(); }
  size_t sizeInBytes() const { return array.sizeInBytes(); }
  void *data() { return array.data(); }
  const void *data() const { return array.data(); }

  /// Element `i` (row-major) converted to double.
  double get(int64_t i) const { return array.get(i); }
  /// Stores `v` (rounded to the element type) at row-major index `i`.
  void set(int64_t i, double v) { array.set(i, v); }

  /// The array itself, for the LLVM-free code (.npy files).
  const npy::Array &getArray() const { return array; }

private:
  npy::Array array;
};

/// Element count of `shape`, or std::nullopt on a negative dim or overflow.
std::optional<int64_t> checkedElementCount(llvm::ArrayRef<int64_t> shape);

} // namespace mlir::flow

#endif // FLOW_EXECUTION_HOSTARRAY_H
