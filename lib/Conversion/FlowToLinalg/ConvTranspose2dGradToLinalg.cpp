//===- ConvTranspose2dGradToLinalg.cpp - Gradient ops to linalg -----------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Lowers flow.conv_transpose2d_grad_input and _grad_weight to one
// linalg.generic each over grad_output zero-padded by `padding` on the low
// side (gop), with the channels split into (groups, channels per group):
//
//   grad_input[n, g, i, h, v]  += gop[n, g, o, h*s0 + kh*d0, v*s1 + kw*d1]
//                                 * w[g, i, o, kh, kw]
//   grad_weight[g, i, o, kh, kw] += x[n, g, i, h, v]
//                                 * gop[n, g, o, h*s0 + kh*d0, v*s1 + kw*d1]
//
// The direct strided, dilated convolution: every multiply reads a real
// element of grad_output or the padding border, never an inserted zero.
// Static shapes only.
//
//===----------------------------------------------------------------------===//

#include "flow/Conversion/FlowToLinalg/GradToLinalg.h"
#include "flow/Dialect/Flow/IR/FlowGradOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::flow;

namespace {

struct GradGeometry {
  int64_t stride[2], padding[2], dilation[2], groups;
};

template <typename OpTy>
GradGeometry geometryOf(OpTy op) {
  GradGeometry g;
  for (int i = 0; i < 2; ++i) {
    g.stride[i] = op.getStride()[i];
    g.padding[i] = op.getPadding()[i];
    g.dilation[i] = op.getDilation()[i];
  }
  g.groups = op.getGroups();
  return g;
}

/// grad_output padded low by `padding` and high far enough for the largest
/// index h*s + kh*d, then expanded to N x G x Cout/G x Hp x Wp.
Value padAndGroup(OpBuilder &b, Location loc, Value go,
                  ArrayRef<int64_t> inHW, ArrayRef<int64_t> kHW,
                  const GradGeometry &g) {
  auto goTy = cast<RankedTensorType>(go.getType());
  ArrayRef<int64_t> gs = goTy.getShape();
  SmallVector<OpFoldResult> low = {b.getIndexAttr(0), b.getIndexAttr(0)};
  SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(0)};
  SmallVector<int64_t> padded = {gs[0], gs[1], 0, 0};
  for (int i = 0; i < 2; ++i) {
    int64_t need = (inHW[i] - 1) * g.stride[i] + (kHW[i] - 1) * g.dilation[i] + 1;
    int64_t extra = std::max<int64_t>(0, need - g.padding[i] - gs[2 + i]);
    low.push_back(b.getIndexAttr(g.padding[i]));
    high.push_back(b.getIndexAttr(extra));
    padded[2 + i] = gs[2 + i] + g.padding[i] + extra;
  }
  Type et = goTy.getElementType();
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(et));
  auto padTy = RankedTensorType::get(padded, et);
  Value pad = tensor::PadOp::create(b, loc, padTy, go, low, high, zero);
  auto groupedTy = RankedTensorType::get(
      {padded[0], g.groups, padded[1] / g.groups, padded[2], padded[3]}, et);
  return tensor::ExpandShapeOp::create(
      b, loc, groupedTy, pad,
      SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
}

/// zero-filled tensor of `shape`, the accumulator of the reduction.
Value zeros(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Type et) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, et);
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(et));
  return linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{empty})
      .getResult(0);
}

/// linalg.generic: out += lhs * rhs over 5 parallel and 3 reduction loops.
Value multiplyAccumulate(OpBuilder &b, Location loc, Value lhs, Value rhs,
                         Value init, ArrayRef<AffineMap> maps) {
  SmallVector<utils::IteratorType> iters(5, utils::IteratorType::parallel);
  iters.append(3, utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{lhs, rhs},
      ValueRange{init}, maps, iters,
      [](OpBuilder &nb, Location nl, ValueRange args) {
        Value m = arith::MulFOp::create(nb, nl, args[0], args[1]);
        Value s = arith::AddFOp::create(nb, nl, args[2], m);
        linalg::YieldOp::create(nb, nl, s);
      });
  return generic.getResult(0);
}

bool allStatic(Operation *op) {
  for (Type t : llvm::concat<const Type>(op->getOperandTypes(),
                                          op->getResultTypes()))
    if (!cast<RankedTensorType>(t).hasStaticShape())
      return false;
  return true;
}

