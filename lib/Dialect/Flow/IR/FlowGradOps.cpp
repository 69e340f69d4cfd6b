//===- FlowGradOps.cpp - Gradients of flow operations ---------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers and shape inference of flow.conv_transpose2d_grad_input and
// flow.conv_transpose2d_grad_weight.
//
//===----------------------------------------------------------------------===//

#include "flow/Dialect/Flow/IR/FlowGradOps.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::flow;

namespace {

using EmitFn = llvm::function_ref<InFlightDiagnostic()>;

/// The forward op's attributes, checked.
struct GradAttrs {
  int64_t stride[2], padding[2], outputPadding[2], dilation[2], groups;
};

LogicalResult fail(EmitFn emit, const Twine &message) {
  if (emit)
    emit() << message;
  return failure();
}

LogicalResult readAttrs(EmitFn emit, ArrayRef<int64_t> stride,
                        ArrayRef<int64_t> padding,
                        ArrayRef<int64_t> outputPadding,
                        ArrayRef<int64_t> dilation, int64_t groups,
                        GradAttrs &a) {
  if (stride.size() != 2 || padding.size() != 2 ||
      outputPadding.size() != 2 || dilation.size() != 2)
    return fail(emit, "expects stride, padding, output_padding and dilation "
                      "with two values each");
  for (int i = 0; i < 2; ++i) {
    a.stride[i] = stride[i];
    a.padding[i] = padding[i];
    a.outputPadding[i] = outputPadding[i];
    a.dilation[i] = dilation[i];
    if (stride[i] < 1 || dilation[i] < 1)
      return fail(emit, "expects stride and dilation >= 1");
    if (padding[i] < 0 || outputPadding[i] < 0)
      return fail(emit, "expects padding and output_padding >= 0");
    if (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i])
      return fail(emit, "expects output_padding smaller than either stride "
                        "or dilation");
  }
  a.groups = groups;
  if (groups < 1)
    return fail(emit, "expects groups >= 1");
  return success();
}

bool isStatic(int64_t d) { return !ShapedType::isDynamic(d); }

/// Checks that `a` and `b` share one element type.
LogicalResult sameElement(EmitFn emit, RankedTensorType a,
                          RankedTensorType b) {
  if (a.getElementType() != b.getElementType())
    return fail(emit, "expects operands of one element type");
  return success();
}

FailureOr<RankedTensorType> inferGradInput(EmitFn emit, Type goTy, Type wTy,
                                           const GradAttrs &a) {
  auto go = cast<RankedTensorType>(goTy);
  auto w = cast<RankedTensorType>(wTy);
  if (failed(sameElement(emit, go, w)))
    return failure();
  ArrayRef<int64_t> gs = go.getShape(), ws = w.getShape();
  if (isStatic(ws[0]) && ws[0] % a.groups)
    return fail(emit, "expects weight dim 0 (" + Twine(ws[0]) +
                          ") divisible by groups (" + Twine(a.groups) + ")");
  if (isStatic(gs[1]) && isStatic(ws[1]) && gs[1] != ws[1] * a.groups)
    return fail(emit, "expects grad_output to have weight dim 1 * groups = " +
                          Twine(ws[1] * a.groups) + " channels, got " +
                          Twine(gs[1]));
  SmallVector<int64_t> shape = {gs[0], ws[0], ShapedType::kDynamic,
                                ShapedType::kDynamic};
  for (int i = 0; i < 2; ++i) {
    int64_t out = gs[2 + i], k = ws[2 + i];
    if (!isStatic(out) || !isStatic(k))
      continue;
    int64_t num = out - 1 - a.outputPadding[i] + 2 * a.padding[i] -
                  a.dilation[i] * (k - 1);
    if (num < 0 || num % a.stride[i])
      return fail(emit, "grad_output size " + Twine(out) + " in dim " +
                            Twine(2 + i) +
                            " is not the output size of any input size");
    shape[2 + i] = num / a.stride[i] + 1;
  }
  return RankedTensorType::get(shape, go.getElementType());
}

