//===- Passes.h - Flow dialect passes ---------------------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_DIALECT_FLOW_TRANSFORMS_PASSES_H
#define FLOW_DIALECT_FLOW_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::flow {

#define GEN_PASS_DECL
#include "flow/Dialect/Flow/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "flow/Dialect/Flow/Transforms/Passes.h.inc"

} // namespace mlir::flow

#endif // FLOW_DIALECT_FLOW_TRANSFORMS_PASSES_H
