//===- HostArray.h - Dense host arrays for the runners ----------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_EXECUTION_HOSTARRAY_H
#define FLOW_EXECUTION_HOSTARRAY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir::flow {

/// Element types a flow entry function exchanges with its caller.
enum class DType { F16, BF16, F32, F64 };

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
  /// Allocates a zero-filled array; returns std::nullopt when the element
  /// count overflows or the allocation fails.
  static std::optional<HostArray> allocate(DType dtype,
                                           llvm::ArrayRef<int64_t> shape);

  DType dtype() const { return type; }
  llvm::ArrayRef<int64_t> shape() const { return dims; }
  int64_t numElements() const { return count; }
  size_t sizeInBytes() const { return count * dtypeSize(type); }
  void *data() { return storage.get(); }
  const void *data() const { return storage.get(); }

  /// Element `i` (row-major) converted to double.
  double get(int64_t i) const;
  /// Stores `v` (rounded to the element type) at row-major index `i`.
  void set(int64_t i, double v);

private:
  struct Free {
    void operator()(void *p) const;
  };
  DType type = DType::F32;
  std::vector<int64_t> dims;
  int64_t count = 0;
  std::unique_ptr<void, Free> storage;
};

/// Element count of `shape`, or std::nullopt on a negative dim or overflow.
std::optional<int64_t> checkedElementCount(llvm::ArrayRef<int64_t> shape);

} // namespace mlir::flow

#endif // FLOW_EXECUTION_HOSTARRAY_H
