//===- HostArray.cpp - Dense host arrays for the runners ------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Execution/HostArray.h"

using namespace mlir::flow;

size_t mlir::flow::dtypeSize(DType dtype) {
  return npy::elementTypeSize(dtype);
}

llvm::StringRef mlir::flow::dtypeName(DType dtype) {
  return npy::elementTypeNumpyName(dtype);
}

llvm::StringRef mlir::flow::dtypeMlirName(DType dtype) {
  return npy::elementTypeName(dtype);
}

std::optional<int64_t>
mlir::flow::checkedElementCount(llvm::ArrayRef<int64_t> shape) {
  return npy::checkedElementCount(shape.data(), shape.size());
}

std::optional<HostArray> HostArray::allocate(DType dtype,
                                             llvm::ArrayRef<int64_t> shape) {
  std::optional<npy::Array> array = npy::Array::allocate(dtype, shape.vec());
  if (!array)
    return std::nullopt;
  return HostArray(std::move(*array));
}
