//===- KernelEmitter.cpp - Emits the loops of a CPU kernel ----------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The fast CPU path of flow.conv_transpose2d: a direct convolution per
// stride phase, emitted as loops over buffers with explicit vector
// operations.
//
// Output pixel (oh, ow) = (sy*qh + cy, sx*qw + cx) belongs to class (cy, cx);
// each class is a correlation of the (once-padded) input with its own taps
// of the kernel: a batch-reduce GEMM, summing over the taps and the input
// channels. A register tile holds Tco output channels x R rows x Nv vectors
// of V consecutive qw (V = vector lanes); the reduction loops (taps, then
// input channels) carry the Tco*R*Nv accumulators as iter_args, and the
// body loads R*Nv input vectors, broadcasts Tco weights and issues Tco*R*Nv
// vector FMAs. Accumulators start from the bias. Classes that share output
// rows (cx = 0..sx-1) are computed into a small stack scratch and
// interleaved into the NCHW output, so the output is written once,
// contiguously. The code size depends on the strides and the register tile,
// not on the tensor extents: a full tile and at most one remainder per
// dimension (channels, rows, vectors) per class.
//
// Around the micro-kernels (KernelBuffers.cpp): the weight is packed per
// class into [g][co/Tco][tap][ci][Tco]; the input rows of a task are copied
// into a zero-padded buffer; the tasks (batch, group, row block) form one
// affine.parallel (serial for small convolutions).
//
// strategy=zero-insert uses the same generator on one stride-1 class over
// the zero-inserted input (all kernel taps; about stride^2 wasted
// multiplies).
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IntegerSet.h"

using namespace mlir;
using namespace mlir::flow;
using namespace mlir::flow::cpu;

SmallVector<Value> KernelEmitter::indices(OpBuilder &b, AffineMap m,
                                          ValueRange ops) {
  SmallVector<Value> idx;
  for (AffineExpr e : m.getResults()) {
    if (auto c = dyn_cast<AffineConstantExpr>(e)) {
      idx.push_back(cst(b, c.getValue()));
      continue;
    }
    idx.push_back(affine::AffineApplyOp::create(
        b, loc, AffineMap::get(m.getNumDims(), m.getNumSymbols(), e), ops));
  }
  return idx;
}

Value KernelEmitter::loadVector(OpBuilder &b, VectorType type, Value mem,
                                AffineMap m, ValueRange ops) {
  return loadVector(b, type, mem, indices(b, m, ops));
}

Value KernelEmitter::loadVector(OpBuilder &b, VectorType type, Value mem,
                                ValueRange idx) {
  return vector::LoadOp::create(b, loc, type, mem, idx);
}

void KernelEmitter::storeVector(OpBuilder &b, Value v, Value mem, AffineMap m,
                                ValueRange ops) {
  storeVector(b, v, mem, indices(b, m, ops));
}

void KernelEmitter::storeVector(OpBuilder &b, Value v, Value mem,
                                ValueRange idx) {
  vector::StoreOp::create(b, loc, v, mem, idx);
}

Value KernelEmitter::loadScalar(OpBuilder &b, Value mem, AffineMap m,
                                ValueRange ops) {
  return memref::LoadOp::create(b, loc, mem, indices(b, m, ops));
}

void KernelEmitter::storeScalar(OpBuilder &b, Value v, Value mem, AffineMap m,
                                ValueRange ops) {
  storeScalar(b, v, mem, indices(b, m, ops));
}

void KernelEmitter::storeScalar(OpBuilder &b, Value v, Value mem,
                                ValueRange idx) {
  memref::StoreOp::create(b, loc, v, mem, idx);
}

