//===- PipelineRegistration.cpp - Register the flow-lower-to-* pipelines --===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Pipelines/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Regex.h"

using namespace mlir;
using namespace mlir::flow;

LogicalResult mlir::flow::checkPipelineOptions(
    const CpuPipelineOptions &options,
    function_ref<LogicalResult(const Twine &)> emitError) {
  int64_t bits = options.vectorBits;
  if (bits != 0 && (bits < 128 || bits > 2048 || !llvm::isPowerOf2_64(bits)))
    return emitError("vector-bits=" + Twine(bits) +
                     " is not a vector width: give 0 (the host's) or a "
                     "power of two from 128 to 2048");
  return success();
}

LogicalResult mlir::flow::checkPipelineOptions(
    const CudaPipelineOptions &options,
    function_ref<LogicalResult(const Twine &)> emitError) {
  bool ok = true;
  auto error = [&](const Twine &msg) {
    (void)emitError(msg);
    ok = false;
  };
  if (options.blockSize < 1 || options.blockSize > 1024)
    error("block-size=" + Twine(options.blockSize) +
          " is not a thread count: give 1 to 1024");
  if (options.registerTile < 1)
    error("register-tile=" + Twine(options.registerTile) +
          " must be at least 1");
  if (options.minThreads < 1)
    error("min-threads=" + Twine(options.minThreads) + " must be at least 1");
  if (options.optLevel > 3)
    error("opt-level=" + Twine(options.optLevel) + " must be 0 to 3");
  StringRef format = options.format;
  if (!llvm::is_contained({"fatbin", "bin", "isa", "llvm", "fatbinary",
                           "binary", "assembly", "offloading"},
                          format))
    error("format='" + format + "' is not a kernel binary format: give "
          "fatbin, bin, isa or llvm");
  if (!llvm::Regex("^sm_[0-9]+[af]?$").match(options.chip))
    error("chip='" + options.chip + "' is not an NVIDIA GPU architecture: "
          "give sm_XY (sm_90, sm_90a, ...)");
  return success(ok);
}

/// PassPipelineRegistration, with the options checked before the pipeline
/// is built: an invalid value fails the parsing with a message naming it.
template <typename Options>
static void registerCheckedPipeline(StringRef name, StringRef description,
                                    void (*build)(OpPassManager &,
                                                  const Options &)) {
  std::string prefix = name.str() + ": ";
  registerPassPipeline(
      name, description,
      [build, prefix](OpPassManager &pm, StringRef text,
                      function_ref<LogicalResult(const Twine &)> emitError) {
        Options options;
        if (failed(options.parseFromString(text)))
          return failure();
        if (failed(checkPipelineOptions(options, [&](const Twine &msg) {
              return emitError(prefix + msg);
            })))
          return failure();
        build(pm, options);
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> optHandler) {
        optHandler(Options());
      });
}

void mlir::flow::registerFlowPipelines() {
  registerCheckedPipeline<CpuPipelineOptions>(
      "flow-lower-to-cpu",
      "Lower flow to the LLVM dialect for CPUs through linalg and affine "
      "loops",
      buildLowerToCpuPipeline);
  registerCheckedPipeline<CudaPipelineOptions>(
      "flow-lower-to-cuda",
      "Lower flow to NVIDIA GPU kernels (a gpu.binary) and host code in the "
      "LLVM dialect calling the mgpu* runtime",
      buildLowerToCudaPipeline);
}
