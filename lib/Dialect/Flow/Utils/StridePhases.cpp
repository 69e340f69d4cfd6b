//===- StridePhases.cpp - Stride-phase decomposition ----------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Dialect/Flow/Utils/StridePhases.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <numeric>

using namespace mlir;
using namespace mlir::flow;

int64_t ConvTransposeDim::tapPeriod() const {
  return stride / std::gcd(stride, dilation);
}

int64_t ConvTransposeDim::inputStep() const {
  return dilation / std::gcd(stride, dilation);
}

PhaseTaps mlir::flow::phaseTaps(const ConvTransposeDim &d, int64_t c) {
  int64_t period = d.tapPeriod();
  PhaseTaps t;
  // k*d mod s repeats with period L, so the first tap (if any) is below L.
  int64_t limit = std::min(d.kernel, period);
  int64_t k0 = 0;
  while (k0 < limit && llvm::mod(k0 * d.dilation - c - d.padding, d.stride))
    ++k0;
  if (k0 == limit)
    return t;
  t.kFirst = k0;
  t.kStride = period;
  t.count = (d.kernel - 1 - k0) / period + 1;
  t.base = (c + d.padding - k0 * d.dilation) / d.stride; // exact division
  t.step = -d.inputStep();
  return t;
}

SmallVector<int64_t> mlir::flow::tappedClasses(const ConvTransposeDim &d) {
  SmallVector<int64_t> classes;
  for (int64_t k = 0, e = std::min(d.kernel, d.tapPeriod()); k < e; ++k)
    classes.push_back(llvm::mod(k * d.dilation - d.padding, d.stride));
  llvm::sort(classes);
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  return classes;
}

int64_t mlir::flow::phaseCountOffset(const ConvTransposeDim &d, int64_t c) {
  return llvm::divideCeilSigned(d.extra() - c, d.stride);
}

int64_t mlir::flow::phaseSize(const ConvTransposeDim &d, int64_t c,
                              int64_t in) {
  return std::max<int64_t>(0, in - 1 + phaseCountOffset(d, c));
}

OpFoldResult mlir::flow::phaseSize(OpBuilder &b, Location loc,
                                   const ConvTransposeDim &d, int64_t c,
                                   OpFoldResult in) {
  if (std::optional<int64_t> v = getConstantIntValue(in))
    return b.getIndexAttr(phaseSize(d, c, *v));
  AffineExpr s0 = b.getAffineSymbolExpr(0);
  AffineMap map = AffineMap::get(
      0, 1, {s0 + (phaseCountOffset(d, c) - 1), b.getAffineConstantExpr(0)},
      b.getContext());
  return affine::makeComposedFoldedAffineMax(b, loc, map, {in});
}

SmallVector<PhaseDim>
mlir::flow::decomposeStridePhases(ArrayRef<ConvTransposeDim> dims,
                                  int64_t enumerateUpTo) {
  SmallVector<PhaseDim> result;
  for (const ConvTransposeDim &d : dims) {
    PhaseDim pd;
    pd.dim = d;
    pd.tapped = tappedClasses(d);
    if (d.stride <= enumerateUpTo)
      for (int64_t c = 0; c < d.stride; ++c)
        pd.taps.push_back(phaseTaps(d, c));
    result.push_back(std::move(pd));
  }
  return result;
}