void KernelEmitter::nest(OpBuilder &b, ArrayRef<OpFoldResult> ubs, bool par,
                         function_ref<void(OpBuilder &, ValueRange)> body) {
  MLIRContext *ctx = op.getContext();
  SmallVector<AffineMap> lbMaps, ubMaps;
  SmallVector<Value> ubArgs;
  for (OpFoldResult ub : ubs) {
    lbMaps.push_back(AffineMap::getConstantMap(0, ctx));
    if (auto v = dyn_cast<Value>(ub)) {
      ubMaps.push_back(AffineMap::get(0, 1, getAffineSymbolExpr(0, ctx)));
      ubArgs.push_back(v);
    } else {
      ubMaps.push_back(
          AffineMap::getConstantMap(*getConstantIntValue(ub), ctx));
    }
  }
  if (par) {
    SmallVector<int64_t> steps(ubs.size(), 1);
    auto loop = affine::AffineParallelOp::create(
        b, loc, TypeRange{}, ArrayRef<arith::AtomicRMWKind>{}, lbMaps,
        ValueRange{}, ubMaps, ubArgs, steps);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    SmallVector<Value> ivs(loop.getIVs().begin(), loop.getIVs().end());
    body(b, ivs);
    return;
  }
  // A serial nest.
  SmallVector<Value> ivs;
  OpBuilder::InsertionGuard guard(b);
  size_t arg = 0;
  for (size_t i = 0; i < ubs.size(); ++i) {
    ValueRange ops = ubMaps[i].getNumSymbols() ? ValueRange(ubArgs[arg++])
                                               : ValueRange{};
    auto loop = affine::AffineForOp::create(b, loc, ValueRange{}, lbMaps[i],
                                            ops, ubMaps[i], 1);
    b.setInsertionPointToStart(loop.getBody());
    ivs.push_back(loop.getInductionVar());
  }
  body(b, ivs);
}

void KernelEmitter::forRange(OpBuilder &b, AffineMap lb, ValueRange lbOps,
                             AffineMap ub, ValueRange ubOps, int64_t step,
                             function_ref<void(OpBuilder &, Value)> body) {
  auto loop =
      affine::AffineForOp::create(b, loc, lbOps, lb, ubOps, ub, step);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  body(b, loop.getInductionVar());
}

void KernelEmitter::ifEqual(OpBuilder &b, Value v, int64_t c,
                            function_ref<void(OpBuilder &)> body) {
  MLIRContext *ctx = op.getContext();
  IntegerSet set =
      IntegerSet::get(1, 0, {getAffineDimExpr(0, ctx) - c}, {true});
  auto ifOp = affine::AffineIfOp::create(b, loc, set, ValueRange{v},
                                         /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.getThenBlock());
  body(b);
}

