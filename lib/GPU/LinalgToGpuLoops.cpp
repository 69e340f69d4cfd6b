//===- LinalgToGpuLoops.cpp - linalg to block/thread-mapped loops ---------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/GPU/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/ParallelLoopMapper.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::flow {
#define GEN_PASS_DEF_FLOWLINALGTOGPULOOPS
#include "flow/GPU/Passes.h.inc"
} // namespace mlir::flow

using namespace mlir;

namespace {

/// Lowers one linalg op; see the pass description.
class GpuLoopEmitter {
public:
  GpuLoopEmitter(RewriterBase &rewriter, linalg::LinalgOp op, int64_t blockSize,
                 bool contract)
      : rewriter(rewriter), op(op), loc(op.getLoc()), blockSize(blockSize),
        contract(contract) {}

  LogicalResult emit();

private:
  /// memref.load of `operand` at the iteration point `ivs` (the operand
  /// itself when it is a scalar).
  Value load(OpOperand &operand, ArrayRef<Value> ivs);
  /// The indices of `operand` at the iteration point `ivs`.
  SmallVector<Value> indices(OpOperand &operand, ArrayRef<Value> ivs);
  /// Clones the payload with its block arguments bound to `inputs` and
  /// `outputs`; returns the yielded values.
  SmallVector<Value> clonePayload(ArrayRef<Value> ivs, ArrayRef<Value> inputs,
                                  ArrayRef<Value> outputs);

  RewriterBase &rewriter;
  linalg::LinalgOp op;
  Location loc;
  int64_t blockSize;
  bool contract;
};

SmallVector<Value> GpuLoopEmitter::indices(OpOperand &operand,
                                           ArrayRef<Value> ivs) {
  AffineMap map = op.getMatchingIndexingMap(&operand);
  SmallVector<Value> result;
  for (AffineExpr expr : map.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      result.push_back(ivs[dim.getPosition()]);
      continue;
    }
    AffineMap single = AffineMap::get(map.getNumDims(), 0, expr);
    OpFoldResult index = affine::makeComposedFoldedAffineApply(
        rewriter, loc, single, getAsOpFoldResult(ivs));
    result.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, index));
  }
  return result;
}

Value GpuLoopEmitter::load(OpOperand &operand, ArrayRef<Value> ivs) {
  Value value = operand.get();
  if (!isa<MemRefType>(value.getType()))
    return value;
  return memref::LoadOp::create(rewriter, loc, value, indices(operand, ivs));
}

SmallVector<Value> GpuLoopEmitter::clonePayload(ArrayRef<Value> ivs,
                                                ArrayRef<Value> inputs,
                                                ArrayRef<Value> outputs) {
  Block *payload = op.getBlock();
  IRMapping mapping;
  unsigned numInputs = op.getNumDpsInputs();
  for (BlockArgument arg : payload->getArguments()) {
    unsigned i = arg.getArgNumber();
    Value bound = i < numInputs ? inputs[i] : outputs[i - numInputs];
    if (bound)
      mapping.map(arg, bound);
  }
  for (Operation &inner : payload->without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      mapping.map(index.getResult(), ivs[index.getDim()]);
      continue;
    }
    Operation *cloned = rewriter.clone(inner, mapping);
    // Like nvcc's default (--fmad=true): a * b + c may become one FMA.
    if (contract && isa<arith::AddFOp, arith::SubFOp, arith::MulFOp>(cloned)) {
      auto fastMath = cast<arith::ArithFastMathInterface>(cloned);
      arith::FastMathFlagsAttr flags = fastMath.getFastMathFlagsAttr();
      cloned->setAttr(
          fastMath.getFastMathAttrName(),
          arith::FastMathFlagsAttr::get(
              cloned->getContext(),
              (flags ? flags.getValue() : arith::FastMathFlags::none) |
                  arith::FastMathFlags::contract));
    }
  }
  SmallVector<Value> yielded;
  for (Value value : payload->getTerminator()->getOperands())
    yielded.push_back(mapping.lookupOrDefault(value));
  return yielded;
}

