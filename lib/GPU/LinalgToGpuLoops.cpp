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

#include <map>
#include <optional>
#include <tuple>

namespace mlir::flow {
#define GEN_PASS_DEF_FLOWLINALGTOGPULOOPS
#include "flow/GPU/Passes.h.inc"
} // namespace mlir::flow

using namespace mlir;

namespace {

/// One parallel dimension split across a thread's register tile: the
/// thread's base index j in [0, span) stands for the points j + t*span,
/// t in [0, factor) (strided, so neighbouring threads still touch
/// neighbouring elements for every t).
struct ThreadTileDim {
  unsigned dim;
  int64_t size, factor, span;
  bool exact() const { return span * factor == size; }
};

/// Picks the register tile of a reduction op: at most two static parallel
/// dimensions, each ignored by some input (so that input's value is loaded
/// once and reused by every point along it). The innermost parallel
/// dimension is one candidate; the other is the largest dimension ignored by
/// an input that the innermost one does not spare (for a convolution:
/// output channels, which the image ignores, and output columns, which the
/// weight ignores). Factors are powers of two with at most `maxOutputs`
/// points per thread, at most 1/8 of the points padding, and at least
/// `minThreads` threads left and at most 1/8 of the reduction's length;
/// among those, the tile with the fewest loads per output wins (a balanced
/// one).
SmallVector<ThreadTileDim> chooseThreadTile(linalg::LinalgOp op,
                                            ArrayRef<unsigned> parallelDims,
                                            ArrayRef<unsigned> reductionDims,
                                            int64_t maxOutputs,
                                            int64_t minThreads) {
  if (maxOutputs <= 1 || parallelDims.empty() || reductionDims.empty())
    return {};
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t work = 1;
  for (unsigned d : reductionDims)
    work = ShapedType::isDynamic(ranges[d]) ? 1 << 20 : work * ranges[d];
  // A thread's tile is at most 1/8 of its reduction: short reductions (few
  // input channels or taps) want more threads rather than longer ones.
  maxOutputs = std::min(maxOutputs, work / 8);
  if (maxOutputs <= 1)
    return {};
  int64_t total = 1;
  for (unsigned d : parallelDims) {
    if (ShapedType::isDynamic(ranges[d]))
      return {};
    total *= ranges[d];
  }
  // Which memory inputs ignore dimension d (bit i: input i).
  auto sparing = [&](unsigned d) {
    uint64_t mask = 0;
    for (OpOperand *input : op.getDpsInputOperands())
      if (isa<MemRefType>(input->get().getType()) &&
          !op.getMatchingIndexingMap(input).isFunctionOfDim(d))
        mask |= uint64_t(1) << (input->getOperandNumber() % 64);
    return mask;
  };
  unsigned inner = parallelDims.back();
  uint64_t innerMask = ranges[inner] > 1 ? sparing(inner) : 0;
  std::optional<unsigned> outer;
  for (unsigned d : parallelDims) {
    if (d == inner || ranges[d] < 2 || (sparing(d) & ~innerMask) == 0)
      continue;
    if (!outer || ranges[d] > ranges[*outer])
      outer = d;
  }
  auto waste = [](int64_t size, int64_t f) {
    return llvm::divideCeilSigned(size, f) * f - size;
  };
  // Loads per reduction step of a tile: each input is loaded once per
  // distinct point it reads.
  auto loads = [&](int64_t fo, int64_t fi) {
    int64_t n = 0;
    for (OpOperand *input : op.getDpsInputOperands()) {
      if (!isa<MemRefType>(input->get().getType()))
        continue;
      AffineMap map = op.getMatchingIndexingMap(input);
      n += (outer && map.isFunctionOfDim(*outer) ? fo : 1) *
           (map.isFunctionOfDim(inner) ? fi : 1);
    }
    return n;
  };
  bool haveBest = false;
  int64_t best[2] = {1, 1};
  // Fewest loads per output first, then more outputs, then exact splits,
  // then the larger factor on the outer dimension.
  auto better = [&](int64_t fo, int64_t fi) {
    if (!haveBest)
      return true;
    int64_t lhs = loads(fo, fi) * best[0] * best[1],
            rhs = loads(best[0], best[1]) * fo * fi;
    if (lhs != rhs)
      return lhs < rhs;
    auto rest = [&](int64_t o, int64_t i) {
      return std::make_tuple(o * i,
                             waste(ranges[inner], i) == 0 &&
                                 (!outer || waste(ranges[*outer], o) == 0),
                             o);
    };
    return rest(fo, fi) > rest(best[0], best[1]);
  };
  for (int64_t fo = 1; fo <= (outer ? maxOutputs : 1); fo *= 2) {
    for (int64_t fi = 1; fi <= (innerMask ? maxOutputs : 1); fi *= 2) {
      if (fo * fi > maxOutputs || fo * fi * minThreads > total)
        continue;
      if ((outer && fo > ranges[*outer]) || fi > ranges[inner])
        continue;
      if ((outer && 8 * waste(ranges[*outer], fo) > ranges[*outer]) ||
          8 * waste(ranges[inner], fi) > ranges[inner])
        continue;
      if (better(fo, fi)) {
        best[0] = fo, best[1] = fi;
        haveBest = true;
      }
    }
  }
  SmallVector<ThreadTileDim> tile;
  if (best[0] > 1)
    tile.push_back({*outer, ranges[*outer], best[0],
                    llvm::divideCeilSigned(ranges[*outer], best[0])});
  if (best[1] > 1)
    tile.push_back({inner, ranges[inner], best[1],
                    llvm::divideCeilSigned(ranges[inner], best[1])});
  return tile;
}

/// Lowers one linalg op; see the pass description.
class GpuLoopEmitter {
public:
  GpuLoopEmitter(RewriterBase &rewriter, linalg::LinalgOp op, int64_t blockSize,
                 bool contract, int64_t maxOutputs, int64_t minThreads)
      : rewriter(rewriter), op(op), loc(op.getLoc()), blockSize(blockSize),
        contract(contract), maxOutputs(maxOutputs), minThreads(minThreads) {}

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
  int64_t maxOutputs, minThreads;
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
  // The thread's register tile; tiled dimensions contribute their span to
  // the thread space.
  SmallVector<ThreadTileDim> tile = chooseThreadTile(
      op, parallelDims, reductionDims, maxOutputs, minThreads);
  SmallVector<Value> threadSizes(sizes);
  for (const ThreadTileDim &t : tile)
    threadSizes[t.dim] = arith::ConstantIndexOp::create(rewriter, loc, t.span);
  Value total = one;
  for (unsigned d : parallelDims)
    total = rewriter.createOrFold<arith::MulIOp>(loc, total, threadSizes[d]);
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
    ivs[d] = arith::RemUIOp::create(rewriter, loc, rest, threadSizes[d]);
    rest = arith::DivUIOp::create(rewriter, loc, rest, threadSizes[d]);
  }