struct GradInputLowering : OpRewritePattern<ConvTranspose2DGradInputOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ConvTranspose2DGradInputOp op,
                                PatternRewriter &b) const override {
    if (!allStatic(op))
      return b.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    GradGeometry g = geometryOf(op);
    auto wTy = cast<RankedTensorType>(op.getRhs().getType());
    auto declared = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> ws = wTy.getShape();
    // Static (allStatic) and equal to the inferred type (the verifier).
    ArrayRef<int64_t> xs = declared.getShape();
    Type et = wTy.getElementType();
    Value gop = padAndGroup(b, loc, op.getLhs(), xs.drop_front(2),
                            ws.drop_front(2), g);
    int64_t cig = ws[0] / g.groups;
    auto wgTy = RankedTensorType::get({g.groups, cig, ws[1], ws[2], ws[3]}, et);
    Value wg = tensor::ExpandShapeOp::create(
        b, loc, wgTy, op.getRhs(),
        SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
    Value init = zeros(b, loc, {xs[0], g.groups, cig, xs[2], xs[3]}, et);
    // loops (n, g, i, h, v | o, kh, kw)
    MLIRContext *ctx = b.getContext();
    AffineExpr d[8];
    bindDimsList(ctx, MutableArrayRef<AffineExpr>(d));
    SmallVector<AffineMap> maps = {
        AffineMap::get(8, 0,
                       {d[0], d[1], d[5], d[3] * g.stride[0] + d[6] * g.dilation[0],
                        d[4] * g.stride[1] + d[7] * g.dilation[1]},
                       ctx),
        AffineMap::get(8, 0, {d[1], d[2], d[5], d[6], d[7]}, ctx),
        AffineMap::get(8, 0, {d[0], d[1], d[2], d[3], d[4]}, ctx)};
    Value r = multiplyAccumulate(b, loc, gop, wg, init, maps);
    Value gi = tensor::CollapseShapeOp::create(
        b, loc, r, SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
    b.replaceOp(op, gi);
    return success();
  }
};

struct GradWeightLowering : OpRewritePattern<ConvTranspose2DGradWeightOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ConvTranspose2DGradWeightOp op,
                                PatternRewriter &b) const override {
    if (!allStatic(op))
      return b.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    GradGeometry g = geometryOf(op);
    auto xTy = cast<RankedTensorType>(op.getLhs().getType());
    auto declared = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> xs = xTy.getShape();
    ArrayRef<int64_t> ws = declared.getShape();
    Type et = xTy.getElementType();
    Value gop = padAndGroup(b, loc, op.getRhs(), xs.drop_front(2),
                            ws.drop_front(2), g);
    int64_t cig = xs[1] / g.groups;
    auto xgTy = RankedTensorType::get({xs[0], g.groups, cig, xs[2], xs[3]}, et);
    Value xg = tensor::ExpandShapeOp::create(
        b, loc, xgTy, op.getLhs(),
        SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
    Value init = zeros(b, loc, {g.groups, cig, ws[1], ws[2], ws[3]}, et);
    // loops (g, i, o, kh, kw | n, h, v)
    MLIRContext *ctx = b.getContext();
    AffineExpr d[8];
    bindDimsList(ctx, MutableArrayRef<AffineExpr>(d));
    SmallVector<AffineMap> maps = {
        AffineMap::get(8, 0, {d[5], d[0], d[1], d[6], d[7]}, ctx),
        AffineMap::get(8, 0,
                       {d[5], d[0], d[2], d[6] * g.stride[0] + d[3] * g.dilation[0],
                        d[7] * g.stride[1] + d[4] * g.dilation[1]},
                       ctx),
        AffineMap::get(8, 0, {d[0], d[1], d[2], d[3], d[4]}, ctx)};
    Value r = multiplyAccumulate(b, loc, xg, gop, init, maps);
    Value gw = tensor::CollapseShapeOp::create(
        b, loc, r, SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
    b.replaceOp(op, gw);
    return success();
  }
};

} // namespace

LogicalResult mlir::flow::checkGradLowerable(Operation *op,
                                             std::string &reason) {
  if (allStatic(op))
    return success();
  reason = "has a dynamic dimension; lowering the gradient ops needs static "
           "shapes";
  return failure();
}

void mlir::flow::populateConvTranspose2dGradToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<GradInputLowering, GradWeightLowering>(patterns.getContext());
}