FailureOr<RankedTensorType> inferGradWeight(EmitFn emit, Type xTy, Type goTy,
                                            const GradAttrs &a) {
  auto x = cast<RankedTensorType>(xTy);
  auto go = cast<RankedTensorType>(goTy);
  if (failed(sameElement(emit, x, go)))
    return failure();
  ArrayRef<int64_t> xs = x.getShape(), gs = go.getShape();
  if (isStatic(xs[0]) && isStatic(gs[0]) && xs[0] != gs[0])
    return fail(emit, "expects input and grad_output with one batch size");
  for (int i = 0; i < 2; ++i)
    if (isStatic(i ? gs[1] : xs[1]) && (i ? gs[1] : xs[1]) % a.groups)
      return fail(emit, Twine(i ? "grad_output" : "input") +
                            " channels are not divisible by groups (" +
                            Twine(a.groups) + ")");
  SmallVector<int64_t> shape = {
      xs[1], isStatic(gs[1]) ? gs[1] / a.groups : ShapedType::kDynamic,
      ShapedType::kDynamic, ShapedType::kDynamic};
  for (int i = 0; i < 2; ++i) {
    int64_t in = xs[2 + i], out = gs[2 + i];
    if (!isStatic(in) || !isStatic(out))
      continue;
    int64_t num = out - 1 - a.outputPadding[i] + 2 * a.padding[i] -
                  a.stride[i] * (in - 1);
    if (num < 0 || num % a.dilation[i])
      return fail(emit, "grad_output size " + Twine(out) + " in dim " +
                            Twine(2 + i) + " is not the output size of input "
                            "size " + Twine(in) + " for any kernel size");
    shape[2 + i] = num / a.dilation[i] + 1;
  }
  return RankedTensorType::get(shape, x.getElementType());
}

/// Infers the result type of a grad op; an invalid op infers a fully
/// dynamic type and its verifier reports the reason.
template <typename OpTy, typename InferFn>
LogicalResult inferGrad(ValueRange operands, DictionaryAttr attributes,
                        OpaqueProperties properties, RegionRange regions,
                        SmallVectorImpl<Type> &types, InferFn infer) {
  typename OpTy::Adaptor adaptor(operands, attributes, properties, regions);
  if (operands.size() != 2)
    return failure();
  Type element = getElementTypeOrSelf(operands[0].getType());
  GradAttrs a;
  FailureOr<RankedTensorType> type = failure();
  if (succeeded(readAttrs(nullptr, adaptor.getStride(), adaptor.getPadding(),
                          adaptor.getOutputPadding(), adaptor.getDilation(),
                          adaptor.getGroups(), a)))
    type = infer(nullptr, operands[0].getType(), operands[1].getType(), a);
  types.push_back(succeeded(type)
                      ? Type(*type)
                      : RankedTensorType::get(SmallVector<int64_t>(
                                                  4, ShapedType::kDynamic),
                                              element));
  return success();
}

template <typename OpTy, typename InferFn>
LogicalResult verifyGrad(OpTy op, InferFn infer) {
  auto emit = [&] { return op.emitOpError(); };
  GradAttrs a;
  if (failed(readAttrs(emit, op.getStride(), op.getPadding(),
                       op.getOutputPadding(), op.getDilation(),
                       op.getGroups(), a)))
    return failure();
  FailureOr<RankedTensorType> inferred =
      infer(emit, op.getLhs().getType(), op.getRhs().getType(), a);
  if (failed(inferred))
    return failure();
  if (!OpTy::isCompatibleReturnTypes(TypeRange{*inferred},
                                     TypeRange{op.getType()}))
    return op.emitOpError() << "result type " << op.getType()
                            << " is incompatible with the inferred type "
                            << *inferred;
  return success();
}

} // namespace

LogicalResult ConvTranspose2DGradInputOp::inferReturnTypes(
    MLIRContext *, std::optional<Location>, ValueRange operands,
    DictionaryAttr attributes, OpaqueProperties properties,
    RegionRange regions, SmallVectorImpl<Type> &types) {
  return inferGrad<ConvTranspose2DGradInputOp>(
      operands, attributes, properties, regions, types, inferGradInput);
}

LogicalResult ConvTranspose2DGradInputOp::verify() {
  return verifyGrad(*this, inferGradInput);
}

LogicalResult ConvTranspose2DGradWeightOp::inferReturnTypes(
    MLIRContext *, std::optional<Location>, ValueRange operands,
    DictionaryAttr attributes, OpaqueProperties properties,
    RegionRange regions, SmallVectorImpl<Type> &types) {
  return inferGrad<ConvTranspose2DGradWeightOp>(
      operands, attributes, properties, regions, types, inferGradWeight);
}

LogicalResult ConvTranspose2DGradWeightOp::verify() {
  return verifyGrad(*this, inferGradWeight);
}

#define GET_OP_CLASSES
#include "flow/Dialect/Flow/IR/FlowGradOps.cpp.inc"