  // The tile's points: every combination of the tiled dimensions' parts.
  // A point past the end of a dimension (inexact split) computes on the
  // last index, so its loads stay in bounds, and does not store.
  struct Point {
    SmallVector<Value> ivs;
    SmallVector<int64_t> part; // per tiled dimension
    Value valid;               // null: always valid
  };
  SmallVector<Point> points(1, Point{ivs, {}, Value()});
  for (const ThreadTileDim &t : tile) {
    SmallVector<Point> next;
    for (const Point &p : points) {
      for (int64_t k = 0; k < t.factor; ++k) {
        Point q = p;
        Value index = ivs[t.dim];
        if (k > 0)
          index = arith::AddIOp::create(
              rewriter, loc, index,
              arith::ConstantIndexOp::create(rewriter, loc, k * t.span));
        if (!t.exact() && (k + 1) * t.span > t.size) {
          Value last = arith::ConstantIndexOp::create(rewriter, loc, t.size - 1);
          Value inside = arith::CmpIOp::create(
              rewriter, loc, arith::CmpIPredicate::ult, index,
              arith::ConstantIndexOp::create(rewriter, loc, t.size));
          q.valid = q.valid ? arith::AndIOp::create(rewriter, loc, q.valid,
                                                    inside)
                            : inside;
          index = arith::MinUIOp::create(rewriter, loc, index, last);
        }
        q.ivs[t.dim] = index;
        q.part.push_back(k);
        next.push_back(std::move(q));
      }
    }
    points = std::move(next);
  }
  // Loads of `operand` for every point, each distinct one emitted once (an
  // operand that ignores a tiled dimension is shared along it).
  auto loadAll = [&](OpOperand &operand) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    std::map<SmallVector<int64_t>, Value> loaded;
    SmallVector<Value> values;
    for (Point &p : points) {
      SmallVector<int64_t> key;
      for (auto [t, k] : llvm::zip_equal(tile, p.part))
        key.push_back(map.isFunctionOfDim(t.dim) ? k : -1);
      auto [it, inserted] = loaded.try_emplace(key, Value());
      if (inserted)
        it->second = load(operand, p.ivs);
      values.push_back(it->second);
    }
    return values;
  };

  // Current output values: the accumulators' start (loaded only if used),
  // point-major.
  unsigned numInits = op.getNumDpsInits();
  SmallVector<Value> outputs(points.size() * numInits);
  for (OpOperand &init : op.getDpsInitsMutable()) {
    unsigned i = init.getOperandNumber() - op.getNumDpsInputs();
    if (reductionDims.empty() && !op.payloadUsesValueFromOperand(&init))
      continue;
    for (auto [p, value] : llvm::enumerate(loadAll(init)))
      outputs[p * numInits + i] = value;
  }

  // The payload at every point, with the inputs loaded once per point
  // group.
  auto computeAll = [&](ArrayRef<Value> accumulators) {
    SmallVector<SmallVector<Value>> inputs(points.size());
    for (OpOperand *input : op.getDpsInputOperands())
      for (auto [p, value] : llvm::enumerate(loadAll(*input)))
        inputs[p].push_back(value);
    SmallVector<Value> results;
    for (auto [p, point] : llvm::enumerate(points))
      llvm::append_range(
          results, clonePayload(point.ivs, inputs[p],
                                accumulators.slice(p * numInits, numInits)));
    return results;
  };

  SmallVector<Value> results;
  if (reductionDims.empty()) {
    results = computeAll(outputs);
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
          for (Point &p : points)
            for (auto [d, iv] : llvm::zip_equal(reductionDims, reductionIvs))
              p.ivs[d] = iv;
          return computeAll(llvm::to_vector(accumulators));
        });
    results.assign(nest.results.begin(), nest.results.end());
    rewriter.setInsertionPointAfter(nest.loops.front());
    for (Point &p : points)
      for (unsigned d : reductionDims)
        p.ivs[d] = zero;
  }
  for (auto [p, point] : llvm::enumerate(points)) {
    OpBuilder::InsertionGuard storeGuard(rewriter);
    if (point.valid) {
      auto store = scf::IfOp::create(rewriter, loc, point.valid,
                                     /*withElseRegion=*/false);
      rewriter.setInsertionPointToStart(&store.getThenRegion().front());
    }
    for (OpOperand &init : op.getDpsInitsMutable())
      memref::StoreOp::create(
          rewriter, loc,
          results[p * numInits + init.getOperandNumber() -
                  op.getNumDpsInputs()],
          init.get(), indices(init, point.ivs));
  }
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
          << static_cast<int64_t>(blockSize);
      return signalPassFailure();
    }
    if (registerTile < 1 || minThreads < 1) {
      func.emitError("flow-linalg-to-gpu-loops: register-tile and "
                     "min-threads must be >= 1, got ")
          << static_cast<int64_t>(registerTile) << " and "
          << static_cast<int64_t>(minThreads);
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp linalgOp) {
      if (!isMappedToGpu(linalgOp))
        ops.push_back(linalgOp);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp linalgOp : ops)
      if (failed(GpuLoopEmitter(rewriter, linalgOp, blockSize, contract,
                                registerTile, minThreads)
                     .emit()))
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
