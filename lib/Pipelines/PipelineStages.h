//===- PipelineStages.h - What the lowering pipelines share -----*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_LIB_PIPELINES_PIPELINESTAGES_H
#define FLOW_LIB_PIPELINES_PIPELINESTAGES_H

#include "flow/Conversion/FlowToLinalg/FlowToLinalg.h"
#include "mlir/Pass/PassManager.h"

namespace mlir::flow {

/// flow -> tensor-level linalg (conv_transpose2d by `strategy`), cleaned up,
/// then tensors -> buffers. Entry functions keep identity-layout memrefs so
/// that callers pass and receive plain dense arrays.
void addFlowToBuffersPasses(OpPassManager &pm, ConvTransposeStrategy strategy);

/// memref, math, arith, index, func and cf -> LLVM dialect.
void addStandardToLLVMPasses(OpPassManager &pm);

} // namespace mlir::flow

#endif // FLOW_LIB_PIPELINES_PIPELINESTAGES_H
