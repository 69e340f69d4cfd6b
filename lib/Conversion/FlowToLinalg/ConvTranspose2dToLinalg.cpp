//===- ConvTranspose2dToLinalg.cpp - conv_transpose2d to linalg -----------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Lowers flow.conv_transpose2d to tensor-level linalg.generic correlations.
//
// Both strategies reduce the transposed convolution to correlations of the
// form (loops n, g, co, oh, ow | ci, mh, mw; groups split out of the channel
// dims by tensor.expand_shape so that every loop is a plain operand dim):
//
//   out[n, g, co, oh, ow] +=
//       in[n, g, ci, oh + baseH + mh*stepH, ow + baseW + mw*stepW] *
//       taps[g, ci, co, mh, mw]
//
// where `taps` is a strided slice of the weight. "phase" runs one such
// correlation per stride phase (DESIGN.md §3) over a once-padded input and
// writes it into a strided slice of the output, so no multiply involves an
// inserted zero; "zero-insert" runs one over the zero-inserted, padded input.
//
//===----------------------------------------------------------------------===//

#include "flow/Conversion/FlowToLinalg/FlowToLinalg.h"
#include "flow/Dialect/Flow/IR/FlowOps.h"
#include "flow/Dialect/Flow/Utils/StridePhases.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::flow;

/// The lowering's arithmetic on attributes and kernel sizes (products of two,
/// sums of a few) stays exact in int64 below this bound.
static constexpr int64_t kMaxLowerableValue = (int64_t(1) << 31) - 1;

LogicalResult mlir::flow::checkLowerable(ConvTranspose2DOp op,
                                         std::string &reason) {
  // The weight as the lowering sees it, its channel dims made static where
  // the other operands fix them.
  ArrayRef<int64_t> w = op.getImpliedOperandTypes()[1].getShape();
  static const char *const names[4] = {"input-channel", "output-channel",
                                       "kernel height", "kernel width"};
  for (int i = 0; i < 4; ++i) {
    if (ShapedType::isDynamic(w[i])) {
      reason = std::string("weight ") + names[i] +
               " dimension must be static to lower conv_transpose2d";
      return failure();
    }
  }
  // Found by fuzzing: values near INT64_MAX overflowed the lowering's size
  // arithmetic (no output that size can exist anyway).
  ConvTranspose2dParams p = op.getParams();
  std::pair<const char *, int64_t> values[] = {
      {"stride", p.stride[0]},          {"stride", p.stride[1]},
      {"padding", p.padding[0]},        {"padding", p.padding[1]},
      {"output_padding", p.outputPadding[0]},
      {"output_padding", p.outputPadding[1]},
      {"dilation", p.dilation[0]},      {"dilation", p.dilation[1]},
      {"kernel size", w[2]},            {"kernel size", w[3]}};
  for (auto [name, value] : values) {
    if (value > kMaxLowerableValue) {
      reason = std::string(name) + " " + std::to_string(value) +
               " is too large to lower conv_transpose2d (at most " +
               std::to_string(kMaxLowerableValue) + ")";
      return failure();
    }
  }
  return success();
}

namespace {

/// More phase correlations than this (huge strides with large kernels) and
/// the lowering uses the zero-insertion form instead, one correlation.
constexpr int64_t kMaxPhasePairs = 4096;

using SpatialDim = ConvTransposeDim;
using Taps = PhaseTaps;

/// Lowers one op; holds what the two strategies share.
class Lowering {
public:
  Lowering(ConvTranspose2DOp op, PatternRewriter &b)
      : op(op), b(b), loc(op.getLoc()) {
    ConvTranspose2dParams p = op.getParams();
    // The weight as the lowering sees it, its channel dims made static where
  // the other operands fix them.
  ArrayRef<int64_t> w = op.getImpliedOperandTypes()[1].getShape();
    for (int i = 0; i < 2; ++i)
      dims[i] = {w[2 + i], p.stride[i], p.padding[i], p.outputPadding[i],
                 p.dilation[i]};
    groups = p.groups;
    cin = w[0];
    cog = w[1];
    elemType = op.getType().getElementType();
    accType =
        elemType.getIntOrFloatBitWidth() < 32 ? b.getF32Type() : elemType;
    Value x = op.getInput();
    batch = tensor::getMixedSize(b, loc, x, 0);
    for (int i = 0; i < 2; ++i) {
      inSize[i] = tensor::getMixedSize(b, loc, x, 2 + i);
      outSize[i] = clampedAffine(inSize[i], dims[i].stride,
                                 dims[i].extra() - dims[i].stride);
    }
  }

