//===- Manifest.h - What an AOT library contains ----------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// flow-compile writes a manifest into every library it makes (returned by
// flow_aot_manifest()); the loaders read it to learn the entries and their
// signatures. It is line-based text, one record per line, words separated by
// single spaces, dims written out with -1 for a dynamic dim:
//
//   flow-aot 1                       format version
//   prefix seed                      prefix of the typed C functions
//   target cpu                       cpu or cuda
//   cpu skylake-avx512               CPU the host code was compiled for
//   chip sm_90                       (cuda) GPU architecture of the kernels
//   entry main seed_main             MLIR name, C function
//   arg f32 4 -1 16 50 100           element type, rank, dims
//   result f32 4 -1 33 -1 100
//   conv 0 4 -1 16 50 100 495        FLOP counting: the entry argument that
//                                    is the conv's input (-1: none), its
//                                    rank and static dims, then
//                                    (Cout/groups)*kH*kW
//   end                              closes the entry
//
// Plain C++ (no LLVM): flow-aot-run links it.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_RUNTIME_MANIFEST_H
#define FLOW_RUNTIME_MANIFEST_H

#include "flow/Npy/Array.h"
#include "flow/Npy/ElementType.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::flow::aot {

/// Element types, numbered as FLOW_AOT_F16... in AotRuntime.h, and their
/// names (flow/Npy/ElementType.h).
using npy::ElementType;
using npy::elementTypeName;
using npy::elementTypeNumpyName;
using npy::elementTypeSize;
using npy::parseElementType;

struct TensorType {
  ElementType type = ElementType::F32;
  /// -1 for a dynamic dim.
  std::vector<int64_t> dims;
  /// "tensor<?x16x50x100xf32>"
  std::string str() const;
};

/// A flow.conv_transpose2d of an entry, for counting useful FLOPs:
/// 2 * numel(input) * weightFactor.
struct ConvInfo {
  int inputArg = -1;
  std::vector<int64_t> input;
  int64_t weightFactor = 0;
};

struct Entry {
  std::string name;
  std::string cName;
  std::vector<TensorType> args, results;
  std::vector<ConvInfo> convs;
  /// "@main(tensor<...>, ...) -> (tensor<...>)"
  std::string signature() const;
  /// Useful FLOPs of a call with these argument shapes (0 when unknown).
  double flops(const std::vector<std::vector<int64_t>> &argShapes) const;
};

struct Manifest {
  static constexpr int kVersion = 1;
  std::string prefix;
  std::string target;
  std::string cpu;
  std::string chip;
  std::vector<Entry> entries;

  std::string print() const;
  /// Parses `text`; on failure returns false and sets `error`.
  static bool parse(const std::string &text, Manifest &manifest,
                    std::string &error);
  /// The entry named `name`, or null.
  const Entry *find(const std::string &name) const;
};

/// "(2, 3)", "(5,)", "(?, 3)".
using npy::shapeString;

} // namespace mlir::flow::aot

#endif // FLOW_RUNTIME_MANIFEST_H
