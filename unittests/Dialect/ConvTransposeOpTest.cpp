//===- ConvTransposeOpTest.cpp - building flow.conv_transpose2d -----------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Builders infer the result type (no result type is passed), and an invalid
// configuration built programmatically neither crashes nor passes the
// verifier.
//
//===----------------------------------------------------------------------===//

#include "flow/Dialect/Flow/IR/FlowDialect.h"
#include "flow/Dialect/Flow/IR/FlowOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::flow;

namespace {

class ConvTransposeOpTest : public ::testing::Test {
protected:
  ConvTransposeOpTest() : builder(&context) {
    context.loadDialect<FlowDialect, func::FuncDialect>();
    loc = builder.getUnknownLoc();
    module = ModuleOp::create(loc);
    builder.setInsertionPointToEnd(module->getBody());
  }

  /// A function whose arguments have the given types; the builder is left
  /// inside its body.
  func::FuncOp makeFunc(ArrayRef<Type> args) {
    auto func = func::FuncOp::create(builder, loc, "f",
                                     builder.getFunctionType(args, {}));
    builder.setInsertionPointToEnd(func.addEntryBlock());
    return func;
  }

  RankedTensorType tensor(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  }

  MLIRContext context;
  OpBuilder builder;
  Location loc = UnknownLoc::get(&context);
  OwningOpRef<ModuleOp> module;
};

TEST_F(ConvTransposeOpTest, BuilderInfersTheSeedsResultType) {
  func::FuncOp func = makeFunc({tensor({20, 16, 50, 100}),
                                tensor({16, 33, 3, 5}), tensor({33})});
  auto op = ConvTranspose2DOp::create(
      builder, loc, func.getArgument(0), func.getArgument(1),
      func.getArgument(2), builder.getDenseI64ArrayAttr({2, 1}),
      builder.getDenseI64ArrayAttr({4, 2}), builder.getDenseI64ArrayAttr({0, 0}),
      builder.getDenseI64ArrayAttr({1, 1}), builder.getI64IntegerAttr(1));
  func::ReturnOp::create(builder, loc);
  EXPECT_EQ(op.getType(), tensor({20, 33, 93, 100}));
  EXPECT_TRUE(succeeded(verify(*module)));
}

TEST_F(ConvTransposeOpTest, BuilderWithDynamicInput) {
  int64_t dyn = ShapedType::kDynamic;
  func::FuncOp func = makeFunc({tensor({dyn, 4, dyn, 7}), tensor({4, 2, 3, 3})});
  auto op = ConvTranspose2DOp::create(
      builder, loc, func.getArgument(0), func.getArgument(1), Value(),
      builder.getDenseI64ArrayAttr({2, 2}), builder.getDenseI64ArrayAttr({1, 1}),
      builder.getDenseI64ArrayAttr({1, 1}), builder.getDenseI64ArrayAttr({1, 1}),
      builder.getI64IntegerAttr(2));
  func::ReturnOp::create(builder, loc);
  EXPECT_EQ(op.getType(), tensor({dyn, 4, dyn, 14}));
  EXPECT_TRUE(succeeded(verify(*module)));
}

TEST_F(ConvTransposeOpTest, InvalidBuildIsCaughtByTheVerifier) {
  func::FuncOp func = makeFunc({tensor({1, 4, 5, 5}), tensor({4, 2, 3, 3})});
  // groups = 3 does not divide 4 input channels: the builder still returns
  // an op (with a dynamic result) and the verifier names the problem.
  auto op = ConvTranspose2DOp::create(
      builder, loc, func.getArgument(0), func.getArgument(1), Value(),
      builder.getDenseI64ArrayAttr({1, 1}), builder.getDenseI64ArrayAttr({0, 0}),
      builder.getDenseI64ArrayAttr({0, 0}), builder.getDenseI64ArrayAttr({1, 1}),
      builder.getI64IntegerAttr(3));
  func::ReturnOp::create(builder, loc);
  int64_t dyn = ShapedType::kDynamic;
  EXPECT_EQ(op.getType(), tensor({dyn, dyn, dyn, dyn}));
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  EXPECT_TRUE(failed(verify(*module)));
  EXPECT_NE(message.find("input channels (4) must be divisible by groups (3)"),
            std::string::npos)
      << message;
}

} // namespace
