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
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace mlir::flow;

#define GET_OP_CLASSES
#include "flow/Dialect/Flow/IR/FlowOps.cpp.inc"

//===----------------------------------------------------------------------===//
// ConvTranspose2DOp
//===----------------------------------------------------------------------===//

/// Reads the attribute pairs, failing (and reporting through `emitError`
/// when given) when one does not hold exactly two values.
static FailureOr<ConvTranspose2dParams>
readParams(function_ref<InFlightDiagnostic()> emitError,
           ArrayRef<int64_t> stride, ArrayRef<int64_t> padding,
           ArrayRef<int64_t> outputPadding, ArrayRef<int64_t> dilation,
           int64_t groups) {
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
      if (emitError)
        emitError() << "'" << pair.first
                    << "' must hold 2 values (height, width), got "
                    << pair.second.size();
      return failure();
    }
    *field = {pair.second[0], pair.second[1]};
  }
  params.groups = groups;
  return params;
}

/// Checks a conv_transpose2d's operand types and attributes and infers its
/// result type; reports every problem through `emitError` when given.
static FailureOr<RankedTensorType>
checkAndInfer(function_ref<InFlightDiagnostic()> emitError, Type input,
              Type weight, Type bias, ArrayRef<int64_t> stride,
              ArrayRef<int64_t> padding, ArrayRef<int64_t> outputPadding,
              ArrayRef<int64_t> dilation, int64_t groups) {
  bool ok = true;
  auto report = [&](auto &&...args) {
    if (emitError)
      (emitError() << ... << args);
    ok = false;
  };
  auto inputType = dyn_cast<RankedTensorType>(input);
  auto weightType = dyn_cast<RankedTensorType>(weight);
  if (!inputType || !weightType) {
    report("expects ranked tensor input and weight");
    return failure();
  }
  Type elementType = inputType.getElementType();
  if (weightType.getElementType() != elementType)
    report("weight element type ", weightType.getElementType(),
           " differs from the input's ", elementType);
  std::optional<ArrayRef<int64_t>> biasShape;
  if (bias) {
    auto biasType = dyn_cast<RankedTensorType>(bias);
    if (!biasType) {
      report("expects a ranked tensor bias");
      return failure();
    }
    if (biasType.getElementType() != elementType)
      report("bias element type ", biasType.getElementType(),
             " differs from the input's ", elementType);
    biasShape = biasType.getShape();
  }
  FailureOr<ConvTranspose2dParams> params = readParams(
      emitError, stride, padding, outputPadding, dilation, groups);
  if (failed(params))
    return failure();
  SmallVector<int64_t, 4> shape;
  if (failed(inferConvTranspose2dShape(emitError, inputType.getShape(),
                                       weightType.getShape(), biasShape,
                                       *params, shape)) ||
      !ok)
    return failure();
  return RankedTensorType::get(shape, elementType);
}

/// The attributes the op knows; any other one without a dialect prefix is a
/// misspelling that would silently leave the default in place.
static constexpr llvm::StringLiteral kKnownAttributes[] = {
    "stride", "padding", "output_padding", "dilation", "groups"};

/// Reports each discardable attribute of `op` without a dialect prefix
/// ("strides" for "stride"), suggesting the nearest known name.
static LogicalResult verifyNoUnknownAttributes(ConvTranspose2DOp op) {
  bool ok = true;
  for (NamedAttribute attr : op->getDiscardableAttrs()) {
    StringRef name = attr.getName().strref();
    if (name.contains('.'))
      continue; // dialect-prefixed: another dialect's business
    ok = false;
    StringRef best;
    unsigned bestDistance = ~0u;
    for (StringRef known : kKnownAttributes) {
      unsigned distance = name.edit_distance(known);
      if (distance < bestDistance) {
        best = known;
        bestDistance = distance;
      }
    }
    InFlightDiagnostic diag = op.emitOpError()
                              << "unknown attribute '" << name << "'";
    if (bestDistance <= std::max<size_t>(2, best.size() / 3))
      diag << "; did you mean '" << best << "'?";
    else
      diag << "; known attributes: stride, padding, output_padding, "
              "dilation, groups";
  }
  return success(ok);
}

ConvTranspose2dParams ConvTranspose2DOp::getParams() {
  FailureOr<ConvTranspose2dParams> params =
      readParams(nullptr, getStride(), getPadding(), getOutputPadding(),
                 getDilation(), getGroups());
  assert(succeeded(params) && "verified op has attribute pairs");
  return *params;
}

