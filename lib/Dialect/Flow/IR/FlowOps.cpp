//===- FlowOps.cpp - Flow operations --------------------------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Dialect/Flow/IR/FlowOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::flow;

#define GET_OP_CLASSES
#include "flow/Dialect/Flow/IR/FlowOps.cpp.inc"

//===----------------------------------------------------------------------===//
// ConvTranspose2DOp
//===----------------------------------------------------------------------===//

/// Reads the attribute pairs, failing (with a located error when possible)
/// when one does not hold exactly two values.
static FailureOr<ConvTranspose2dParams>
readParams(std::optional<Location> loc, ArrayRef<int64_t> stride,
           ArrayRef<int64_t> padding, ArrayRef<int64_t> outputPadding,
           ArrayRef<int64_t> dilation, int64_t groups) {
  ConvTranspose2dParams params;
  std::pair<const char *, ArrayRef<int64_t>> pairs[] = {
      {"stride", stride},
      {"padding", padding},
      {"output_padding", outputPadding},
      {"dilation", dilation}};
  std::array<int64_t, 2> *fields[] = {&params.stride, &params.padding,
                                      &params.outputPadding, &params.dilation};
  for (auto [pair, field] : llvm::zip_equal(pairs, fields)) {
    if (pair.second.size() != 2) {
      (void)emitOptionalError(loc, "'", pair.first,
                              "' must hold 2 values (height, width), got ",
                              pair.second.size());
      return failure();
    }
    *field = {pair.second[0], pair.second[1]};
  }
  params.groups = groups;
  return params;
}

ConvTranspose2dParams ConvTranspose2DOp::getParams() {
  FailureOr<ConvTranspose2dParams> params =
      readParams(std::nullopt, getStride(), getPadding(), getOutputPadding(),
                 getDilation(), getGroups());
  assert(succeeded(params) && "verified op has attribute pairs");
  return *params;
}

LogicalResult ConvTranspose2DOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  auto inputType = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto weightType = dyn_cast<RankedTensorType>(adaptor.getWeight().getType());
  if (!inputType || !weightType)
    return emitOptionalError(loc, "expects ranked tensor input and weight");
  std::optional<ArrayRef<int64_t>> biasShape;
  if (Value bias = adaptor.getBias()) {
    auto biasType = dyn_cast<RankedTensorType>(bias.getType());
    if (!biasType)
      return emitOptionalError(loc, "expects a ranked tensor bias");
    if (biasType.getElementType() != inputType.getElementType())
      return emitOptionalError(loc, "bias element type ",
                               biasType.getElementType(),
                               " differs from the input's ",
                               inputType.getElementType());
    biasShape = biasType.getShape();
  }
  if (weightType.getElementType() != inputType.getElementType())
    return emitOptionalError(loc, "weight element type ",
                             weightType.getElementType(),
                             " differs from the input's ",
                             inputType.getElementType());

  FailureOr<ConvTranspose2dParams> params = readParams(
      loc, adaptor.getStride(), adaptor.getPadding(),
      adaptor.getOutputPadding(), adaptor.getDilation(), adaptor.getGroups());
  if (failed(params))
    return failure();
  SmallVector<int64_t, 4> shape;
  if (failed(inferConvTranspose2dShape(loc, inputType.getShape(),
                                       weightType.getShape(), biasShape,
                                       *params, shape)))
    return failure();
  inferredReturnTypes.push_back(
      RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

bool ConvTranspose2DOp::isCompatibleReturnTypes(TypeRange inferred,
                                                TypeRange actual) {
  if (inferred.size() != 1 || actual.size() != 1)
    return false;
  auto lhs = dyn_cast<RankedTensorType>(inferred.front());
  auto rhs = dyn_cast<RankedTensorType>(actual.front());
  return lhs && rhs && lhs.getElementType() == rhs.getElementType() &&
         succeeded(verifyCompatibleShape(lhs, rhs));
}

/// Returns `dim` of `value` as an index OpFoldResult: an attribute when static,
/// a tensor.dim otherwise.
static OpFoldResult getDim(OpBuilder &b, Location loc, Value value,
                           int64_t dim) {
  int64_t size = cast<RankedTensorType>(value.getType()).getDimSize(dim);
  if (!ShapedType::isDynamic(size))
    return b.getIndexAttr(size);
  return tensor::DimOp::create(b, loc, value, dim).getResult();
}

LogicalResult ConvTranspose2DOp::reifyResultShapes(
    OpBuilder &b, ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  Location loc = getLoc();
  RankedTensorType resultType = getType();
  ConvTranspose2dParams p = getParams();
  auto asValue = [&](OpFoldResult ofr) -> Value {
    if (auto v = dyn_cast<Value>(ofr))
      return v;
    return arith::ConstantIndexOp::create(
        b, loc, cast<IntegerAttr>(cast<Attribute>(ofr)).getInt());
  };
  auto cst = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };

  SmallVector<OpFoldResult> dims;
  for (int64_t i = 0; i < 4; ++i) {
    if (!resultType.isDynamicDim(i)) {
      dims.push_back(b.getIndexAttr(resultType.getDimSize(i)));
      continue;
    }
    if (i == 0) {
      dims.push_back(getDim(b, loc, getInput(), 0));
      continue;
    }
    if (i == 1) {
      Value cog = asValue(getDim(b, loc, getWeight(), 1));
      dims.push_back(
          arith::MulIOp::create(b, loc, cog, cst(p.groups)).getResult());
      continue;
    }
    // (in-1)*s - 2p + d*(k-1) + op + 1, clamped at 0.
    int64_t s = p.stride[i - 2], pad = p.padding[i - 2],
            op = p.outputPadding[i - 2], d = p.dilation[i - 2];
    Value in = asValue(getDim(b, loc, getInput(), i));
    Value k = asValue(getDim(b, loc, getWeight(), i));
    Value size = arith::MulIOp::create(
        b, loc, arith::SubIOp::create(b, loc, in, cst(1)), cst(s));
    Value reach = arith::MulIOp::create(
        b, loc, arith::SubIOp::create(b, loc, k, cst(1)), cst(d));
    size = arith::AddIOp::create(b, loc, size, reach);
    size = arith::AddIOp::create(b, loc, size, cst(op + 1 - 2 * pad));
    size = arith::MaxSIOp::create(b, loc, size, cst(0));
    dims.push_back(size);
  }
  reifiedReturnShapes.push_back(std::move(dims));
  return success();
}