/// One register tile: `tc` channels from co0, `rr` rows from qh0 of class
/// (cy, cx), `nv` vectors from vector j0 of the row. The taps are loops (a
/// batch-reduce GEMM over taps x input channels), so the code holds one copy
/// of the tile's FMAs whatever the kernel size.
void KernelEmitter::emitTile(OpBuilder &b, Value co0, int64_t tc, int64_t cy,
                             int64_t cx, Value qh0, int64_t rr, Value j0,
                             int64_t nv, bool partial) {
  MLIRContext *ctx = op.getContext();
  auto vecType = VectorType::get({lanes}, elemType);
  const Taps &th = ax[0].taps[cy], &tw = ax[1].taps[cx];
  int64_t tco = tiling.tco;
  AffineExpr d0 = getAffineDimExpr(0, ctx), d1 = getAffineDimExpr(1, ctx),
             d2 = getAffineDimExpr(2, ctx), d3 = getAffineDimExpr(3, ctx),
             d4 = getAffineDimExpr(4, ctx), d5 = getAffineDimExpr(5, ctx);

  // Accumulators start from the bias.
  SmallVector<Value> init;
  for (int64_t t = 0; t < tc; ++t) {
    Value v;
    if (bias)
      v = vector::BroadcastOp::create(
          b, loc, vecType,
          loadScalar(b, bias, map(2, {d0 * cog + d1 + t}),
                     ValueRange{g, co0}));
    else
      v = arith::ConstantOp::create(
          b, loc, vecType,
          DenseElementsAttr::get(vecType, b.getFloatAttr(elemType, 0.0)));
    for (int64_t i = 0; i < rr * nv; ++i)
      init.push_back(v);
  }
  int64_t taps = th.count * tw.count;
  int64_t off = packOffset[cy * ax[1].classes + cx];
  // Reduction over the input channels of tap (mh, mw).
  auto reduce = [&](OpBuilder &b, Value mh, Value mw, ValueRange accIn) {
    return affine::AffineForOp::create(
        b, loc, 0, cig, 1, accIn,
        [&](OpBuilder &b, Location, Value ci, ValueRange iter) {
          SmallVector<Value> a(iter.begin(), iter.end());
          SmallVector<Value> xs;
          for (int64_t r = 0; r < rr; ++r)
            for (int64_t v = 0; v < nv; ++v)
              // buffer[qh0 + r + tap row - rowTask*RB - firstRow, ci,
              //        j0*V + v*V + tap col]
              xs.push_back(loadVector(
                  b, vecType, buffer,
                  map(6, {d2 - d0 * tiling.rowBlock + d4 * th.step +
                              (r + th.base - firstRow),
                          d1,
                          d3 * lanes + d5 * tw.step +
                              (v * lanes + tw.base)}),
                  ValueRange{rowTask, ci, qh0, j0, mh, mw}));
          for (int64_t t = 0; t < tc; ++t) {
            // packed[off + (g*NCB*tco + co0)*taps*cig + tap*cig*tco +
            //        ci*tco + t]
            AffineExpr idx = off +
                             (d0 * (numCoBlocks * tco) + d1) * (taps * cig) +
                             (d3 * tw.count + d4) * (cig * tco) + d2 * tco + t;
            Value s = loadScalar(b, packed, map(5, {idx}),
                                 ValueRange{g, co0, ci, mh, mw});
            Value bc = vector::BroadcastOp::create(b, loc, vecType, s);
            for (int64_t i = 0; i < rr * nv; ++i) {
              Value &slot = a[t * rr * nv + i];
              slot = vector::FMAOp::create(b, loc, vecType, bc, xs[i], slot);
            }
          }
          affine::AffineYieldOp::create(b, loc, a);
        });
  };
  // Tap loops around it (each input vector is used by one tap only, so
  // nothing is kept live across taps); a single tap needs no loop.
  using Body = function_ref<SmallVector<Value>(OpBuilder &, Value, ValueRange)>;
  auto tapLoop = [&](OpBuilder &b, int64_t count, ValueRange accIn,
                     Body body) -> SmallVector<Value> {
    if (count == 0) // a class without taps holds just the bias
      return SmallVector<Value>(accIn);
    if (count == 1)
      return body(b, cst(b, 0), accIn);
    auto loop = affine::AffineForOp::create(
        b, loc, 0, count, 1, accIn,
        [&](OpBuilder &b, Location, Value m, ValueRange iter) {
          affine::AffineYieldOp::create(b, loc, body(b, m, iter));
        });
    return SmallVector<Value>(loop.getResults());
  };
  SmallVector<Value> acc = tapLoop(
      b, th.count, init, [&](OpBuilder &b, Value mh, ValueRange accH) {
        return tapLoop(b, tw.count, accH,
                       [&](OpBuilder &b, Value mw, ValueRange accW) {
                         return SmallVector<Value>(
                             reduce(b, mh, mw, accW).getResults());
                       });
      });
  storeTile(b, acc, co0, tc, cy, cx, qh0, rr, j0, nv, partial);
}