  Value lowerByPhases();
  Value lowerByZeroInsertion();
  /// Whether the phase form stays small: one correlation per pair of tapped
  /// H and W classes, at most kMaxPhasePairs (else use zero insertion).
  bool phasesFit();
  /// The accumulator-typed output holding the bias (or zeros).
  Value initialOutput();
  /// True when the batch is statically empty (nothing to correlate).
  bool emptyBatch() {
    return getConstantIntValue(batch) == std::optional<int64_t>(0);
  }
  /// Converts the accumulator to the element type and the declared type.
  Value finish(Value acc);

private:
  OpFoldResult index(int64_t v) { return b.getIndexAttr(v); }
  OpFoldResult clampedAffine(OpFoldResult v, int64_t scale, int64_t offset);
  Value floatConstant(Type type, double v) {
    return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, v));
  }
  Value extend(OpBuilder &nb, Location nl, Value v) {
    return v.getType() == accType ? v
                                  : arith::ExtFOp::create(nb, nl, accType, v);
  }
  Value padInput(ArrayRef<int64_t> low, ArrayRef<int64_t> high);
  Value sliceWeight(const Taps (&taps)[2]);
  Value splitGroups(Value v, int64_t channelDim, int64_t perGroup);
  Value correlate(Value in, Value weight, Value out, const Taps (&taps)[2]);

  ConvTranspose2DOp op;
  PatternRewriter &b;
  Location loc;
  SpatialDim dims[2];
  int64_t groups, cin, cog;
  Type elemType, accType;
  OpFoldResult batch, inSize[2], outSize[2];
};

/// max(0, v*scale + offset), folded to a constant when `v` is static.
OpFoldResult Lowering::clampedAffine(OpFoldResult v, int64_t scale,
                                     int64_t offset) {
  AffineExpr s0 = b.getAffineSymbolExpr(0);
  OpFoldResult r =
      affine::makeComposedFoldedAffineApply(b, loc, s0 * scale + offset, {v});
  if (std::optional<int64_t> c = getConstantIntValue(r))
    return index(std::max<int64_t>(0, *c));
  AffineMap map =
      AffineMap::get(0, 1, {s0, b.getAffineConstantExpr(0)}, b.getContext());
  return affine::makeComposedFoldedAffineMax(b, loc, map, {r});
}

/// The accumulator-typed output, holding the bias (or zeros).
Value Lowering::initialOutput() {
  SmallVector<OpFoldResult> sizes = {batch, index(cog * groups), outSize[0],
                                     outSize[1]};
  Value empty = tensor::EmptyOp::create(b, loc, sizes, accType);
  Value bias = op.getBias();
  if (!bias)
    return linalg::FillOp::create(b, loc, floatConstant(accType, 0.0), empty)
        .getResult(0);
  MLIRContext *ctx = b.getContext();
  AffineMap biasMap = AffineMap::get(4, 0, {b.getAffineDimExpr(1)}, ctx);
  AffineMap outMap = AffineMap::getMultiDimIdentityMap(4, ctx);
  SmallVector<utils::IteratorType> iters(4, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, empty.getType(), ValueRange{bias}, ValueRange{empty},
             ArrayRef<AffineMap>{biasMap, outMap}, iters,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, extend(nb, nl, args[0]));
             })
      .getResult(0);
}

