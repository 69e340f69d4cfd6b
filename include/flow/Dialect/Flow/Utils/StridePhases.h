//===- StridePhases.h - Stride-phase decomposition --------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The stride-phase decomposition of a transposed convolution, per spatial
// dimension, for any number of spatial dimensions. With stride s, dilation
// d, padding p and kernel size K, output o = s*q + c belongs to class c in
// [0, s). Its kernel taps are the k in [0, K) with k*d = c + p (mod s):
// k = k0 + m*L with L = s/gcd(s, d), m in [0, count). Tap m reads input
// i = q + base - m*D with base = (c + p - k0*d)/s (exact) and D = d/gcd(s,d).
// A class with no taps holds just the bias. Every lowering (linalg, the CPU
// kernels, the GPU) uses these functions.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_DIALECT_FLOW_UTILS_STRIDEPHASES_H
#define FLOW_DIALECT_FLOW_UTILS_STRIDEPHASES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace mlir::flow {

/// The attributes of one spatial dimension of a transposed convolution.
struct ConvTransposeDim {
  int64_t kernel = 1, stride = 1, padding = 0, outputPadding = 0,
          dilation = 1;

  /// Output size minus (in - 1) * stride.
  int64_t extra() const {
    return -2 * padding + dilation * (kernel - 1) + outputPadding + 1;
  }
  /// Output size for input size `in` (may be < 1 for invalid sizes).
  int64_t outputSize(int64_t in) const { return (in - 1) * stride + extra(); }
  /// Distance between the kernel taps of one class: s / gcd(s, d).
  int64_t tapPeriod() const;
  /// Input step between consecutive taps of one class, negated: d/gcd(s, d).
  int64_t inputStep() const;
};

/// The kernel taps of one output class along one dimension: tap m in
/// [0, count) is kernel index kFirst + m*kStride and, for output q of the
/// class, reads input q + base + m*step (step <= 0; base relative to the
/// unpadded input, possibly negative or past its end).
struct PhaseTaps {
  int64_t kFirst = 0, kStride = 1, count = 0, base = 0, step = 0;

  /// Lowest input index read by outputs [0, n) of the class (n >= 1).
  int64_t lowestRead() const { return base + (count - 1) * step; }
  /// Highest input index read by outputs [0, n) of the class (n >= 1).
  int64_t highestRead(int64_t n) const { return n - 1 + base; }
};

/// The taps of output class `c` (0 <= c < stride); count == 0 when the class
/// has none.
PhaseTaps phaseTaps(const ConvTransposeDim &d, int64_t c);

/// The classes with taps, in increasing order: at most min(kernel, period)
/// of the `stride` classes (visiting only these keeps huge strides cheap).
SmallVector<int64_t> tappedClasses(const ConvTransposeDim &d);

/// The number of outputs of class `c` is max(0, in - 1 + this).
int64_t phaseCountOffset(const ConvTransposeDim &d, int64_t c);

/// Outputs of class `c` for a static input size `in`.
int64_t phaseSize(const ConvTransposeDim &d, int64_t c, int64_t in);

/// Outputs of class `c` for an input size that may be dynamic: a constant
/// attribute when `in` is one, else max(0, in - 1 + offset) as affine ops.
OpFoldResult phaseSize(OpBuilder &b, Location loc, const ConvTransposeDim &d,
                       int64_t c, OpFoldResult in);

/// One spatial dimension of the decomposition: every class with its taps.
struct PhaseDim {
  ConvTransposeDim dim;
  /// taps[c] for c in [0, stride) (empty when the stride is too large to
  /// enumerate; use `tapped` then).
  SmallVector<PhaseTaps> taps;
  /// The classes with taps, increasing.
  SmallVector<int64_t> tapped;
};

/// The decomposition of all spatial dimensions. `enumerateUpTo`: strides up
/// to this get the taps of all their classes in PhaseDim::taps.
SmallVector<PhaseDim> decomposeStridePhases(ArrayRef<ConvTransposeDim> dims,
                                            int64_t enumerateUpTo = 64);

} // namespace mlir::flow

#endif // FLOW_DIALECT_FLOW_UTILS_STRIDEPHASES_H
