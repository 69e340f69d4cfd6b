//===- KernelBuffers.cpp - Buffers and packing of a CPU kernel ------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// What surrounds the micro-kernels: the task buffers, the copy of a task's
// input rows into a zero-padded buffer, the packed weight, and the
// interleaving of the width classes into the NCHW output.
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

/// Copies the rows of input that this task's outputs read, for every
/// channel of the group, into the task's buffer [row][ci][col] with the zero
/// padding (and, for zero-insert, the inserted zeros) in place. The buffer
/// is small enough for L2, its channel rows are contiguous (the reduction
/// loops stream through it), and only the rows of this task are copied, so
/// the caller's NCHW array is read once and nothing is written to memory.
void KernelEmitter::makeTaskBuffers(OpBuilder &b) {
  if (rowsIn > 0)
    buffer = memref::AllocaOp::create(
        b, loc, MemRefType::get({rowsIn, cig, ax[1].extent}, elemType),
        b.getI64IntegerAttr(64));
  if (ax[1].classes > 1)
    scratch = memref::AllocaOp::create(
        b, loc,
        MemRefType::get({ax[1].classes, tiling.tco, tiling.rows, scratchWidth},
                        elemType),
        b.getI64IntegerAttr(64));
}

void KernelEmitter::emitPackInput(OpBuilder &b) {
  MLIRContext *ctx = op.getContext();
  Axis &h = ax[0], &wd = ax[1];
  Value zero = arith::ConstantOp::create(b, loc, elemType,
                                         b.getFloatAttr(elemType, 0.0));
  AffineExpr d0 = getAffineDimExpr(0, ctx), d1 = getAffineDimExpr(1, ctx),
             d2 = getAffineDimExpr(2, ctx), d3 = getAffineDimExpr(3, ctx),
             d4 = getAffineDimExpr(4, ctx);
  auto range = [&](OpBuilder &b, int64_t lo, int64_t hi,
                   function_ref<void(OpBuilder &, Value)> body) {
    if (lo < hi)
      forRange(b, map(0, {b.getAffineConstantExpr(lo)}), {},
               map(0, {b.getAffineConstantExpr(hi)}), {}, 1, body);
  };
  int64_t coreW = (wd.in - 1) * wd.ins + 1;
  // Buffer row of local row lr: rowTask*RB + firstRow + lr; input row
  // (that - low) / ins when it divides and lies in [0, in).
  AffineExpr rel = d0 * tiling.rowBlock + firstRow + d1 - h.low;
  SmallVector<AffineExpr> conds = {rel, (h.in - 1) * h.ins - rel};
  SmallVector<bool> eqs = {false, false};
  if (h.ins > 1) {
    conds.push_back(rel % h.ins);
    eqs.push_back(true);
  }
  IntegerSet valid = IntegerSet::get(2, 0, conds, eqs);
  // Vector moves (LLVM would turn scalar copy loops into memcpy calls or
  // byte loops); a scalar tail.
  auto vecType = VectorType::get({lanes}, elemType);
  Value zeroVec = arith::ConstantOp::create(
      b, loc, vecType,
      DenseElementsAttr::get(vecType, b.getFloatAttr(elemType, 0.0)));
  range(b, 0, rowsIn, [&](OpBuilder &b, Value lr) {
    range(b, 0, cig, [&](OpBuilder &b, Value ci) {
      auto zeroCols = [&](OpBuilder &b, int64_t c0, int64_t c1) {
        int64_t full = (c1 - c0) / lanes * lanes;
        if (full > 0)
          forRange(b, map(0, {b.getAffineConstantExpr(c0)}), {},
                   map(0, {b.getAffineConstantExpr(c0 + full)}), {}, lanes,
                   [&](OpBuilder &b, Value c) {
                     storeVector(b, zeroVec, buffer, ValueRange{lr, ci, c});
                   });
        range(b, c0 + full, c1, [&](OpBuilder &b, Value c) {
          storeScalar(b, zero, buffer,
                                        ValueRange{lr, ci, c});
        });
      };
      auto ifOp = affine::AffineIfOp::create(b, loc, valid,
                                             ValueRange{rowTask, lr},
                                             /*withElseRegion=*/true);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(ifOp.getThenBlock());
        if (wd.ins > 1) {
          zeroCols(b, 0, wd.extent);
        } else {
          zeroCols(b, 0, wd.low);
          zeroCols(b, wd.low + coreW, wd.extent);
        }
        // x[n, g*cig + ci, (rowTask*RB + first + lr - low) / ins, iw]
        AffineMap src =
            map(6, {d0, d1 * cig + d2,
                    (d3 * tiling.rowBlock + firstRow + d4 - h.low)
                        .floorDiv(h.ins),
                    getAffineDimExpr(5, ctx)});
        AffineMap dst = map(3, {d0, d1, d2 * wd.ins + wd.low});
        int64_t full = wd.ins == 1 ? wd.in / lanes * lanes : 0;
        if (full > 0)
          forRange(b, map(0, {b.getAffineConstantExpr(0)}), {},
                   map(0, {b.getAffineConstantExpr(full)}), {}, lanes,
                   [&](OpBuilder &b, Value iw) {
                     Value v = loadVector(b, vecType, x, src,
                         ValueRange{n, g, ci, rowTask, lr, iw});
                     storeVector(b, v, buffer, dst, ValueRange{lr, ci, iw});
                   });
        range(b, full, wd.in, [&](OpBuilder &b, Value iw) {
          Value v = loadScalar(b, x, src, ValueRange{n, g, ci, rowTask, lr, iw});
          storeScalar(b, v, buffer, dst,
                                        ValueRange{lr, ci, iw});
        });
        b.setInsertionPointToStart(ifOp.getElseBlock());
        zeroCols(b, 0, wd.extent);
      }
    });
  });
}

