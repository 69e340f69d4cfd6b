//===- GradToLinalg.h - Gradient ops of flow to linalg ----------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_CONVERSION_FLOWTOLINALG_GRADTOLINALG_H
#define FLOW_CONVERSION_FLOWTOLINALG_GRADTOLINALG_H

#include "mlir/IR/PatternMatch.h"
#include <string>

namespace mlir::flow {

/// Whether a conv_transpose2d gradient op can be lowered (static shapes);
/// otherwise `reason` says why.
LogicalResult checkGradLowerable(Operation *op, std::string &reason);

/// Lowers flow.conv_transpose2d_grad_input / _grad_weight to linalg.
void populateConvTranspose2dGradToLinalgPatterns(RewritePatternSet &patterns);

} // namespace mlir::flow

#endif // FLOW_CONVERSION_FLOWTOLINALG_GRADTOLINALG_H
