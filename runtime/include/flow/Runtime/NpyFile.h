//===- NpyFile.h - .npy files without LLVM ----------------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The arrays and .npy files of flow-aot-run: flow/Npy/'s, which link no LLVM.
// The JIT tools use the same code through flow/Execution/Npy.h.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_RUNTIME_NPYFILE_H
#define FLOW_RUNTIME_NPYFILE_H

#include "flow/Runtime/Manifest.h"
#include "flow/Npy/Array.h"
#include "flow/Npy/NpyFile.h"
#include "flow/Npy/NpyFormat.h"

#include <cstdint>
#include <vector>

namespace mlir::flow::aot {

using npy::Array;
using npy::ArrayDeleter;
using npy::commitNpy;
using npy::parseNpy;
using npy::readNpy;
using npy::writeNpyTemporary;

/// Element count of `shape`, or -1 on a negative dim or overflow.
inline int64_t checkedElementCount(const std::vector<int64_t> &shape) {
  return npy::checkedElementCount(shape.data(), shape.size()).value_or(-1);
}

} // namespace mlir::flow::aot

#endif // FLOW_RUNTIME_NPYFILE_H