/// Packs the weight per class into [g][co/tco][th][tw][ci][tco].
void KernelEmitter::emitPack(OpBuilder &b) {
  MLIRContext *ctx = op.getContext();
  int64_t tco = tiling.tco;
  int64_t total = 0;
  packOffset.assign(ax[0].classes * ax[1].classes, 0);
  for (int64_t cy = 0; cy < ax[0].classes; ++cy)
    for (int64_t cx = 0; cx < ax[1].classes; ++cx) {
      packOffset[cy * ax[1].classes + cx] = total;
      total += groups * numCoBlocks * tco * cig * ax[0].taps[cy].count *
               ax[1].taps[cx].count;
    }
  packed = memref::AllocOp::create(
      b, loc, MemRefType::get({std::max<int64_t>(total, 1)}, elemType),
      b.getI64IntegerAttr(64));
  if (total == 0)
    return;
  AffineExpr d0 = getAffineDimExpr(0, ctx), d1 = getAffineDimExpr(1, ctx),
             d2 = getAffineDimExpr(2, ctx), d3 = getAffineDimExpr(3, ctx),
             d4 = getAffineDimExpr(4, ctx), d5 = getAffineDimExpr(5, ctx);
  bool par = parallel && total >= 16384;
  nest(b, {b.getIndexAttr(groups), b.getIndexAttr(numCoBlocks)}, par,
       [&](OpBuilder &b, ValueRange ivs) {
         Value g = ivs[0], cob = ivs[1];
         for (int64_t cy = 0; cy < ax[0].classes; ++cy)
           for (int64_t cx = 0; cx < ax[1].classes; ++cx) {
             const Taps &th = ax[0].taps[cy], &tw = ax[1].taps[cx];
             if (th.count == 0 || tw.count == 0)
               continue;
             int64_t off = packOffset[cy * ax[1].classes + cx];
             int64_t taps = th.count * tw.count;
             auto loopTo = [&](int64_t ub,
                               function_ref<void(OpBuilder &, Value)> f) {
               forRange(b, map(0, {b.getAffineConstantExpr(0)}), {},
                        map(0, {b.getAffineConstantExpr(ub)}), {}, 1, f);
             };
             loopTo(cig, [&](OpBuilder &b, Value ci) {
               loopTo(th.count, [&](OpBuilder &b, Value mh) {
                 loopTo(tw.count, [&](OpBuilder &b, Value mw) {
                   // t < min(tco, cog - cob*tco)
                   AffineMap ub = AffineMap::get(
                       1, 0,
                       {b.getAffineConstantExpr(tco),
                        b.getAffineConstantExpr(cog) - d0 * tco},
                       ctx);
                   forRange(
                       b, map(0, {b.getAffineConstantExpr(0)}), {}, ub,
                       ValueRange{cob}, 1, [&](OpBuilder &b, Value t) {
                         // w[g*cig + ci, cob*tco + t, k0h + mh*Lh, k0w+mw*Lw]
                         Value v = loadScalar(b, w,
                             map(6, {d0 * cig + d2, d1 * tco + d5,
                                     d3 * th.kStride + th.kFirst,
                                     d4 * tw.kStride + tw.kFirst}),
                             ValueRange{g, cob, ci, mh, mw, t});
                         AffineExpr idx =
                             off + (d0 * numCoBlocks + d1) * (tco * cig * taps) +
                             (d3 * tw.count + d4) * (cig * tco) + d2 * tco +
                             d5;
                         storeScalar(b, v, packed, map(6, {idx}),
                             ValueRange{g, cob, ci, mh, mw, t});
                       });
                 });
               });
             });
           }
       });
}

