//===- Passes.h - Passes of the CUDA back end -------------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_GPU_PASSES_H
#define FLOW_GPU_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::flow {

#define GEN_PASS_DECL
#include "flow/GPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "flow/GPU/Passes.h.inc"

} // namespace mlir::flow

#endif // FLOW_GPU_PASSES_H
