//===- Pipelines.h - flow-lower-to-* pass pipelines -------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_PIPELINES_PIPELINES_H
#define FLOW_PIPELINES_PIPELINES_H

#include "flow/Conversion/FlowToLinalg/FlowToLinalg.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::flow {

/// Options of `flow-lower-to-cpu`.
struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions> {
  PassOptions::Option<ConvTransposeStrategy> strategy{
      *this, "strategy", llvm::cl::desc("How to lower conv_transpose2d"),
      llvm::cl::init(ConvTransposeStrategy::Phase),
      llvm::cl::values(
          clEnumValN(ConvTransposeStrategy::Phase, "phase",
                     "stride-phase decomposition, no inserted zeros"),
          clEnumValN(ConvTransposeStrategy::ZeroInsert, "zero-insert",
                     "zero insertion + flipped-kernel correlation"))};
};

/// flow -> linalg -> bufferized -> affine loops -> scf/cf -> LLVM dialect,
/// ready for the ExecutionEngine.
void buildLowerToCpuPipeline(OpPassManager &pm,
                             const CpuPipelineOptions &options);

/// Registers `flow-lower-to-cpu` (and the other flow pipelines).
void registerFlowPipelines();

} // namespace mlir::flow

#endif // FLOW_PIPELINES_PIPELINES_H
