//===- CpuKernels.h - Vectorised CPU kernels for flow ops -------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_PIPELINES_CPUKERNELS_H
#define FLOW_PIPELINES_CPUKERNELS_H

#include "flow/Conversion/FlowToLinalg/FlowToLinalg.h"
#include "mlir/Pass/Pass.h"

#include <array>
#include <cstdint>
#include <memory>

namespace mlir::flow {

/// Options of the CPU kernel generator for flow.conv_transpose2d.
struct CpuKernelOptions {
  /// Phase: per stride phase, a direct correlation over the once-padded
  /// input (no inserted zeros). ZeroInsert: one stride-1 correlation over the
  /// zero-inserted input (the textbook form, for comparison).
  ConvTransposeStrategy strategy = ConvTransposeStrategy::Phase;
  /// Vector register width in bits; 0 asks the host CPU (512 with AVX-512,
  /// 256 with AVX2, else 128).
  int64_t vectorBits = 0;
  /// Number of vector registers; 0 derives it from the host (32 with
  /// AVX-512, else 16).
  int64_t vectorRegisters = 0;
  /// Convolutions with fewer FLOPs than this run on one thread (no
  /// affine.parallel), so that small shapes pay no fork/join.
  double parallelMinFlops = 4.0e6;
  /// Whether to emit affine.parallel loops at all.
  bool parallel = true;
  /// Register tile {channels, rows, vectors}; zeros: the cost model's.
  std::array<int64_t, 3> tile = {0, 0, 0};
};

/// Returns {vector bits, vector registers} of the host CPU.
std::pair<int64_t, int64_t> hostVectorShape();

/// Rewrites each f32/f64 flow.conv_transpose2d with static channels, kernel
/// and spatial sizes (the batch may be dynamic) into register-tiled,
/// vectorised, bias-fused affine loop nests over buffers (affine.parallel
/// over independent output tiles), bridged to the surrounding tensors with
/// bufferization.to_buffer / to_tensor. Other ops are left for the linalg
/// lowering.
std::unique_ptr<Pass>
createCpuConvTransposeKernelsPass(const CpuKernelOptions &options = {});

/// Inlines memref.alloca_scope ops between llvm.intr.stacksave/stackrestore
/// (to run after SCF to OpenMP, before SCF to ControlFlow).
std::unique_ptr<Pass> createLowerAllocaScopesPass();

/// Registers `flow-cpu-conv-transpose-kernels` and
/// `flow-lower-alloca-scopes`.
void registerCpuKernelPasses();

} // namespace mlir::flow

#endif // FLOW_PIPELINES_CPUKERNELS_H
