//===- Passes.h - Passes that touch no flow op ------------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_TRANSFORMS_PASSES_H
#define FLOW_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::flow {

#define GEN_PASS_DECL
#include "flow/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "flow/Transforms/Passes.h.inc"

} // namespace mlir::flow

#endif // FLOW_TRANSFORMS_PASSES_H
