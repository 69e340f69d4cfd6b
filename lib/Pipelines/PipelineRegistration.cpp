//===- PipelineRegistration.cpp - Register the flow-lower-to-* pipelines --===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Pipelines/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"

void mlir::flow::registerFlowPipelines() {
  PassPipelineRegistration<CpuPipelineOptions>(
      "flow-lower-to-cpu",
      "Lower flow to the LLVM dialect for CPUs through linalg and affine "
      "loops",
      buildLowerToCpuPipeline);
  PassPipelineRegistration<CudaPipelineOptions>(
      "flow-lower-to-cuda",
      "Lower flow to NVIDIA GPU kernels (a gpu.binary) and host code in the "
      "LLVM dialect calling the mgpu* runtime",
      buildLowerToCudaPipeline);
}
