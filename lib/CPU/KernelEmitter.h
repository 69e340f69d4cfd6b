//===- KernelEmitter.h - Emits the loops of a CPU kernel --------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Emits a KernelPlan as loops over buffers with explicit vector operations.
// The loops are affine (affine.for / affine.parallel, lowered with the rest);
// the memory accesses are plain memref/vector ops on affine.apply indices, so
// that affine analyses of the pipeline (scalar replacement) have nothing of
// the kernels to look at: their cost would grow with the kernels' size.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_LIB_CPU_KERNELEMITTER_H
#define FLOW_LIB_CPU_KERNELEMITTER_H

#include "KernelPlan.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"

namespace mlir::flow::cpu {

class KernelEmitter : public KernelPlan {
public:
  using KernelPlan::KernelPlan;

  /// Emits the loops before the op; returns the value replacing it.
  Value emit(OpBuilder &b);

private:
  // Loop helpers.
  void nest(OpBuilder &b, ArrayRef<OpFoldResult> ubs, bool par,
            function_ref<void(OpBuilder &, ValueRange)> body);
  void forRange(OpBuilder &b, AffineMap lb, ValueRange lbOps, AffineMap ub,
                ValueRange ubOps, int64_t step,
                function_ref<void(OpBuilder &, Value)> body);
  void ifEqual(OpBuilder &b, Value v, int64_t c,
               function_ref<void(OpBuilder &)> body);
  Value cst(OpBuilder &b, int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  AffineMap map(unsigned dims, ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(dims, 0, exprs, op.getContext());
  }
  // Memory accesses at the indices `m(ops)`.
  SmallVector<Value> indices(OpBuilder &b, AffineMap m, ValueRange ops);
  Value loadVector(OpBuilder &b, VectorType type, Value mem, AffineMap m,
                   ValueRange ops);
  Value loadVector(OpBuilder &b, VectorType type, Value mem, ValueRange idx);
  void storeVector(OpBuilder &b, Value v, Value mem, AffineMap m,
                   ValueRange ops);
  void storeVector(OpBuilder &b, Value v, Value mem, ValueRange idx);
  Value loadScalar(OpBuilder &b, Value mem, AffineMap m, ValueRange ops);
  void storeScalar(OpBuilder &b, Value v, Value mem, AffineMap m,
                   ValueRange ops);
  void storeScalar(OpBuilder &b, Value v, Value mem, ValueRange idx);
  // Pieces (buffers and packing: KernelBuffers.cpp).
  void makeTaskBuffers(OpBuilder &b);
  void emitPackInput(OpBuilder &b);
  void emitPack(OpBuilder &b);
  void emitMain(OpBuilder &b);
  void emitRowGroup(OpBuilder &b, Value co0, int64_t tc, int64_t cy,
                    Value qh0, int64_t rr);
  void emitTile(OpBuilder &b, Value co0, int64_t tc, int64_t cy, int64_t cx,
                Value qh0, int64_t rr, Value j0, int64_t nv, bool partial);
  void storeTile(OpBuilder &b, ArrayRef<Value> acc, Value co0, int64_t tc,
                 int64_t cy, int64_t cx, Value qh0, int64_t rr, Value j0,
                 int64_t nv, bool partial);
  void emitInterleave(OpBuilder &b, Value co0, int64_t tc, int64_t cy,
                      Value qh0, int64_t rr);
  void storeOutput(OpBuilder &b, Value v, AffineMap m, ValueRange ops);

  SmallVector<int64_t> packOffset; // per class cy*sx + cx

  // Emission state.
  Value x, w, bias, out, buffer, packed, scratch, batchValue;
  Value n, g, coTask, rowTask;
};

} // namespace mlir::flow::cpu

#endif // FLOW_LIB_CPU_KERNELEMITTER_H