LogicalResult GpuLoopEmitter::emit() {
  if (!op.hasPureBufferSemantics())
    return op->emitError("flow-linalg-to-gpu-loops: expected buffer "
                         "semantics (run bufferization first)");
  Block *payload = op.getBlock();
  WalkResult nestedIndex = op->walk([&](linalg::IndexOp index) {
    return index->getBlock() == payload ? WalkResult::advance()
                                        : WalkResult::interrupt();
  });
  if (nestedIndex.wasInterrupted())
    return op->emitError("flow-linalg-to-gpu-loops: linalg.index inside a "
                         "nested region is not supported");

  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<unsigned> parallelDims, reductionDims;
  for (auto [d, iterator] : llvm::enumerate(iterators))
    (iterator == utils::IteratorType::parallel ? parallelDims : reductionDims)
        .push_back(d);
  for (OpOperand &init : op.getDpsInitsMutable()) {
    AffineMap map = op.getMatchingIndexingMap(&init);
    for (unsigned d : reductionDims)
      if (map.isFunctionOfDim(d))
        return op->emitError("flow-linalg-to-gpu-loops: an output is "
                             "indexed by reduction dimension ")
               << d;
  }

  // Loop sizes and the flattened parallel space, computed on the host.
  rewriter.setInsertionPoint(op);
  SmallVector<Value> sizes;
  for (Range range : op.createLoopRanges(rewriter, loc))
    sizes.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, range.size));
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  Value block = arith::ConstantIndexOp::create(rewriter, loc, blockSize);
  Value total = one;
  for (unsigned d : parallelDims)
    total = rewriter.createOrFold<arith::MulIOp>(loc, total, sizes[d]);
  Value numBlocks =
      rewriter.createOrFold<arith::CeilDivUIOp>(loc, total, block);

  // Tiles of `blockSize` flattened points: tiles -> blocks, points ->
  // threads.
  auto grid = scf::ParallelOp::create(rewriter, loc, ValueRange{zero},
                                      ValueRange{numBlocks}, ValueRange{one});
  rewriter.setInsertionPointToStart(grid.getBody());
  auto threads = scf::ParallelOp::create(rewriter, loc, ValueRange{zero},
                                         ValueRange{block}, ValueRange{one});
  MLIRContext *ctx = op->getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(1, ctx);
  if (failed(gpu::setMappingAttr(
          grid, gpu::ParallelLoopDimMappingAttr::get(
                    ctx, gpu::Processor::BlockX, identity, identity))) ||
      failed(gpu::setMappingAttr(
          threads, gpu::ParallelLoopDimMappingAttr::get(
                       ctx, gpu::Processor::ThreadX, identity, identity))))
    return op->emitError("flow-linalg-to-gpu-loops: cannot map the loops");

  rewriter.setInsertionPointToStart(threads.getBody());
  Value linear = arith::AddIOp::create(
      rewriter, loc,
      arith::MulIOp::create(rewriter, loc, grid.getInductionVars()[0], block),
      threads.getInductionVars()[0]);
  Value inBounds = arith::CmpIOp::create(
      rewriter, loc, arith::CmpIPredicate::ult, linear, total);
  auto guard = scf::IfOp::create(rewriter, loc, inBounds,
                                 /*withElseRegion=*/false);
  rewriter.setInsertionPointToStart(&guard.getThenRegion().front());

  // This thread's point: the innermost parallel dimension varies fastest.
  // Reduction dimensions are 0 until their loops define them (no output
  // depends on them).
  SmallVector<Value> ivs(iterators.size(), zero);
  Value rest = linear;
  for (int64_t k = parallelDims.size() - 1; k >= 0; --k) {
    unsigned d = parallelDims[k];
    if (k == 0) {
      ivs[d] = rest;
      break;
    }
    ivs[d] = arith::RemUIOp::create(rewriter, loc, rest, sizes[d]);
    rest = arith::DivUIOp::create(rewriter, loc, rest, sizes[d]);
  }

  // Current output values: the accumulators' start (loaded only if used).
  SmallVector<Value> outputs;
  for (OpOperand &init : op.getDpsInitsMutable())
    outputs.push_back(!reductionDims.empty() ||
                              op.payloadUsesValueFromOperand(&init)
                          ? load(init, ivs)
                          : Value());

  SmallVector<Value> results;
  if (reductionDims.empty()) {
    SmallVector<Value> inputs;
    for (OpOperand *input : op.getDpsInputOperands())
      inputs.push_back(load(*input, ivs));
    results = clonePayload(ivs, inputs, outputs);
  } else {
    SmallVector<Value> lbs(reductionDims.size(), zero),
        steps(reductionDims.size(), one), ubs;
    for (unsigned d : reductionDims)
      ubs.push_back(sizes[d]);
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps, outputs,
        [&](OpBuilder &nested, Location, ValueRange reductionIvs,
            ValueRange accumulators) -> scf::ValueVector {
          OpBuilder::InsertionGuard guard(rewriter);
          rewriter.setInsertionPoint(nested.getInsertionBlock(),
                                     nested.getInsertionPoint());
          for (auto [d, iv] : llvm::zip_equal(reductionDims, reductionIvs))
            ivs[d] = iv;
          SmallVector<Value> inputs;
          for (OpOperand *input : op.getDpsInputOperands())
            inputs.push_back(load(*input, ivs));
          return clonePayload(ivs, inputs, llvm::to_vector(accumulators));
        });
    results.assign(nest.results.begin(), nest.results.end());
    rewriter.setInsertionPointAfter(nest.loops.front());
    for (unsigned d : reductionDims)
      ivs[d] = zero;
  }
  for (auto [init, value] : llvm::zip_equal(op.getDpsInitsMutable(), results))
    memref::StoreOp::create(rewriter, loc, value, init.get(),
                            indices(init, ivs));
  rewriter.eraseOp(op);
  return success();
}

