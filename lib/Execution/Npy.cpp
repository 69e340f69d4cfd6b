//===- Npy.cpp - NumPy .npy files -----------------------------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// flow/Npy/ does the work (without LLVM, for flow-aot-run as well); this
// turns its results and error texts into HostArrays and llvm::Errors.
//
//===----------------------------------------------------------------------===//

#include "flow/Execution/Npy.h"

#include "flow/Npy/NpyFile.h"
#include "flow/Npy/NpyFormat.h"

using namespace mlir::flow;
using llvm::StringRef;

static llvm::Error npyError(const std::string &error) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), error);
}

static llvm::Expected<HostArray> toHostArray(std::optional<npy::Array> array,
                                             const std::string &error) {
  if (!array)
    return npyError(error);
  return HostArray(std::move(*array));
}

llvm::Expected<HostArray> mlir::flow::readNpy(StringRef path) {
  std::string error;
  std::optional<npy::Array> array = npy::readNpy(path.str(), error);
  return toHostArray(std::move(array), error);
}

llvm::Expected<HostArray> mlir::flow::parseNpy(StringRef bytes,
                                               StringRef name) {
  std::string error;
  std::optional<npy::Array> array = npy::parseNpy(bytes, name, error);
  return toHostArray(std::move(array), error);
}

llvm::Error mlir::flow::writeNpy(StringRef path, const HostArray &array) {
  std::string error;
  std::string temporary =
      npy::writeNpyTemporary(path.str(), array.getArray(), error);
  if (temporary.empty() || !npy::commitNpy(temporary, path.str(), error))
    return npyError(error);
  return llvm::Error::success();
}