/// Writes the scratch rows of all width classes, interleaved, into the
/// output rows oh = sy*(qh0 + r) + cy.
void KernelEmitter::emitInterleave(OpBuilder &b, Value co0, int64_t tc,
                                   int64_t cy, Value qh0, int64_t rr) {
  MLIRContext *ctx = op.getContext();
  int64_t sy = ax[0].classes, sx = ax[1].classes, wout = ax[1].out;
  auto vecType = VectorType::get({lanes}, elemType);
  AffineExpr d0 = getAffineDimExpr(0, ctx), d1 = getAffineDimExpr(1, ctx),
             d2 = getAffineDimExpr(2, ctx), d3 = getAffineDimExpr(3, ctx),
             d4 = getAffineDimExpr(4, ctx), d5 = getAffineDimExpr(5, ctx),
             d6 = getAffineDimExpr(6, ctx);
  auto upTo = [&](int64_t ub) { return map(0, {b.getAffineConstantExpr(ub)}); };
  AffineMap zero = upTo(0);
  forRange(b, zero, {}, upTo(tc), {}, 1, [&](OpBuilder &b, Value t) {
    forRange(b, zero, {}, upTo(rr), {}, 1, [&](OpBuilder &b, Value r) {
      // Output dims (n, g, co0, t, qh0, r, col).
      auto outMap = [&](AffineExpr col) {
        return map(7, {d0, d1 * cog + d2 + d3, (d4 + d5) * sy + cy, col});
      };
      if (sx == 2) {
        auto wideType = VectorType::get({2 * lanes}, elemType);
        int64_t full = wout / (2 * lanes), rest = wout % (2 * lanes);
        auto pair = [&](OpBuilder &b, Value u) {
          Value lo = loadVector(b, vecType, scratch,
              map(3, {b.getAffineConstantExpr(0), d0, d1, d2 * lanes}),
              ValueRange{t, r, u});
          Value hi = loadVector(b, vecType, scratch,
              map(3, {b.getAffineConstantExpr(1), d0, d1, d2 * lanes}),
              ValueRange{t, r, u});
          return vector::InterleaveOp::create(b, loc, wideType, lo, hi)
              .getResult();
        };
        forRange(b, zero, {}, upTo(full), {}, 1, [&](OpBuilder &b, Value u) {
          Value v = pair(b, u);
          storeOutput(b, v, outMap(d6 * (2 * lanes)),
                      ValueRange{n, g, co0, t, qh0, r, u});
        });
        if (rest) {
          Value u = cst(b, full);
          Value v = pair(b, u);
          SmallVector<Value> idx =
              indices(b, outMap(d6 * (2 * lanes)),
                      ValueRange{n, g, co0, t, qh0, r, u});
          Value mask = vector::ConstantMaskOp::create(
              b, loc, VectorType::get({2 * lanes}, b.getI1Type()),
              ArrayRef<int64_t>{rest});
          vector::MaskedStoreOp::create(b, loc, out, idx, mask, v);
        }
        return;
      }
      // General stride: element by element.
      for (int64_t cx = 0; cx < sx; ++cx) {
        int64_t q = ax[1].size[cx];
        forRange(b, zero, {}, upTo(q), {}, 1, [&](OpBuilder &b, Value qw) {
          Value v = loadScalar(b, scratch,
              map(3, {b.getAffineConstantExpr(cx), d0, d1, d2}),
              ValueRange{t, r, qw});
          storeScalar(b, v, out,
                                        outMap(d6 * sx + cx),
                                        ValueRange{n, g, co0, t, qh0, r, qw});
        });
      }
    });
  });
}
