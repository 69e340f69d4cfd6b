//===- FlowToLinalg.h - Lower flow ops to linalg ----------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_CONVERSION_FLOWTOLINALG_FLOWTOLINALG_H
#define FLOW_CONVERSION_FLOWTOLINALG_FLOWTOLINALG_H

#include "mlir/IR/PatternMatch.h"
#include <string>

namespace mlir::flow {

class ConvTranspose2DOp;

/// How flow.conv_transpose2d is lowered to linalg.
enum class ConvTransposeStrategy {
  /// Stride-phase decomposition: no multiply by an inserted zero.
  Phase,
  /// Zero insertion followed by a correlation with the flipped kernel.
  ZeroInsert,
};

/// Returns success when `op` can be lowered (channels and kernel static);
/// otherwise fails and sets `reason`.
LogicalResult checkLowerable(ConvTranspose2DOp op, std::string &reason);

/// Adds the patterns lowering flow ops to linalg/tensor/arith ops.
void populateFlowToLinalgPatterns(RewritePatternSet &patterns,
                                  ConvTransposeStrategy strategy);

} // namespace mlir::flow

#endif // FLOW_CONVERSION_FLOWTOLINALG_FLOWTOLINALG_H