/// Zero-pads the spatial dims of the input.
Value Lowering::padInput(ArrayRef<int64_t> low, ArrayRef<int64_t> high) {
  Value x = op.getInput();
  if (low[0] == 0 && low[1] == 0 && high[0] == 0 && high[1] == 0)
    return x;
  SmallVector<OpFoldResult> lo = {index(0), index(0), index(low[0]),
                                  index(low[1])};
  SmallVector<OpFoldResult> hi = {index(0), index(0), index(high[0]),
                                  index(high[1])};
  return tensor::PadOp::create(b, loc, Type(), x, lo, hi,
                               floatConstant(elemType, 0.0));
}

/// The part of the weight a correlation uses: w[:, :, kFirst + m*kStride].
Value Lowering::sliceWeight(const Taps (&taps)[2]) {
  Value w = op.getWeight();
  if (taps[0].kFirst == 0 && taps[0].kStride == 1 &&
      taps[0].count == dims[0].kernel && taps[1].kFirst == 0 &&
      taps[1].kStride == 1 && taps[1].count == dims[1].kernel)
    return w;
  SmallVector<OpFoldResult> offsets = {index(0), index(0),
                                       index(taps[0].kFirst),
                                       index(taps[1].kFirst)};
  SmallVector<OpFoldResult> sizes = {index(cin), index(cog),
                                     index(taps[0].count),
                                     index(taps[1].count)};
  SmallVector<OpFoldResult> strides = {index(1), index(1),
                                       index(taps[0].kStride),
                                       index(taps[1].kStride)};
  return tensor::ExtractSliceOp::create(b, loc, w, offsets, sizes, strides);
}

/// Splits dim `channelDim` of a rank-4 tensor into (groups, perGroup).
Value Lowering::splitGroups(Value v, int64_t channelDim, int64_t perGroup) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, v);
  SmallVector<OpFoldResult> outSizes;
  SmallVector<int64_t> shape;
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t i = 0, e = type.getRank(); i < e; ++i) {
    if (i == channelDim) {
      int64_t at = outSizes.size();
      reassociation.push_back({at, at + 1});
      outSizes.append({index(groups), index(perGroup)});
      shape.append({groups, perGroup});
      continue;
    }
    reassociation.push_back({static_cast<int64_t>(outSizes.size())});
    outSizes.push_back(sizes[i]);
    shape.push_back(type.getDimSize(i));
  }
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return tensor::ExpandShapeOp::create(b, loc, resultType, v, reassociation,
                                       outSizes);
}

/// Accumulates into `out` (N x Cout x Oh x Ow) the correlation of `in`
/// (N x Cin x Hp x Wp) with `weight` (Cin x Cog x Th x Tw).
Value Lowering::correlate(Value in, Value weight, Value out,
                          const Taps (&taps)[2]) {
  int64_t cig = cin / groups;
  Value in5 = splitGroups(in, 1, cig);
  Value w5 = splitGroups(weight, 0, cig);
  Value out5 = splitGroups(out, 1, cog);

  MLIRContext *ctx = b.getContext();
  AffineExpr n, g, co, oh, ow, ci, mh, mw;
  bindDims(ctx, n, g, co, oh, ow, ci, mh, mw);
  AffineMap inMap = AffineMap::get(
      8, 0,
      {n, g, ci, oh + mh * taps[0].step + taps[0].base,
       ow + mw * taps[1].step + taps[1].base},
      ctx);
  AffineMap wMap = AffineMap::get(8, 0, {g, ci, co, mh, mw}, ctx);
  AffineMap outMap = AffineMap::get(8, 0, {n, g, co, oh, ow}, ctx);
  SmallVector<utils::IteratorType> iters(5, utils::IteratorType::parallel);
  iters.append(3, utils::IteratorType::reduction);
  Value acc =
      linalg::GenericOp::create(
          b, loc, out5.getType(), ValueRange{in5, w5}, ValueRange{out5},
          ArrayRef<AffineMap>{inMap, wMap, outMap}, iters,
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value prod = arith::MulFOp::create(nb, nl, extend(nb, nl, args[0]),
                                               extend(nb, nl, args[1]));
            Value sum = arith::AddFOp::create(nb, nl, args[2], prod);
            linalg::YieldOp::create(nb, nl, sum);
          })
          .getResult(0);
  SmallVector<ReassociationIndices> merge = {{0}, {1, 2}, {3}, {4}};
  return tensor::CollapseShapeOp::create(b, loc, out.getType(), acc, merge);
}

