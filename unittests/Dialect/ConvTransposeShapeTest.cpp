//===- ConvTransposeShapeTest.cpp - shape rules ---------------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Dialect/Flow/IR/ConvTransposeShape.h"

#include "mlir/IR/BuiltinTypes.h"
#include <gtest/gtest.h>
#include <limits>

using namespace mlir;
using namespace mlir::flow;

namespace {

TEST(ConvTransposeShape, OutputSizeFormula) {
  // (50-1)*2 - 2*4 + 1*(3-1) + 0 + 1 = 93 (the seed's height).
  EXPECT_EQ(convTransposeOutputSize(50, 3, 2, 4, 0, 1), 93);
  // (100-1)*1 - 2*2 + 1*(5-1) + 0 + 1 = 100 (the seed's width).
  EXPECT_EQ(convTransposeOutputSize(100, 5, 1, 2, 0, 1), 100);
  EXPECT_EQ(convTransposeOutputSize(1, 1, 3, 0, 2, 1), 3);
}

TEST(ConvTransposeShape, OverflowIsReported) {
  int64_t big = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(convTransposeOutputSize(3, 3, big, 0, 0, 1), std::nullopt);
  EXPECT_EQ(convTransposeOutputSize(3, 3, 1, big, 0, 1), std::nullopt);
  EXPECT_EQ(convTransposeOutputSize(3, big, 1, 0, 0, 2), std::nullopt);
  EXPECT_EQ(convTransposeOutputSize(3, 3, 1, 0, big, 1), std::nullopt);
}

TEST(ConvTransposeShape, DynamicDimsStayDynamic) {
  ConvTranspose2dParams p;
  p.stride = {2, 2};
  SmallVector<int64_t> result;
  int64_t dyn = ShapedType::kDynamic;
  ASSERT_TRUE(succeeded(inferConvTranspose2dShape(
      nullptr, {dyn, 4, dyn, 5}, {4, 3, 3, 3}, std::nullopt, p, result)));
  EXPECT_EQ(result, (SmallVector<int64_t>{dyn, 3, dyn, 11}));
}

TEST(ConvTransposeShape, InvalidConfigurationsFailSilentlyWithoutCallback) {
  ConvTranspose2dParams p;
  p.groups = 3;
  SmallVector<int64_t> result;
  EXPECT_TRUE(failed(inferConvTranspose2dShape(
      nullptr, {1, 4, 5, 5}, {4, 1, 3, 3}, std::nullopt, p, result)));
  p = {};
  p.outputPadding = {1, 0};
  EXPECT_TRUE(failed(inferConvTranspose2dShape(
      nullptr, {1, 4, 5, 5}, {4, 1, 3, 3}, std::nullopt, p, result)));
}

TEST(ConvTransposeShape, Flops) {
  // 2 * N * Cin * (Cout/groups) * H * W * kH * kW
  EXPECT_DOUBLE_EQ(convTranspose2dFlops({20, 16, 50, 100}, {16, 33, 3, 5}),
                   2.0 * 20 * 16 * 33 * 50 * 100 * 3 * 5);
}

} // namespace
