//===- MemRefCopyToLinalg.cpp - memref.copy as linalg.copy ----------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::flow {
#define GEN_PASS_DEF_FLOWMEMREFCOPYTOLINALG
#include "flow/Transforms/Passes.h.inc"
} // namespace mlir::flow

using namespace mlir;

namespace {

struct FlowMemRefCopyToLinalgPass
    : public flow::impl::FlowMemRefCopyToLinalgBase<
          FlowMemRefCopyToLinalgPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation()->walk([&](memref::CopyOp copy) {
      // Only ranked copies of one element type map onto linalg.copy.
      auto source = dyn_cast<MemRefType>(copy.getSource().getType());
      auto target = dyn_cast<MemRefType>(copy.getTarget().getType());
      if (source && target &&
          source.getElementType() == target.getElementType())
        copies.push_back(copy);
    });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp copy : copies) {
      rewriter.setInsertionPoint(copy);
      linalg::CopyOp::create(rewriter, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      rewriter.eraseOp(copy);
    }
  }
};

} // namespace