bool Lowering::phasesFit() {
  int64_t pairs = 1;
  for (const SpatialDim &d : dims)
    pairs *= std::min(d.kernel, d.tapPeriod());
  return pairs <= kMaxPhasePairs;
}

Value Lowering::lowerByPhases() {
  // Taps of every class that has some (classes without taps hold just the
  // bias; iterating over all `stride` classes hung on huge strides, found by
  // fuzzing) and the padding that all classes need together.
  SmallVector<int64_t> classes[2] = {tappedClasses(dims[0]),
                                     tappedClasses(dims[1])};
  SmallVector<Taps> classTaps[2];
  int64_t low[2] = {0, 0}, high[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    for (int64_t c : classes[i]) {
      Taps t = phaseTaps(dims[i], c);
      classTaps[i].push_back(t);
      if (t.count == 0)
        continue;
      // Lowest read: q = 0 at the last tap; highest: the last q (H - 2 +
      // countOffset) at tap 0, relative to the last input (H - 1).
      low[i] = std::max(low[i], -t.lowestRead());
      high[i] = std::max(high[i], phaseCountOffset(dims[i], c) - 1 + t.base);
    }
  }
  Value padded = padInput(low, high);
  Value out = initialOutput();
  for (auto [cy, tapsY] : llvm::zip_equal(classes[0], classTaps[0])) {
    for (auto [cx, tapsX] : llvm::zip_equal(classes[1], classTaps[1])) {
      Taps taps[2] = {tapsY, tapsX};
      if (taps[0].count == 0 || taps[1].count == 0)
        continue; // the class holds just the bias
      int64_t cls[2] = {cy, cx};
      OpFoldResult count[2];
      bool empty = false;
      for (int i = 0; i < 2; ++i) {
        taps[i].base += low[i];
        count[i] = phaseSize(b, loc, dims[i], cls[i], inSize[i]);
        empty |= getConstantIntValue(count[i]) == std::optional<int64_t>(0);
      }
      if (empty)
        continue;
      SmallVector<OpFoldResult> offsets = {index(0), index(0), index(cy),
                                           index(cx)};
      SmallVector<OpFoldResult> sizes = {batch, index(cog * groups), count[0],
                                         count[1]};
      SmallVector<OpFoldResult> strides = {index(1), index(1),
                                           index(dims[0].stride),
                                           index(dims[1].stride)};
      Value slice =
          tensor::ExtractSliceOp::create(b, loc, out, offsets, sizes, strides);
      Value acc = correlate(padded, sliceWeight(taps), slice, taps);
      out = tensor::InsertSliceOp::create(b, loc, acc, out, offsets, sizes,
                                          strides);
    }
  }
  return out;
}

