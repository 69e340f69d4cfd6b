//===- NpyFormat.h - The .npy file format -----------------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Reading and writing the bytes of a .npy file: the one implementation of the
// format, shared by flow-aot-run (through flow/Runtime/NpyFile.h) and the JIT
// tools (through flow/Execution/Npy.h). Plain C++17, no LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_NPY_NPYFORMAT_H
#define FLOW_NPY_NPYFORMAT_H

#include "flow/Npy/Array.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlir::flow::npy {

/// Parses the bytes of a little-endian, C-ordered float16/32/64 .npy file
/// (format 1.0-3.0). Every malformed or truncated input gives an error; on
/// failure returns std::nullopt and sets `error` ("NAME: what is wrong").
std::optional<Array> parseNpy(std::string_view bytes, std::string_view name,
                              std::string &error);

/// The bytes that precede the data of an array of `type` and `shape` in a
/// .npy file: magic string, version, header length and the header dict,
/// padded so that the data starts at a multiple of 64 bytes. std::nullopt
/// for bfloat16, which has no .npy dtype.
std::optional<std::string> npyPrefix(ElementType type,
                                     const std::vector<int64_t> &shape);

} // namespace mlir::flow::npy

#endif // FLOW_NPY_NPYFORMAT_H
