//===- EntryConstraints.h - Argument sizes the ops require ------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The types of an entry's arguments may leave dims dynamic that its ops fix:
// a `tensor<?xf32>` bias must have as many elements as the conv_transpose2d
// has output channels. The lowerings rely on that (the CPU kernels read the
// bias as `memref<3xf32>`), so a caller's sizes are checked against these
// constraints before the call, with one message naming the operand.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_COMPILER_ENTRYCONSTRAINTS_H
#define FLOW_COMPILER_ENTRYCONSTRAINTS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir::flow {

/// One side of a constraint: `factor` times dim `dim` of argument `arg`, or,
/// when `arg` < 0, the constant `value`.
struct DimTerm {
  int arg = -1;
  int dim = 0;
  int64_t factor = 1;
  int64_t value = 0;
};

/// `lhs` == `rhs` on every call; `lhs` is always an argument's dim.
struct EntryDimConstraint {
  DimTerm lhs, rhs;
  /// The operand `lhs` is, e.g. "the bias of flow.conv_transpose2d at
  /// f.mlir:3:8", and what `rhs` is: "the output channels (weight dim 1 *
  /// groups)".
  std::string operand, rule;
};

/// The constraints that the ops of `func` put on its arguments' dynamic
/// dims (channels and batch of flow.conv_transpose2d operands, static
/// tensor.cast targets), where the types alone do not guarantee them.
std::vector<EntryDimConstraint> collectEntryDimConstraints(func::FuncOp func);

/// The first constraint that `argShapes` (one shape per argument) break, as
/// one line: "argument 2 (the bias of ...): dim 0 is 5, but the output
/// channels (weight dim 1 * groups) are 3"; nothing when all hold.
std::optional<std::string>
checkEntryDimConstraints(const std::vector<EntryDimConstraint> &constraints,
                         const std::vector<std::vector<int64_t>> &argShapes);

} // namespace mlir::flow

#endif // FLOW_COMPILER_ENTRYCONSTRAINTS_H
