//===- StageBuffers.cpp - Keep a function's buffers in GPU memory ---------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/GPU/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace mlir::flow {
#define GEN_PASS_DEF_FLOWGPUSTAGEBUFFERS
#include "flow/GPU/Passes.h.inc"
} // namespace mlir::flow

using namespace mlir;

namespace {

/// The dynamic sizes of a buffer shaped like `value` (a ranked memref).
SmallVector<Value> dynamicSizes(OpBuilder &b, Location loc, Value value,
                                SmallPtrSetImpl<Operation *> *created) {
  SmallVector<Value> sizes;
  auto type = cast<MemRefType>(value.getType());
  for (int64_t d = 0, e = type.getRank(); d < e; ++d) {
    if (!type.isDynamicDim(d))
      continue;
    auto dim = memref::DimOp::create(b, loc, value, d);
    if (created)
      created->insert(dim);
    sizes.push_back(dim);
  }
  return sizes;
}

/// A GPU buffer holding a copy of `source`, used instead of it by every op
/// except the ones that build the copy.
Value stageIn(OpBuilder &b, Location loc, Value source) {
  auto type = cast<MemRefType>(source.getType());
  SmallPtrSet<Operation *, 4> keep;
  SmallVector<Value> sizes = dynamicSizes(b, loc, source, &keep);
  Value device = gpu::AllocOp::create(b, loc, type, /*asyncToken=*/Type(),
                                      ValueRange{}, sizes, ValueRange{})
                     .getMemref();
  auto copy = gpu::MemcpyOp::create(b, loc, /*asyncToken=*/Type(), ValueRange{},
                                    device, source);
  keep.insert(copy);
  source.replaceUsesWithIf(
      device, [&](OpOperand &use) { return !keep.contains(use.getOwner()); });
  return device;
}

struct FlowGpuStageBuffersPass
    : public flow::impl::FlowGpuStageBuffersBase<FlowGpuStageBuffersPass> {
  void runOnOperation() override;
};

void FlowGpuStageBuffersPass::runOnOperation() {
  func::FuncOp func = getOperation();
  if (func.isExternal())
    return;
  if (!func.getBody().hasOneBlock()) {
    func.emitError("flow-gpu-stage-buffers: expected a body of one block "
                   "(structured control flow)");
    return signalPassFailure();
  }
  Block &body = func.getBody().front();

  // Refuse what cannot be staged correctly.
  auto isStageable = [](Type type) {
    auto memref = dyn_cast<MemRefType>(type);
    return memref && memref.getLayout().isIdentity();
  };
  WalkResult check = func.walk([&](Operation *op) -> WalkResult {
    if (isa<memref::AllocaOp>(op))
      return op->emitError("flow-gpu-stage-buffers: memref.alloca is not "
                           "supported (GPU buffers come from gpu.alloc)");
    if (isa<memref::AllocOp, memref::GetGlobalOp, memref::DeallocOp>(op) &&
        op->getBlock() != &body)
      return op->emitError("flow-gpu-stage-buffers: buffers must be created "
                           "and freed in the function's top-level block");
    if (auto alloc = dyn_cast<memref::AllocOp>(op);
        alloc && !isStageable(alloc.getType()))
      return op->emitError("flow-gpu-stage-buffers: allocation with a "
                           "non-identity layout");
    if (isa<CallOpInterface>(op) &&
        llvm::any_of(op->getOperandTypes(), llvm::IsaPred<BaseMemRefType>))
      return op->emitError("flow-gpu-stage-buffers: calls passing memrefs "
                           "are not supported (inline the callee)");
    return WalkResult::advance();
  });
  if (check.wasInterrupted())
    return signalPassFailure();
  for (BlockArgument arg : body.getArguments()) {
    if (isa<BaseMemRefType>(arg.getType()) && !isStageable(arg.getType())) {
      func.emitError("flow-gpu-stage-buffers: argument ")
          << arg.getArgNumber() << " has type " << arg.getType()
          << "; expected a ranked memref with the identity layout";
      return signalPassFailure();
    }
  }
  auto ret = dyn_cast<func::ReturnOp>(body.getTerminator());
  if (!ret) {
    func.emitError("flow-gpu-stage-buffers: expected func.return");
    return signalPassFailure();
  }
  for (Value result : ret.getOperands()) {
    if (isa<BaseMemRefType>(result.getType()) &&
        !isStageable(result.getType())) {
      ret.emitError("flow-gpu-stage-buffers: result of type ")
          << result.getType()
          << "; expected a ranked memref with the identity layout";
      return signalPassFailure();
    }
  }

  OpBuilder b(func.getContext());
  // GPU buffers to free before returning, in creation order.
  SmallVector<Value> live;

  // Arguments: copy in.
  b.setInsertionPointToStart(&body);
  for (BlockArgument arg : body.getArguments())
    if (isa<MemRefType>(arg.getType()) && !arg.use_empty())
      live.push_back(stageIn(b, arg.getLoc(), arg));

  // Allocations, globals and deallocations of the body.
  for (Operation &op : llvm::make_early_inc_range(body)) {
    if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      b.setInsertionPoint(alloc);
      Value device = gpu::AllocOp::create(b, alloc.getLoc(), alloc.getType(),
                                          /*asyncToken=*/Type(), ValueRange{},
                                          alloc.getDynamicSizes(),
                                          alloc.getSymbolOperands())
                         .getMemref();
      alloc.replaceAllUsesWith(device);
      alloc.erase();
      live.push_back(device);
    } else if (auto global = dyn_cast<memref::GetGlobalOp>(op)) {
      if (global.use_empty())
        continue;
      b.setInsertionPointAfter(global);
      live.push_back(stageIn(b, global.getLoc(), global.getResult()));
    } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
      b.setInsertionPoint(dealloc);
      gpu::DeallocOp::create(b, dealloc.getLoc(), /*asyncToken=*/Type(),
                             ValueRange{}, dealloc.getMemref());
      // The buffer is freed here, not again before the return.
      Value root = dealloc.getMemref();
      while (auto view = root.getDefiningOp<ViewLikeOpInterface>())
        root = view.getViewSource();
      llvm::erase(live, root);
      dealloc.erase();
    }
  }

  // Results: copy out into fresh host buffers, which the caller owns.
  b.setInsertionPoint(ret);
  for (OpOperand &result : ret->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(result.get().getType());
    if (!type)
      continue;
    Location loc = result.get().getLoc();
    SmallVector<Value> sizes = dynamicSizes(b, loc, result.get(), nullptr);
    Value host = memref::AllocOp::create(b, loc, type, sizes, ValueRange{},
                                         b.getI64IntegerAttr(64));
    gpu::MemcpyOp::create(b, loc, /*asyncToken=*/Type(), ValueRange{}, host,
                          result.get());
    result.set(host);
  }
  for (Value buffer : live)
    gpu::DeallocOp::create(b, ret.getLoc(), /*asyncToken=*/Type(), ValueRange{},
                           buffer);
}

} // namespace
