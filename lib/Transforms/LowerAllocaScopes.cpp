//===- LowerAllocaScopes.cpp - alloca_scope to stacksave/restore ----------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::flow {
#define GEN_PASS_DEF_FLOWLOWERALLOCASCOPES
#include "flow/Transforms/Passes.h.inc"
} // namespace mlir::flow

using namespace mlir;
using namespace mlir::flow;

namespace {

/// Replaces each memref.alloca_scope by its body between llvm.intr.stacksave
/// and llvm.intr.stackrestore, while the body is still structured (SCF to
/// ControlFlow would split it into blocks, which alloca_scope forbids).
struct LowerAllocaScopesPass
    : public flow::impl::FlowLowerAllocaScopesBase<LowerAllocaScopesPass> {
  void runOnOperation() override {
    SmallVector<memref::AllocaScopeOp> scopes;
    getOperation()->walk(
        [&](memref::AllocaScopeOp scope) { scopes.push_back(scope); });
    for (memref::AllocaScopeOp scope : scopes) {
      if (scope->getNumResults() != 0) {
        scope.emitOpError("with results is not supported here");
        return signalPassFailure();
      }
      OpBuilder b(scope);
      Location loc = scope.getLoc();
      Value sp = LLVM::StackSaveOp::create(
          b, loc, LLVM::LLVMPointerType::get(b.getContext()));
      Block &body = scope.getBodyRegion().front();
      Operation *term = body.getTerminator();
      scope->getBlock()->getOperations().splice(
          Block::iterator(scope), body.getOperations(), body.begin(),
          Block::iterator(term));
      LLVM::StackRestoreOp::create(b, loc, sp);
      scope.erase();
    }
  }
};

} // namespace