/// True when `op` runs inside a loop nest mapped to the GPU.
bool isMappedToGpu(Operation *op) {
  for (auto loop = op->getParentOfType<scf::ParallelOp>(); loop;
       loop = loop->getParentOfType<scf::ParallelOp>())
    if (loop->hasAttr(gpu::getMappingAttrName()))
      return true;
  return op->getParentOfType<gpu::LaunchOp>() != nullptr;
}

struct FlowLinalgToGpuLoopsPass
    : public flow::impl::FlowLinalgToGpuLoopsBase<FlowLinalgToGpuLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (blockSize < 1 || blockSize > 1024) {
      func.emitError("flow-linalg-to-gpu-loops: block-size must be in "
                     "[1, 1024], got ")
          << blockSize;
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp linalgOp) {
      if (!isMappedToGpu(linalgOp))
        ops.push_back(linalgOp);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp linalgOp : ops)
      if (failed(
              GpuLoopEmitter(rewriter, linalgOp, blockSize, contract).emit()))
        return signalPassFailure();

    // The buffers live on the GPU: nothing else may touch them on the host.
    WalkResult hostAccess = func.walk([&](Operation *inner) -> WalkResult {
      if (isa<gpu::GPUDialect>(inner->getDialect()) || isMappedToGpu(inner))
        return WalkResult::advance();
      auto effects = dyn_cast<MemoryEffectOpInterface>(inner);
      if (!effects)
        return WalkResult::advance();
      SmallVector<MemoryEffects::EffectInstance> instances;
      effects.getEffects(instances);
      for (MemoryEffects::EffectInstance &instance : instances) {
        Value value = instance.getValue();
        if (value && isa<BaseMemRefType>(value.getType()) &&
            isa<MemoryEffects::Read, MemoryEffects::Write>(
                instance.getEffect()))
          return inner->emitError("flow-linalg-to-gpu-loops: '")
                 << inner->getName() << "' would access GPU memory on the host";
      }
      return WalkResult::advance();
    });
    if (hostAccess.wasInterrupted())
      return signalPassFailure();
  }
};

} // namespace
