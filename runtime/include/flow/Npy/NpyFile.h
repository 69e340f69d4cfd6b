//===- NpyFile.h - .npy files -----------------------------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// .npy files on disk, with POSIX I/O (no LLVM). Writing goes through a
// temporary file renamed into place, so a failure never leaves a partial
// file behind; a caller writing several files creates every temporary
// first and renames them only when all were written.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_NPY_NPYFILE_H
#define FLOW_NPY_NPYFILE_H

#include "flow/Npy/Array.h"

#include <optional>
#include <string>

namespace mlir::flow::npy {

/// Reads a .npy file (see parseNpy). On failure returns std::nullopt and
/// sets `error` ("PATH: what is wrong").
std::optional<Array> readNpy(const std::string &path, std::string &error);

/// Writes `array` as .npy to a new temporary file next to `path` and returns
/// that file's name; commitNpy renames it into place. bfloat16 cannot be
/// written. On failure returns "" and sets `error`.
std::string writeNpyTemporary(const std::string &path, const Array &array,
                              std::string &error);
/// Renames `temporary` to `path`; on failure removes `temporary`, returns
/// false and sets `error`.
bool commitNpy(const std::string &temporary, const std::string &path,
               std::string &error);

} // namespace mlir::flow::npy

#endif // FLOW_NPY_NPYFILE_H