/// Stores a tile's accumulators: into the output rows (one width class) or
/// into the scratch rows of class cx (interleaved later).
void KernelEmitter::storeTile(OpBuilder &b, ArrayRef<Value> acc, Value co0,
                              int64_t tc, int64_t cy, int64_t cx, Value qh0,
                              int64_t rr, Value j0, int64_t nv,
                              bool partial) {
  MLIRContext *ctx = op.getContext();
  AffineExpr d0 = getAffineDimExpr(0, ctx), d1 = getAffineDimExpr(1, ctx),
             d2 = getAffineDimExpr(2, ctx), d3 = getAffineDimExpr(3, ctx),
             d4 = getAffineDimExpr(4, ctx);
  if (ax[1].classes == 1) {
    // Straight into the output row oh = sy*(qh0 + r) + cy.
    int64_t sy = ax[0].classes;
    for (int64_t t = 0; t < tc; ++t)
      for (int64_t r = 0; r < rr; ++r)
        for (int64_t v = 0; v < nv; ++v) {
          Value val = acc[(t * rr + r) * nv + v];
          AffineMap m = map(5, {d0, d1 * cog + d2 + t,
                                (d3 + r) * sy + cy, d4 * lanes + v * lanes});
          SmallVector<Value> ops = {n, g, co0, qh0, j0};
          if (partial && v == nv - 1) {
            int64_t valid = ax[1].out % lanes;
            SmallVector<Value> idx = indices(b, m, ops);
            Value mask = vector::ConstantMaskOp::create(
                b, loc, VectorType::get({lanes}, b.getI1Type()),
                ArrayRef<int64_t>{valid});
            vector::MaskedStoreOp::create(b, loc, out, idx, mask, val);
          } else {
            storeOutput(b, val, m, ops);
          }
        }
    return;
  }
  // Into the scratch rows of class cx.
  for (int64_t t = 0; t < tc; ++t)
    for (int64_t r = 0; r < rr; ++r)
      for (int64_t v = 0; v < nv; ++v) {
        Value val = acc[(t * rr + r) * nv + v];
        storeVector(b, val, scratch,
            map(1, {b.getAffineConstantExpr(cx), b.getAffineConstantExpr(t),
                    b.getAffineConstantExpr(r), d0 * lanes + v * lanes}),
            ValueRange{j0});
      }
}
/// A full vector store into the output: non-temporal (no read for
/// ownership, no cache pollution) when the output is large and its rows are
/// vector-aligned.
void KernelEmitter::storeOutput(OpBuilder &b, Value v, AffineMap m,
                                ValueRange ops) {
  if (!streamOutput) {
    storeVector(b, v, out, m, ops);
    return;
  }
  SmallVector<Value> idx = indices(b, m, ops);
  vector::StoreOp::create(b, loc, v, out, idx, /*nontemporal=*/true,
                          llvm::MaybeAlign(lanes * elemType.getIntOrFloatBitWidth() / 8));
}

/// All width classes of rows [qh0, qh0 + rr) of class cy, channels
/// [co0, co0 + tc).
void KernelEmitter::emitRowGroup(OpBuilder &b, Value co0, int64_t tc,
                                 int64_t cy, Value qh0, int64_t rr) {
  MLIRContext *ctx = op.getContext();
  int64_t nvMax = tiling.vecs;
  for (int64_t cx = 0; cx < ax[1].classes; ++cx) {
    int64_t q = ax[1].size[cx];
    if (q == 0)
      continue;
    int64_t vpr = ceilDiv(q, lanes), full = q / lanes;
    int64_t main = full / nvMax * nvMax;
    if (main > 0)
      forRange(b, map(0, {getAffineConstantExpr(0, ctx)}), {},
               map(0, {getAffineConstantExpr(main, ctx)}), {}, nvMax,
               [&](OpBuilder &b, Value j0) {
                 emitTile(b, co0, tc, cy, cx, qh0, rr, j0, nvMax, false);
               });
    if (vpr > main)
      emitTile(b, co0, tc, cy, cx, qh0, rr, cst(b, main), vpr - main,
               q % lanes != 0);
  }
  if (ax[1].classes > 1)
    emitInterleave(b, co0, tc, cy, qh0, rr);
}

