//===- FlowToLinalgPass.cpp - convert-flow-to-linalg ----------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Conversion/Passes.h"
#include "flow/Dialect/Flow/IR/FlowDialect.h"
#include "flow/Conversion/FlowToLinalg/GradToLinalg.h"
#include "flow/Dialect/Flow/IR/FlowGradOps.h"
#include "flow/Dialect/Flow/IR/FlowOps.h"

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::flow {
#define GEN_PASS_DEF_CONVERTFLOWTOLINALG
#include "flow/Conversion/Passes.h.inc"
} // namespace mlir::flow

using namespace mlir;
using namespace mlir::flow;

namespace {

struct ConvertFlowToLinalgPass
    : public flow::impl::ConvertFlowToLinalgBase<ConvertFlowToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    // Report every op that cannot be lowered with its reason, rather than a
    // generic legalization failure.
    bool lowerable = true;
    getOperation()->walk([&](ConvTranspose2DOp op) {
      std::string reason;
      if (failed(checkLowerable(op, reason))) {
        op.emitOpError() << reason;
        lowerable = false;
      }
    });
    getOperation()->walk([&](Operation *op) {
      std::string reason;
      if (isa<ConvTranspose2DGradInputOp, ConvTranspose2DGradWeightOp>(op) &&
          failed(checkGradLowerable(op, reason))) {
        op->emitOpError() << reason;
        lowerable = false;
      }
    });
    if (!lowerable)
      return signalPassFailure();

    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addIllegalDialect<FlowDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(ctx);
    populateFlowToLinalgPatterns(patterns, strategy);
    populateConvTranspose2dGradToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
