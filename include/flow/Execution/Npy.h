//===- Npy.h - NumPy .npy files ---------------------------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The JIT tools' .npy reader and writer: flow/Npy/ (the one implementation
// of the format, LLVM-free, shared with flow-aot-run) with llvm::Error.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_EXECUTION_NPY_H
#define FLOW_EXECUTION_NPY_H

#include "flow/Execution/HostArray.h"
#include "llvm/Support/Error.h"

namespace mlir::flow {

/// Reads a little-endian, C-ordered float16/32/64 .npy file (format 1.0-3.0).
/// Every malformed or truncated file gives an error naming what is wrong.
llvm::Expected<HostArray> readNpy(llvm::StringRef path);

/// Parses .npy bytes; `name` is used in error messages.
llvm::Expected<HostArray> parseNpy(llvm::StringRef bytes, llvm::StringRef name);

/// Writes `array` as .npy through a temporary file renamed into place, so a
/// failure never leaves a partial file at `path`. bfloat16 cannot be written.
llvm::Error writeNpy(llvm::StringRef path, const HostArray &array);

} // namespace mlir::flow

#endif // FLOW_EXECUTION_NPY_H
