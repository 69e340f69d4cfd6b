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

/// The options every flow-lower-to-* pipeline has; `Derived` is the
/// pipeline's options struct.
template <typename Derived>
struct LowerFlowPipelineOptions : public PassPipelineOptions<Derived> {
  mlir::detail::PassOptions::Option<ConvTransposeStrategy> strategy{
      *this, "strategy", llvm::cl::desc("How to lower conv_transpose2d"),
      llvm::cl::init(ConvTransposeStrategy::Phase),
      llvm::cl::values(
          clEnumValN(ConvTransposeStrategy::Phase, "phase",
                     "stride-phase decomposition, no inserted zeros"),
          clEnumValN(ConvTransposeStrategy::ZeroInsert, "zero-insert",
                     "zero insertion + flipped-kernel correlation"))};
};

/// Options of `flow-lower-to-cpu`.
struct CpuPipelineOptions
    : public LowerFlowPipelineOptions<CpuPipelineOptions> {
  PassOptions::Option<bool> kernels{
      *this, "kernels",
      llvm::cl::desc("Vectorised, register-tiled, parallel kernels for "
                     "f32/f64 conv_transpose2d (false: plain affine loops)"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Vector width of the kernels in bits (0: the host's)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> vectorRegisters{
      *this, "vector-registers",
      llvm::cl::desc("Vector registers the kernels' cost model plans for (0: "
                     "the host's, or 32 for 512-bit vectors and 16 otherwise "
                     "when vector-bits is given)"),
      llvm::cl::init(0)};
  PassOptions::Option<bool> parallel{
      *this, "parallel",
      llvm::cl::desc("Run large kernels on all cores (OpenMP)"),
      llvm::cl::init(true)};
};

/// flow -> linalg -> bufferized -> affine loops -> scf/cf -> LLVM dialect,
/// ready for the ExecutionEngine.
void buildLowerToCpuPipeline(OpPassManager &pm,
                             const CpuPipelineOptions &options);

/// Options of `flow-lower-to-cuda`.
struct CudaPipelineOptions
    : public LowerFlowPipelineOptions<CudaPipelineOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("GPU architecture of the cubin"),
      llvm::cl::init("sm_90")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX features; sm_90 needs +ptx80 or newer"),
      llvm::cl::init("+ptx80")};
  PassOptions::Option<std::string> format{
      *this, "format",
      llvm::cl::desc("Kernel binary: fatbin (cubin + PTX, so newer GPUs can "
                     "JIT it), bin (cubin), isa (PTX, JIT-compiled by the "
                     "driver) or llvm"),
      llvm::cl::init("fatbin")};
  PassOptions::Option<std::string> toolkit{
      *this, "toolkit",
      llvm::cl::desc("CUDA toolkit with ptxas and fatbinary (default: "
                     "$CUDA_HOME, $CUDA_PATH, the toolkit found at build "
                     "time, then PATH)"),
      llvm::cl::init("")};
  PassOptions::Option<unsigned> optLevel{
      *this, "opt-level", llvm::cl::desc("Optimisation level of the kernels"),
      llvm::cl::init(3)};
  PassOptions::Option<int64_t> blockSize{
      *this, "block-size", llvm::cl::desc("Threads per block (1 to 1024)"),
      llvm::cl::init(256)};
  PassOptions::Option<int64_t> registerTile{
      *this, "register-tile",
      llvm::cl::desc("Most outputs one thread of a reduction computes "
                     "(flow-linalg-to-gpu-loops; 1: one per thread)"),
      llvm::cl::init(32)};
  PassOptions::Option<int64_t> minThreads{
      *this, "min-threads",
      llvm::cl::desc("Fewest threads a register tile may leave for one "
                     "kernel"),
      llvm::cl::init(65536)};
  PassOptions::Option<bool> fma{
      *this, "fma",
      llvm::cl::desc("Let a multiply feeding an add become one FMA, as "
                     "nvcc does by default"),
      llvm::cl::init(true)};
};

/// flow -> linalg -> bufferized, buffers in GPU memory -> loops tiled over
/// blocks and threads -> gpu.launch -> outlined kernels -> NVVM -> binary,
/// with the host code lowered to the LLVM dialect calling the mgpu* runtime
/// (libflow_cuda_runtime). Entry functions keep their host memref signature:
/// arguments are copied to the GPU and results back.
void buildLowerToCudaPipeline(OpPassManager &pm,
                              const CudaPipelineOptions &options);

/// Checks the option values a pipeline cannot run with (vector-bits=7, a
/// block size of 0, an unknown binary format), reporting each through
/// `emitError` with the option's name and the values it takes.
LogicalResult
checkPipelineOptions(const CpuPipelineOptions &options,
                     function_ref<LogicalResult(const Twine &)> emitError);
LogicalResult
checkPipelineOptions(const CudaPipelineOptions &options,
                     function_ref<LogicalResult(const Twine &)> emitError);

/// Registers `flow-lower-to-cpu` and `flow-lower-to-cuda`; textual options
/// that checkPipelineOptions rejects fail the pipeline's parsing.
void registerFlowPipelines();

} // namespace mlir::flow

#endif // FLOW_PIPELINES_PIPELINES_H