void KernelEmitter::emitMain(OpBuilder &b) {
  MLIRContext *ctx = op.getContext();
  SmallVector<OpFoldResult> ubs = {
      batchValue ? OpFoldResult(batchValue) : b.getIndexAttr(batch),
      b.getIndexAttr(groups), b.getIndexAttr(coTasks),
      b.getIndexAttr(rowTasks)};
  AffineExpr d0 = getAffineDimExpr(0, ctx);
  int64_t tco = tiling.tco, cb = tiling.coBlock;
  int64_t coFull = cog - cog % tco, coRem = cog % tco;
  int64_t rows = tiling.rows, rb = tiling.rowBlock;

  if (!parallel)
    makeTaskBuffers(b);
  nest(b, ubs, parallel, [&](OpBuilder &b, ValueRange ivs) {
    n = ivs[0];
    g = ivs[1];
    coTask = ivs[2];
    rowTask = ivs[3];
    // The task's buffers: on the worker's stack in a parallel nest (SCF to
    // OpenMP puts each iteration in a memref.alloca_scope); made once, before
    // the nest, in a serial one.
    if (parallel)
      makeTaskBuffers(b);
    if (rowsIn > 0)
      emitPackInput(b);

    // Channel blocks of this task: [coTask*cb, min(coTask*cb + cb, cog)).
    auto coLoop = [&](OpBuilder &b,
                      function_ref<void(OpBuilder &, Value, int64_t)> body) {
      if (coFull > 0)
        forRange(b, map(1, {d0 * cb}), ValueRange{coTask},
                 AffineMap::get(1, 0,
                                {d0 * cb + cb, getAffineConstantExpr(coFull, ctx)},
                                ctx),
                 ValueRange{coTask}, tco,
                 [&](OpBuilder &b, Value co0) { body(b, co0, tco); });
      if (coRem)
        ifEqual(b, coTask, coFull / cb,
                [&](OpBuilder &b) { body(b, cst(b, coFull), coRem); });
    };
    // Row groups of class cy in this task: [rowTask*rb, min(.., size)).
    auto rowLoop = [&](OpBuilder &b, int64_t cy,
                       function_ref<void(OpBuilder &, Value, int64_t)> body) {
      int64_t q = ax[0].size[cy];
      int64_t full = q - q % rows, rem = q % rows;
      if (full > 0)
        forRange(b, map(1, {d0 * rb}), ValueRange{rowTask},
                 AffineMap::get(1, 0,
                                {d0 * rb + rb, getAffineConstantExpr(full, ctx)},
                                ctx),
                 ValueRange{rowTask}, rows,
                 [&](OpBuilder &b, Value qh0) { body(b, qh0, rows); });
      if (rem)
        ifEqual(b, rowTask, full / rb,
                [&](OpBuilder &b) { body(b, cst(b, full), rem); });
    };

    for (int64_t cy = 0; cy < ax[0].classes; ++cy) {
      if (ax[0].size[cy] == 0)
        continue;
      if (tiling.coOuter) {
        coLoop(b, [&](OpBuilder &b, Value co0, int64_t tc) {
          rowLoop(b, cy, [&](OpBuilder &b, Value qh0, int64_t rr) {
            emitRowGroup(b, co0, tc, cy, qh0, rr);
          });
        });
      } else {
        rowLoop(b, cy, [&](OpBuilder &b, Value qh0, int64_t rr) {
          coLoop(b, [&](OpBuilder &b, Value co0, int64_t tc) {
            emitRowGroup(b, co0, tc, cy, qh0, rr);
          });
        });
      }
    }
  });
}

Value KernelEmitter::emit(OpBuilder &b) {
  auto xType = op.getInput().getType();
  SmallVector<int64_t> xShape(xType.getShape());
  x = bufferization::ToBufferOp::create(
      b, loc, MemRefType::get(xShape, elemType), op.getInput(),
      b.getUnitAttr());
  w = bufferization::ToBufferOp::create(
      b, loc, MemRefType::get({cin, cog, kh, kw}, elemType), op.getWeight(),
      b.getUnitAttr());
  if (Value bv = op.getBias())
    bias = bufferization::ToBufferOp::create(
        b, loc, MemRefType::get({cout}, elemType), bv, b.getUnitAttr());
  if (ShapedType::isDynamic(batch))
    batchValue = memref::DimOp::create(b, loc, x, 0);

  SmallVector<int64_t> outShape = {batch, cout, ax[0].out, ax[1].out};
  auto outType = MemRefType::get(outShape, elemType);
  SmallVector<Value> dyn;
  if (batchValue)
    dyn.push_back(batchValue);
  out = memref::AllocOp::create(b, loc, outType, dyn, b.getI64IntegerAttr(64));

  emitPack(b);
  emitMain(b);

  Value result = bufferization::ToTensorOp::create(
      b, loc, RankedTensorType::get(outShape, elemType), out,
      /*restrict=*/b.getUnitAttr(), /*writable=*/b.getUnitAttr());
  if (result.getType() != op.getType())
    result = tensor::CastOp::create(b, loc, op.getType(), result);
  return result;
}
