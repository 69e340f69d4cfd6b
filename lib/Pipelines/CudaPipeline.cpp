//===- CudaPipeline.cpp - flow-lower-to-cuda ------------------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "PipelineStages.h"

#include "flow/Dialect/Flow/Transforms/Passes.h"
#include "flow/Transforms/Passes.h"
#include "flow/GPU/Passes.h"
#include "flow/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::flow;

/// The toolkit used when the `toolkit` option is empty. MLIR looks for ptxas
/// and fatbinary in its bin/ and then on PATH.
static std::string defaultToolkit() {
  for (const char *variable : {"CUDA_HOME", "CUDA_PATH"})
    if (const char *value = std::getenv(variable); value && *value)
      return value;
#ifdef FLOW_CUDA_TOOLKIT_DIR
  return FLOW_CUDA_TOOLKIT_DIR;
#else
  return "/usr/local/cuda";
#endif
}

void mlir::flow::buildLowerToCudaPipeline(OpPassManager &pm,
                                          const CudaPipelineOptions &options) {
  // Entry functions are where buffers cross between host and GPU: inline
  // calls so that each entry is one body.
  pm.addPass(createInlinerPass());

  // flow -> tensor-level linalg -> buffers. CSE merges the equal subviews
  // of a phase written in place, so that canonicalisation folds the copy of
  // the phase onto itself away.
  addFlowToBuffersPasses(pm, options.strategy);
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createFlowMemRefCopyToLinalg());

  // Buffers in GPU memory; every linalg op becomes a loop nest over blocks
  // and threads (each thread accumulates a register tile of up to
  // register-tile outputs),
  // then a gpu.launch.
  pm.addNestedPass<func::FuncOp>(createFlowGpuStageBuffers());
  FlowLinalgToGpuLoopsOptions loops;
  loops.blockSize = options.blockSize;
  loops.contract = options.fma;
  loops.registerTile = options.registerTile;
  loops.minThreads = options.minThreads;
  pm.addNestedPass<func::FuncOp>(createFlowLinalgToGpuLoops(loops));
  pm.addPass(createConvertParallelLoopToGpuPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // Kernels -> gpu.module / gpu.func -> NVVM. Sinking the constants into
  // the launches first keeps shapes static inside the kernels (constant
  // divisors and trip counts) instead of making them kernel parameters.
  pm.addPass(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = options.features;
  target.optLevel = options.optLevel;
  pm.addPass(createGpuNVVMAttachTarget(target));
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  kernels.addPass(createConvertGpuOpsToNVVMOps());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());

  // Host code -> LLVM dialect. gpu-async-region turns the synchronous
  // gpu.alloc/memcpy/launch_func/dealloc into operations on a stream, which
  // gpu-to-llvm needs.
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addNestedPass<func::FuncOp>(arith::createArithExpandOpsPass(expand));
  addStandardToLLVMPasses(pm);
  pm.addPass(createGpuToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());

  // Kernels -> binary (ptxas and fatbinary from the toolkit).
  GpuModuleToBinaryPassOptions binary;
  binary.toolkitPath =
      options.toolkit.empty() ? defaultToolkit() : options.toolkit.getValue();
  binary.compilationTarget = options.format;
  pm.addPass(createGpuModuleToBinaryPass(binary));
  pm.addPass(createCanonicalizerPass());
}
