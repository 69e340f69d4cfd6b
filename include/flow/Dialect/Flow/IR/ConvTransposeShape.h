//===- ConvTransposeShape.h - conv_transpose2d shape rules ------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The shape function and validity rules of a 2-D transposed convolution,
// shared by the op's verifier and type inference, the lowering and the tools.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_DIALECT_FLOW_IR_CONVTRANSPOSESHAPE_H
#define FLOW_DIALECT_FLOW_IR_CONVTRANSPOSESHAPE_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"
#include <array>
#include <cstdint>
#include <optional>

namespace mlir::flow {

/// The attributes of a 2-D transposed convolution, one entry per spatial
/// dimension (H, W) where it is a pair.
struct ConvTranspose2dParams {
  std::array<int64_t, 2> stride = {1, 1};
  std::array<int64_t, 2> padding = {0, 0};
  std::array<int64_t, 2> outputPadding = {0, 0};
  std::array<int64_t, 2> dilation = {1, 1};
  int64_t groups = 1;
};

/// Output extent of one spatial dimension,
///   (in-1)*stride - 2*padding + dilation*(kernel-1) + outputPadding + 1,
/// or std::nullopt when an intermediate value overflows int64.
std::optional<int64_t> convTransposeOutputSize(int64_t in, int64_t kernel,
                                               int64_t stride, int64_t padding,
                                               int64_t outputPadding,
                                               int64_t dilation);

/// Checks the attributes and operand shapes of a conv_transpose2d and computes
/// its result shape (ShapedType::kDynamic for unknown dims). `biasShape` is
/// null when there is no bias. On an invalid configuration, reports each
/// problem as one error through `emitError` (when given) and fails.
LogicalResult inferConvTranspose2dShape(function_ref<InFlightDiagnostic()> emitError,
                                        ArrayRef<int64_t> inputShape,
                                        ArrayRef<int64_t> weightShape,
                                        std::optional<ArrayRef<int64_t>> biasShape,
                                        const ConvTranspose2dParams &params,
                                        SmallVectorImpl<int64_t> &resultShape);

/// Useful floating-point operations of one conv_transpose2d:
/// 2 * N * Cin * (Cout/groups) * H * W * kH * kW (as a double, no overflow).
double convTranspose2dFlops(ArrayRef<int64_t> inputShape,
                            ArrayRef<int64_t> weightShape);

} // namespace mlir::flow

#endif // FLOW_DIALECT_FLOW_IR_CONVTRANSPOSESHAPE_H