LogicalResult ConvTranspose2DOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, ValueRange operands,
    DictionaryAttr attributes, OpaqueProperties properties,
    RegionRange regions, SmallVectorImpl<Type> &inferredReturnTypes) {
  Adaptor adaptor(operands, attributes, properties, regions);
  if (operands.size() < 2)
    return emitOptionalError(loc, "expects an input and a weight operand");
  Value bias = adaptor.getBias();
  FailureOr<RankedTensorType> type = checkAndInfer(
      nullptr, adaptor.getInput().getType(), adaptor.getWeight().getType(),
      bias ? bias.getType() : Type(), adaptor.getStride(),
      adaptor.getPadding(), adaptor.getOutputPadding(), adaptor.getDilation(),
      adaptor.getGroups());
  if (succeeded(type)) {
    inferredReturnTypes.push_back(*type);
    return success();
  }
  // An invalid configuration infers a fully dynamic result; the verifier
  // then reports the one precise error (rather than a second, generic
  // "failed to infer returned types").
  Type element = getElementTypeOrSelf(adaptor.getInput().getType());
  SmallVector<int64_t> dynamic(4, ShapedType::kDynamic);
  inferredReturnTypes.push_back(RankedTensorType::get(dynamic, element));
  return success();
}

LogicalResult ConvTranspose2DOp::refineReturnTypes(
    MLIRContext *context, std::optional<Location> loc, ValueRange operands,
    DictionaryAttr attributes, OpaqueProperties properties,
    RegionRange regions, SmallVectorImpl<Type> &returnTypes) {
  // Verification calls this with the declared types; their compatibility
  // with the inferred type is checked by verify(), which names both types.
  SmallVector<Type, 1> inferred;
  if (failed(inferReturnTypes(context, loc, operands, attributes, properties,
                              regions, inferred)))
    return failure();
  if (returnTypes.empty() || !isCompatibleReturnTypes(inferred, returnTypes))
    return success();
  returnTypes.assign(inferred.begin(), inferred.end());
  return success();
}

LogicalResult ConvTranspose2DOp::verify() {
  // Every problem of the op is reported, one diagnostic each.
  LogicalResult attrs = verifyNoUnknownAttributes(*this);
  Value bias = getBias();
  FailureOr<RankedTensorType> inferred = checkAndInfer(
      [&] { return emitOpError(); }, getInput().getType(),
      getWeight().getType(), bias ? bias.getType() : Type(), getStride(),
      getPadding(), getOutputPadding(), getDilation(), getGroups());
  if (failed(inferred))
    return failure();
  if (!isCompatibleReturnTypes(TypeRange{*inferred}, TypeRange{getType()}))
    return emitOpError() << "result type " << getType()
                         << " is incompatible with the inferred type "
                         << *inferred;
  return attrs;
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

int64_t ConvTranspose2DOp::getStaticOutputChannels() {
  int64_t groups = getGroups();
  int64_t w1 = getWeight().getType().getDimSize(1);
  if (!ShapedType::isDynamic(w1))
    if (std::optional<int64_t> c = llvm::checkedMul(w1, groups))
      return *c;
  if (Value bias = getBias()) {
    int64_t b0 = cast<RankedTensorType>(bias.getType()).getDimSize(0);
    if (!ShapedType::isDynamic(b0))
      return b0;
  }
  return getType().getDimSize(1);
}

SmallVector<RankedTensorType, 3> ConvTranspose2DOp::getImpliedOperandTypes() {
  constexpr int64_t kDyn = ShapedType::kDynamic;
  auto refine = [](Value v, ArrayRef<int64_t> known) {
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape(type.getShape());
    for (auto [dim, fixed] : llvm::zip_equal(shape, known))
      if (ShapedType::isDynamic(dim))
        dim = fixed;
    return type.clone(shape);
  };
  RankedTensorType x = getInput().getType(), w = getWeight().getType();
  int64_t cin = x.isDynamicDim(1) ? w.getDimSize(0) : x.getDimSize(1);
  int64_t cout = getStaticOutputChannels(), groups = getGroups();
  int64_t perGroup =
      !ShapedType::isDynamic(cout) && cout % groups == 0 ? cout / groups : kDyn;
  SmallVector<RankedTensorType, 3> types = {
      refine(getInput(), {getType().getDimSize(0), cin, kDyn, kDyn}),
      refine(getWeight(), {cin, perGroup, kDyn, kDyn})};
  if (Value bias = getBias())
    types.push_back(refine(bias, {cout}));
  return types;
}

void ConvTranspose2DOp::castOperandsToImpliedTypes(RewriterBase &rewriter) {
  SmallVector<RankedTensorType, 3> types = getImpliedOperandTypes();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(*this);
  for (auto [operand, type] : llvm::zip(getOperation()->getOpOperands(), types)) {
    if (operand.get().getType() == type)
      continue;
    Value cast =
        tensor::CastOp::create(rewriter, getLoc(), type, operand.get());
    rewriter.modifyOpInPlace(*this, [&] { operand.set(cast); });
  }
}
