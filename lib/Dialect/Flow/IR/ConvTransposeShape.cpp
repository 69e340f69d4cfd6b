//===- ConvTransposeShape.cpp - conv_transpose2d shape rules --------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Dialect/Flow/IR/ConvTransposeShape.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace mlir::flow;

std::optional<int64_t>
mlir::flow::convTransposeOutputSize(int64_t in, int64_t kernel, int64_t stride,
                                    int64_t padding, int64_t outputPadding,
                                    int64_t dilation) {
  std::optional<int64_t> scaled = llvm::checkedMul(in - 1, stride);
  std::optional<int64_t> twoPad = llvm::checkedMul(padding, int64_t(2));
  std::optional<int64_t> reach = llvm::checkedMul(dilation, kernel - 1);
  if (!scaled || !twoPad || !reach)
    return std::nullopt;
  std::optional<int64_t> size = llvm::checkedSub(*scaled, *twoPad);
  if (size)
    size = llvm::checkedAdd(*size, *reach);
  if (size)
    size = llvm::checkedAdd(*size, outputPadding);
  if (size)
    size = llvm::checkedAdd(*size, int64_t(1));
  return size;
}

static bool isStatic(int64_t dim) { return !ShapedType::isDynamic(dim); }

namespace {
/// Reports through an optional diagnostic callback; always yields failure.
struct Reporter {
  function_ref<InFlightDiagnostic()> emitError;
  template <typename... Args>
  LogicalResult operator()(Args &&...args) const {
    if (emitError) {
      InFlightDiagnostic diag = emitError();
      (diag << ... << std::forward<Args>(args));
    }
    return failure();
  }
};
} // namespace

LogicalResult mlir::flow::inferConvTranspose2dShape(
    function_ref<InFlightDiagnostic()> emitError, ArrayRef<int64_t> x,
    ArrayRef<int64_t> w, std::optional<ArrayRef<int64_t>> b,
    const ConvTranspose2dParams &p, SmallVectorImpl<int64_t> &result) {
  // Every problem is reported (one diagnostic each); a check that depends on
  // values an earlier one rejected is skipped rather than reported twice.
  Reporter report{emitError};
  unsigned errors = 0;
  auto fail = [&](auto &&...args) {
    (void)report(std::forward<decltype(args)>(args)...);
    ++errors;
  };
  if (x.size() != 4)
    fail("expects a rank-4 input (N x Cin x H x W), got rank ", x.size());
  if (w.size() != 4)
    fail("expects a rank-4 weight (Cin x Cout/groups x kH x kW), got rank ",
         w.size());
  if (b && b->size() != 1)
    fail("expects a rank-1 bias, got rank ", b->size());
  if (errors)
    return failure();

  static const char *const dimName[2] = {"height", "width"};
  bool dimOk[2] = {true, true};
  for (int i = 0; i < 2; ++i) {
    unsigned before = errors;
    if (p.stride[i] < 1)
      fail("stride must be >= 1, got ", p.stride[i], " for the ", dimName[i]);
    if (p.dilation[i] < 1)
      fail("dilation must be >= 1, got ", p.dilation[i], " for the ",
           dimName[i]);
    if (p.padding[i] < 0)
      fail("padding must be >= 0, got ", p.padding[i], " for the ",
           dimName[i]);
    if (p.outputPadding[i] < 0)
      fail("output_padding must be >= 0, got ", p.outputPadding[i],
           " for the ", dimName[i]);
    if (p.outputPadding[i] >= p.stride[i] &&
        p.outputPadding[i] >= p.dilation[i])
      fail("output_padding must be smaller than either stride or "
           "dilation, got output_padding ",
           p.outputPadding[i], ", stride ", p.stride[i], " and dilation ",
           p.dilation[i], " for the ", dimName[i]);
    dimOk[i] = errors == before;
  }
  bool groupsOk = p.groups >= 1;
  if (!groupsOk)
    fail("groups must be >= 1, got ", p.groups);

  // Zero-sized dims other than the batch make no convolution.
  static const char *const inputDimName[4] = {"batch", "channel", "height",
                                              "width"};
  for (int i = 1; i < 4; ++i)
    if (x[i] == 0) {
      fail("input ", inputDimName[i], " dimension must be >= 1, got 0");
      if (i >= 2)
        dimOk[i - 2] = false;
    }
  static const char *const weightDimName[4] = {
      "input-channel", "output-channel", "kernel height", "kernel width"};
  for (int i = 0; i < 4; ++i)
    if (w[i] == 0) {
      fail("weight ", weightDimName[i], " dimension must be >= 1, got 0");
      if (i >= 2)
        dimOk[i - 2] = false;
    }

  if (isStatic(x[1]) && isStatic(w[0]) && x[1] != w[0])
    fail("input channels (", x[1], ") must equal weight dimension 0 (", w[0],
         ")");
  int64_t cin = isStatic(x[1]) ? x[1] : w[0];
  if (groupsOk && isStatic(cin) && cin % p.groups != 0)
    fail("input channels (", cin, ") must be divisible by groups (", p.groups,
         ")");

  int64_t cout = ShapedType::kDynamic;
  if (groupsOk && isStatic(w[1])) {
    std::optional<int64_t> c = llvm::checkedMul(w[1], p.groups);
    if (!c)
      fail("output channels overflow int64: ", w[1], " * groups ", p.groups);
    else
      cout = *c;
  }
  if (b && isStatic((*b)[0]) && isStatic(cout) && (*b)[0] != cout)
    fail("bias has ", (*b)[0], " elements but the output has ", cout,
         " channels (weight dim 1 ", w[1], " * groups ", p.groups, ")");

  SmallVector<int64_t, 4> shape = {x[0], cout, ShapedType::kDynamic,
                                   ShapedType::kDynamic};
  for (int i = 0; i < 2; ++i) {
    int64_t in = x[2 + i], k = w[2 + i];
    if (!dimOk[i] || !isStatic(in) || !isStatic(k))
      continue;
    std::optional<int64_t> size =
        convTransposeOutputSize(in, k, p.stride[i], p.padding[i],
                                p.outputPadding[i], p.dilation[i]);
    if (!size) {
      fail("output ", dimName[i], " overflows int64 (input ", in,
           ", kernel ", k, ", stride ", p.stride[i], ", padding ",
           p.padding[i], ", output_padding ", p.outputPadding[i],
           ", dilation ", p.dilation[i], ")");
      continue;
    }
    if (*size < 1) {
      fail("output ", dimName[i], " would be ", *size,
           " (must be >= 1): input ", in, ", kernel ", k, ", stride ",
           p.stride[i], ", padding ", p.padding[i], ", output_padding ",
           p.outputPadding[i], ", dilation ", p.dilation[i]);
      continue;
    }
    shape[2 + i] = *size;
  }
  if (errors)
    return failure();
  result.assign(shape.begin(), shape.end());
  return success();
}

double mlir::flow::convTranspose2dFlops(ArrayRef<int64_t> x,
                                        ArrayRef<int64_t> w) {
  double flops = 2.0;
  for (int64_t d : {x[0], x[1], x[2], x[3], w[1], w[2], w[3]})
    flops *= static_cast<double>(d);
  return flops;
}
