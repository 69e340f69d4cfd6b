//===- CpuPipeline.cpp - flow-lower-to-cpu --------------------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "PipelineStages.h"

#include "flow/CPU/Passes.h"
#include "flow/Dialect/Flow/Transforms/Passes.h"
#include "flow/Pipelines/Pipelines.h"
#include "flow/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/SCFToOpenMP/SCFToOpenMP.h"
#include "mlir/Dialect/Affine/Transforms/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::flow;

void mlir::flow::buildLowerToCpuPipeline(OpPassManager &pm,
                                         const CpuPipelineOptions &options) {
  // f32/f64 convolutions -> vectorised, parallel affine kernels on buffers
  // (lib/CPU); whatever they do not cover -> tensor-level linalg.
  // Channel dims fixed by the other operands become static (the kernels
  // need them; a contradicting run-time size fails the entry's checks).
  pm.addPass(createFlowStaticOperands());
  if (options.kernels) {
    FlowCpuConvTransposeKernelsOptions kernels;
    kernels.strategy = options.strategy;
    kernels.vectorBits = options.vectorBits;
    kernels.vectorRegisters = options.vectorRegisters;
    kernels.parallel = options.parallel;
    pm.addNestedPass<func::FuncOp>(createFlowCpuConvTransposeKernels(kernels));
  }
  addFlowToBuffersPasses(pm, options.strategy);
  bufferization::BufferDeallocationPipelineOptions dealloc;
  bufferization::buildBufferDeallocationPipeline(pm, dealloc);
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(createCanonicalizerPass());
  // Copies become loops like everything else (no runtime library call).
  pm.addPass(createFlowMemRefCopyToLinalg());

  // linalg -> affine loops -> scf -> cf.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToAffineLoopsPass());
  pm.addNestedPass<func::FuncOp>(affine::createAffineScalarReplacementPass());
  pm.addPass(createLowerAffinePass());
  // scf.parallel (from affine.parallel) -> OpenMP worksharing loops.
  if (options.parallel)
    pm.addPass(createConvertSCFToOpenMPPass());
  pm.addPass(createFlowLowerAllocaScopes());
  pm.addPass(createSCFToControlFlowPass());

  // Everything -> LLVM dialect.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  pm.addPass(createConvertVectorToLLVMPass());
  addStandardToLLVMPasses(pm);
  pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}
