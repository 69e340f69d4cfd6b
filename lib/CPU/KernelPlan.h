//===- KernelPlan.h - What a CPU kernel computes ----------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The plan of one flow.conv_transpose2d CPU kernel: the problem (channels,
// stride classes and their taps per spatial axis, buffer geometry) and the
// tiling chosen by the cost model (CostModel.cpp). KernelEmitter.cpp and
// KernelBuffers.cpp emit the loops of a plan.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_LIB_CPU_KERNELPLAN_H
#define FLOW_LIB_CPU_KERNELPLAN_H

#include "flow/Conversion/FlowToLinalg/FlowToLinalg.h"
#include "flow/Dialect/Flow/IR/FlowOps.h"
#include "flow/Dialect/Flow/Utils/StridePhases.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <array>

namespace mlir::flow::cpu {

/// What the kernel generator is asked for (the pass options, resolved
/// against the host).
struct CpuKernelOptions {
  ConvTransposeStrategy strategy = ConvTransposeStrategy::Phase;
  int64_t vectorBits = 0, vectorRegisters = 0;
  /// Convolutions with fewer FLOPs than this run on one thread (no
  /// affine.parallel), so that small shapes pay no fork/join.
  double parallelMinFlops = 4.0e6;
  bool parallel = true;
  /// Register tile {channels, rows, vectors}; zeros: the cost model's.
  std::array<int64_t, 3> tile = {0, 0, 0};
};

inline int64_t ceilDiv(int64_t a, int64_t b) {
  return llvm::divideCeilSigned(a, b);
}

/// The kernel taps one class uses along one axis (base rebased on the
/// buffer by Axis::layout).
using Taps = PhaseTaps;

/// One spatial axis of the generated computation.
struct Axis {
  int64_t in = 0, out = 0;
  /// Output classes: output o = classes*q + c (the stride for phases, 1 for
  /// the zero-inserted form).
  int64_t classes = 1;
  SmallVector<Taps> taps;    // per class
  SmallVector<int64_t> size; // outputs per class
  /// Buffer geometry: input element i sits at low + i*ins; `extent` total.
  int64_t ins = 1, low = 0, high = 0, extent = 0;

  /// Lays out the buffer so that every read of a class with `reads[c]`
  /// consecutive outputs stays inside it, and rebases the taps on it.
  void layout(ArrayRef<int64_t> reads) {
    int64_t core = (in - 1) * ins + 1;
    int64_t lo = 0, hi = core - 1;
    for (int64_t c = 0; c < classes; ++c) {
      if (taps[c].count == 0 || reads[c] == 0)
        continue;
      lo = std::min(lo, taps[c].base + (taps[c].count - 1) * taps[c].step);
      hi = std::max(hi, reads[c] - 1 + taps[c].base);
    }
    low = -lo;
    high = hi - (core - 1);
    extent = low + core + high;
    for (Taps &t : taps)
      t.base += low;
  }
  int64_t maxSize() const {
    return *std::max_element(size.begin(), size.end());
  }
};

/// Register tile and task decomposition.
struct Tiling {
  int64_t tco = 1, rows = 1, vecs = 1;
  /// Output channels (multiple of tco) and rows (multiple of `rows`) of one
  /// parallel task.
  int64_t coBlock = 1, rowBlock = 1;
  /// Channel blocks outside the rows inside a task (large weights).
  bool coOuter = false;
};

/// The problem and its tiling (the cost model's output).
struct KernelPlan {
  KernelPlan(ConvTranspose2DOp op, const CpuKernelOptions &options)
      : op(op), options(options), vectorBits(options.vectorBits),
        registers(options.vectorRegisters) {}

  /// Checks that the op is supported and plans the computation.
  LogicalResult plan();

  ConvTranspose2DOp op;
  const CpuKernelOptions &options;
  int64_t vectorBits, registers;
  Location loc = UnknownLoc();

  // Problem.
  Type elemType;
  int64_t lanes = 8;
  int64_t batch = 0; // ShapedType::kDynamic when dynamic
  int64_t cin = 0, cout = 0, groups = 1, cig = 0, cog = 0, kh = 0, kw = 0;
  Axis ax[2];
  /// Buffer rows one task reads: outputs rows [RB*t, RB*t + RB) of any
  /// class read buffer rows RB*t + firstRow + [0, rowsIn).
  int64_t firstRow = 0, rowsIn = 0;
  bool parallel = true;
  Tiling tiling;
  // Derived.
  int64_t numCoBlocks = 0; // ceil(cog / tco)
  int64_t coTasks = 1, rowTasks = 1;
  int64_t scratchWidth = 0; // elements per scratch row (sx >= 2)
  bool streamOutput = false; // non-temporal output stores

private:
  void chooseTiling();
  void chooseTasks();
};

} // namespace mlir::flow::cpu

#endif // FLOW_LIB_CPU_KERNELPLAN_H
