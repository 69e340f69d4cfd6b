//===- Passes.h - Flow conversion passes ------------------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_CONVERSION_PASSES_H
#define FLOW_CONVERSION_PASSES_H

#include "flow/Conversion/FlowToLinalg/FlowToLinalg.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::flow {

#define GEN_PASS_DECL
#include "flow/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "flow/Conversion/Passes.h.inc"

} // namespace mlir::flow

#endif // FLOW_CONVERSION_PASSES_H
