//===- StaticOperands.cpp - Static operand types a conv implies -----------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Dialect/Flow/IR/FlowDialect.h"
#include "flow/Dialect/Flow/IR/FlowOps.h"
#include "flow/Dialect/Flow/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::flow {
#define GEN_PASS_DEF_FLOWSTATICOPERANDS
#include "flow/Dialect/Flow/Transforms/Passes.h.inc"
} // namespace mlir::flow

using namespace mlir;
using namespace mlir::flow;

namespace {

struct FlowStaticOperandsPass
    : public flow::impl::FlowStaticOperandsBase<FlowStaticOperandsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    getOperation()->walk([&](ConvTranspose2DOp op) {
      op.castOperandsToImpliedTypes(rewriter);
    });
  }
};

} // namespace