Value Lowering::lowerByZeroInsertion() {
  // Output o takes x[i]*w[k] for o = i*s - p + k*d, i.e. zero-inserted index
  // j = o + p - k*d; with `low` zeros in front it is o + (p + low) - k*d.
  int64_t low[2], high[2];
  Taps taps[2];
  SmallVector<OpFoldResult> sizes = {batch, index(cin)};
  for (int i = 0; i < 2; ++i) {
    const SpatialDim &d = dims[i];
    int64_t reach = d.dilation * (d.kernel - 1);
    low[i] = std::max<int64_t>(0, reach - d.padding);
    high[i] = std::max<int64_t>(0, reach + d.outputPadding - d.padding);
    // (in-1)*s + 1 + low + high
    sizes.push_back(
        clampedAffine(inSize[i], d.stride, 1 - d.stride + low[i] + high[i]));
    taps[i] = {/*kFirst=*/0, /*kStride=*/1, /*count=*/d.kernel,
               /*base=*/d.padding + low[i], /*step=*/-d.dilation};
  }
  Value zeros =
      linalg::FillOp::create(
          b, loc, floatConstant(elemType, 0.0),
          tensor::EmptyOp::create(b, loc, sizes, elemType).getResult())
          .getResult(0);
  SmallVector<OpFoldResult> offsets = {index(0), index(0), index(low[0]),
                                       index(low[1])};
  SmallVector<OpFoldResult> inSizes = {batch, index(cin), inSize[0],
                                       inSize[1]};
  SmallVector<OpFoldResult> strides = {index(1), index(1),
                                       index(dims[0].stride),
                                       index(dims[1].stride)};
  Value inserted = tensor::InsertSliceOp::create(b, loc, op.getInput(), zeros,
                                                 offsets, inSizes, strides);
  return correlate(inserted, op.getWeight(), initialOutput(), taps);
}

Value Lowering::finish(Value acc) {
  Value result = acc;
  if (accType != elemType) {
    Value empty = tensor::EmptyOp::create(
        b, loc, tensor::getMixedSizes(b, loc, acc), elemType);
    AffineMap id = AffineMap::getMultiDimIdentityMap(4, b.getContext());
    SmallVector<utils::IteratorType> iters(4, utils::IteratorType::parallel);
    result = linalg::GenericOp::create(
                 b, loc, empty.getType(), ValueRange{acc}, ValueRange{empty},
                 ArrayRef<AffineMap>{id, id}, iters,
                 [&](OpBuilder &nb, Location nl, ValueRange args) {
                   linalg::YieldOp::create(
                       nb, nl,
                       arith::TruncFOp::create(nb, nl, elemType, args[0])
                           .getResult());
                 })
                 .getResult(0);
  }
  if (result.getType() != op.getType())
    result = tensor::CastOp::create(b, loc, op.getType(), result);
  return result;
}

class ConvTranspose2dLowering : public OpRewritePattern<ConvTranspose2DOp> {
public:
  ConvTranspose2dLowering(MLIRContext *ctx, ConvTransposeStrategy strategy)
      : OpRewritePattern(ctx), strategy(strategy) {}

  LogicalResult matchAndRewrite(ConvTranspose2DOp op,
                                PatternRewriter &rewriter) const override {
    std::string reason;
    if (failed(checkLowerable(op, reason)))
      return rewriter.notifyMatchFailure(op, reason);
    // Dynamic channel dims that the other operands fix become static (a
    // dynamic input channel dim split into groups made an invalid
    // tensor.expand_shape, found by fuzzing; the weight must be static).
    op.castOperandsToImpliedTypes(rewriter);
    Lowering lowering(op, rewriter);
    Value acc =
        lowering.emptyBatch() ? lowering.initialOutput()
        : strategy == ConvTransposeStrategy::Phase && lowering.phasesFit()
            ? lowering.lowerByPhases()
            : lowering.lowerByZeroInsertion();
    rewriter.replaceOp(op, lowering.finish(acc));
    return success();
  }

private:
  ConvTransposeStrategy strategy;
};

} // namespace

void mlir::flow::populateFlowToLinalgPatterns(RewritePatternSet &patterns,
                                              ConvTransposeStrategy strategy) {
  patterns.add<ConvTranspose2dLowering>(patterns.getContext(), strategy);
}
