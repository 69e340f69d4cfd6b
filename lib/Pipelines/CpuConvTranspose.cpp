//===- CpuConvTranspose.cpp - Vectorised CPU kernels for conv_transpose2d -===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The fast CPU path of flow.conv_transpose2d: a direct convolution per
// stride phase (DESIGN.md §3), emitted as affine loops over buffers with
// explicit vector operations.
//
// Output pixel (oh, ow) = (sy*qh + cy, sx*qw + cx) belongs to class (cy, cx);
// each class is a correlation of the (once-padded) input with its own taps
// of the kernel. For one class, a register tile holds Tco output channels x
// R rows x Nv vectors of V consecutive qw (V = host vector lanes); the
// reduction loop over input channels is an affine.for whose iter_args are
// the Tco*R*Nv accumulators, and its body, per tap, loads R*Nv input vectors,
// broadcasts Tco weights and issues Tco*R*Nv vector FMAs. Accumulators start
// from the bias (fused; no separate bias pass over the output). Classes
// that share output rows (cx = 0..sx-1) are computed into a small stack
// scratch and interleaved into the NCHW output with vector.interleave, so the
// output is written once, contiguously.
//
// Around the micro-kernels:
//  - the weight is packed per class into [g][co/Tco][tap][ci][Tco] so that
//    the broadcasts walk memory contiguously (cheap: it is the weight's size);
//  - the input is copied into a zero-padded buffer only when some tap reads
//    outside it (D_unet-like shapes read the caller's array directly);
//  - the output tiles are independent: one affine.parallel over (batch,
//    group, channel block, row block) lowers to scf.parallel and OpenMP.
//    Small convolutions get plain affine.for loops (no fork/join).
//  - the loop order inside a task keeps the data reused in cache: when the
//    weight of a group is small, rows outside and channel blocks inside
//    (the input rows stay in L1/L2); when it is large, channel blocks outside.
//
// strategy=zero-insert uses the same generator on one stride-1 class over
// the zero-inserted input (all kernel taps; about stride^2 wasted multiplies).
//
//===----------------------------------------------------------------------===//

#include "flow/Pipelines/Passes.h"

#include "flow/Dialect/Flow/IR/FlowOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IntegerSet.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <array>
#include <functional>
#include <numeric>

namespace mlir::flow {
#define GEN_PASS_DEF_FLOWCPUCONVTRANSPOSEKERNELS
#define GEN_PASS_DEF_FLOWLOWERALLOCASCOPES
#include "flow/Pipelines/Passes.h.inc"
} // namespace mlir::flow

using namespace mlir;
using namespace mlir::flow;

std::pair<int64_t, int64_t> mlir::flow::hostVectorShape() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (features.lookup("avx512f"))
    return {512, 32};
  if (features.lookup("avx2") || features.lookup("avx"))
    return {256, 16};
  return {128, 16};
}

namespace {

/// What the kernel generator is asked for (the pass options, resolved
/// against the host).
struct CpuKernelOptions {
  ConvTransposeStrategy strategy = ConvTransposeStrategy::Phase;
  int64_t vectorBits = 0, vectorRegisters = 0;
  /// Convolutions with fewer FLOPs than this run on one thread (no
  /// affine.parallel), so that small shapes pay no fork/join.
  double parallelMinFlops = 4.0e6;
  bool parallel = true;
  /// Register tile {channels, rows, vectors}; zeros: the cost model's.
  std::array<int64_t, 3> tile = {0, 0, 0};
};

int64_t ceilDiv(int64_t a, int64_t b) { return llvm::divideCeilSigned(a, b); }

/// The kernel taps one class uses along one axis: tap m is kernel index
/// kFirst + m*kStride and reads buffer index q + base + m*step for output q
/// of the class (step <= 0).
struct Taps {
  int64_t kFirst = 0, kStride = 1, count = 0, base = 0, step = 0;
};

/// One spatial axis of the generated computation.
struct Axis {
  int64_t in = 0, out = 0;
  /// Output classes: output o = classes*q + c (the stride for phases, 1 for
  /// the zero-inserted form).
  int64_t classes = 1;
  SmallVector<Taps> taps;    // per class
  SmallVector<int64_t> size; // outputs per class
  /// Buffer geometry: input element i sits at low + i*ins; `extent` total.
  int64_t ins = 1, low = 0, high = 0, extent = 0;

  /// Lays out the buffer so that every read of a class with `reads[c]`
  /// consecutive outputs stays inside it, and rebases the taps on it.
  void layout(ArrayRef<int64_t> reads) {
    int64_t core = (in - 1) * ins + 1;
    int64_t lo = 0, hi = core - 1;
    for (int64_t c = 0; c < classes; ++c) {
      if (taps[c].count == 0 || reads[c] == 0)
        continue;
      lo = std::min(lo, taps[c].base + (taps[c].count - 1) * taps[c].step);
      hi = std::max(hi, reads[c] - 1 + taps[c].base);
    }
    low = -lo;
    high = hi - (core - 1);
    extent = low + core + high;
    for (Taps &t : taps)
      t.base += low;
  }
  int64_t maxSize() const {
    return *std::max_element(size.begin(), size.end());
  }
};

/// Phase taps of output class `c` (DESIGN.md §3; the same rule as the linalg
/// lowering): outputs o = s*q + c take kernel taps k = k0 + m*L with
/// k*d = c + p (mod s), reading input q + off0 - m*D.
Taps phaseTaps(int64_t kernel, int64_t s, int64_t p, int64_t d, int64_t c) {
  int64_t g = std::gcd(s, d);
  int64_t period = s / g;
  Taps t;
  int64_t limit = std::min(kernel, period);
  int64_t k0 = 0;
  while (k0 < limit && llvm::mod(k0 * d - c - p, s) != 0)
    ++k0;
  if (k0 == limit)
    return t;
  t.kFirst = k0;
  t.kStride = period;
  t.count = (kernel - 1 - k0) / period + 1;
  t.base = (c + p - k0 * d) / s; // exact
  t.step = -(d / g);
  return t;
}

/// Register tile and task decomposition.
struct Tiling {
  int64_t tco = 1, rows = 1, vecs = 1;
  /// Output channels (multiple of tco) and rows (multiple of `rows`) of one
  /// parallel task.
  int64_t coBlock = 1, rowBlock = 1;
  /// Channel blocks outside the rows inside a task (large weights).
  bool coOuter = false;
};

class KernelEmitter {
public:
  KernelEmitter(ConvTranspose2DOp op, const CpuKernelOptions &options,
                int64_t vectorBits, int64_t registers)
      : op(op), options(options), vectorBits(vectorBits),
        registers(registers) {}

  /// Checks that the op is supported and plans the computation.
  LogicalResult plan();
  /// Emits the loops before the op; returns the value replacing it.
  Value emit(OpBuilder &b);

private:
  void chooseTiling();
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
  // Pieces.
  void makeTaskBuffers(OpBuilder &b);
  void emitPackInput(OpBuilder &b);
  void emitPack(OpBuilder &b);
  void emitMain(OpBuilder &b);
  void emitRowGroup(OpBuilder &b, Value co0, int64_t tc, int64_t cy,
                    Value qh0, int64_t rr);
  void emitTile(OpBuilder &b, Value co0, int64_t tc, int64_t cy, int64_t cx,
                Value qh0, int64_t rr, Value j0, int64_t nv, bool partial);
  void emitInterleave(OpBuilder &b, Value co0, int64_t tc, int64_t cy,
                      Value qh0, int64_t rr);
  void storeOutput(OpBuilder &b, Value v, AffineMap m, ValueRange ops);

  ConvTranspose2DOp op;
  const CpuKernelOptions &options;
  int64_t vectorBits, registers;
  Location loc = UnknownLoc();

  // Problem.
  Type elemType;
  int64_t lanes = 8;
  int64_t batch = 0; // ShapedType::kDynamic when dynamic
  int64_t cin = 0, cout = 0, groups = 1, cig = 0, cog = 0, kh = 0, kw = 0;
  Axis ax[2];
  /// Buffer rows one task reads: outputs rows [RB*t, RB*t + RB) of any
  /// class read buffer rows RB*t + firstRow + [0, rowsIn).
  int64_t firstRow = 0, rowsIn = 0;
  bool parallel = true;
  Tiling tiling;
  // Derived.
  int64_t numCoBlocks = 0; // ceil(cog / tco)
  int64_t coTasks = 1, rowTasks = 1;
  int64_t scratchWidth = 0; // elements per scratch row (sx >= 2)
  bool streamOutput = false; // non-temporal output stores
  SmallVector<int64_t> packOffset; // per class cy*sx + cx

  // Emission state.
  Value x, w, bias, out, buffer, packed, scratch, batchValue;
  Value n, g, coTask, rowTask;
};

LogicalResult KernelEmitter::plan() {
  loc = op.getLoc();
  auto xType = op.getInput().getType();
  auto wType = op.getWeight().getType();
  elemType = xType.getElementType();
  if (!elemType.isF32() && !elemType.isF64())
    return failure();
  if (!wType.hasStaticShape() || ShapedType::isDynamic(xType.getDimSize(1)) ||
      ShapedType::isDynamic(xType.getDimSize(2)) ||
      ShapedType::isDynamic(xType.getDimSize(3)))
    return failure();
  batch = xType.getDimSize(0);
  if (batch == 0)
    return failure(); // the linalg lowering emits the bias-shaped empty result
  // A dynamic batch size must be a valid affine symbol.
  if (ShapedType::isDynamic(batch) &&
      !isa<func::FuncOp>(op->getParentOp()))
    return failure();
  lanes = std::max<int64_t>(1, vectorBits / elemType.getIntOrFloatBitWidth());

  ConvTranspose2dParams p = op.getParams();
  groups = p.groups;
  cin = wType.getDimSize(0);
  cog = wType.getDimSize(1);
  kh = wType.getDimSize(2);
  kw = wType.getDimSize(3);
  cig = cin / groups;
  cout = cog * groups;
  int64_t kernel[2] = {kh, kw};
  for (int i = 0; i < 2; ++i) {
    Axis &a = ax[i];
    a.in = xType.getDimSize(2 + i);
    std::optional<int64_t> o = convTransposeOutputSize(
        a.in, kernel[i], p.stride[i], p.padding[i], p.outputPadding[i],
        p.dilation[i]);
    if (!o || *o < 1)
      return failure();
    a.out = *o;
    // One class per stride phase is emitted below: leave huge strides to
    // the linalg lowering, which visits only the classes with taps (found
    // by fuzzing: stride 1e9 on a 1x1 input hung here).
    if (p.stride[i] > 64)
      return failure();
    if (options.strategy == ConvTransposeStrategy::Phase) {
      a.classes = p.stride[i];
      for (int64_t c = 0; c < a.classes; ++c) {
        a.taps.push_back(phaseTaps(kernel[i], p.stride[i], p.padding[i],
                                   p.dilation[i], c));
        a.size.push_back(
            std::max<int64_t>(0, llvm::divideCeilSigned(a.out - c, a.classes)));
      }
    } else {
      // Zero-inserted index j = o + p - k*d, input i at j = i*s.
      a.classes = 1;
      a.ins = p.stride[i];
      Taps t;
      t.count = kernel[i];
      t.base = p.padding[i];
      t.step = -p.dilation[i];
      a.taps.push_back(t);
      a.size.push_back(a.out);
    }
  }
  // Rows read per class: its outputs; columns: whole vectors.
  SmallVector<int64_t> rowReads(ax[0].size), colReads;
  for (int64_t s : ax[1].size)
    colReads.push_back(ceilDiv(s, lanes) * lanes);
  ax[0].layout(rowReads);
  ax[1].layout(colReads);
  double flops = 2.0 * (ShapedType::isDynamic(batch) ? 1 : batch) * cin *
                 cog * ax[0].in * ax[1].in * kh * kw;
  parallel = options.parallel &&
             (ShapedType::isDynamic(batch) || flops >= options.parallelMinFlops);
  chooseTiling();
  // Stream large outputs whose rows start on vector boundaries (the buffer
  // is 64-byte aligned).
  int64_t esize = elemType.getIntOrFloatBitWidth() / 8;
  double outBytes = double(ShapedType::isDynamic(batch) ? 1 : batch) * cout *
                    ax[0].out * ax[1].out * esize;
  streamOutput = (ShapedType::isDynamic(batch) || outBytes >= 4.0 * (1 << 20)) &&
                 ax[1].out % lanes == 0;
  // The task's input buffer lives on the (OpenMP worker's) stack.
  if (rowsIn * cig * ax[1].extent * (elemType.getIntOrFloatBitWidth() / 8) >
      1536 * 1024)
    return failure();
  return success();
}

void KernelEmitter::chooseTiling() {
  int64_t maxRows = ax[0].maxSize();
  SmallVector<int64_t> vpr;
  int64_t maxVpr = 1;
  for (int64_t s : ax[1].size) {
    vpr.push_back(ceilDiv(s, lanes));
    maxVpr = std::max(maxVpr, vpr.back());
  }
  // Throughput model of one reduction step of a tile (tc channels x rr rows
  // x nv vectors): tc*rr*nv FMAs on two pipes; tc broadcasts and rr*nv
  // vector loads at 1.5 per cycle; enough independent accumulators to cover
  // the FMA latency (12 with 16 registers, as the 6x16 AVX2 SGEMM kernel).
  // The IR loads the rr*nv input vectors first, so they stay in registers
  // with the accumulators (plus one broadcast); a tile that does not fit
  // spills. With one channel the input folds into the FMA.
  double chains = 0.75 * registers;
  auto fits = [&](int64_t tc, int64_t rr, int64_t nv) {
    int64_t acc = tc * rr * nv;
    return acc <= registers - 4 &&
           acc + (tc == 1 ? 0 : rr * nv) + 1 <= registers;
  };
  auto efficiency = [&](int64_t tc, int64_t rr, int64_t nv) {
    double acc = double(tc * rr * nv);
    double fmaCycles = acc / 2, loadCycles = (tc + rr * nv) / 1.5;
    return fmaCycles / std::max(fmaCycles, loadCycles) *
           std::min(1.0, acc / chains);
  };
  // Time per unit of work over the main tiles and the remainder tiles of
  // the channel, row and vector ranges (each class's own sizes).
  auto cost = [&](int64_t tco, int64_t r, int64_t nv) {
    double t = 0, work = 0;
    auto parts = [](int64_t total, int64_t tile) {
      SmallVector<std::pair<int64_t, int64_t>, 2> p; // (size, amount)
      if (total >= tile)
        p.push_back({tile, total - total % tile});
      if (total % tile)
        p.push_back({total % tile, total % tile});
      return p;
    };
    for (int64_t rows : ax[0].size)
      for (int64_t vecs : vpr)
        for (auto [tc, nc] : parts(cog, tco))
          for (auto [rr, nr] : parts(rows, r))
            for (auto [vv, nvv] : parts(vecs, nv)) {
              double w = double(nc) * nr * nvv;
              work += w;
              t += w / efficiency(tc, rr, vv);
            }
    return work > 0 ? t / work : 1.0;
  };
  double best = -1;
  for (int64_t tco = 1; tco <= std::min<int64_t>(cog, 16); ++tco)
    for (int64_t r = 1; r <= std::min<int64_t>(maxRows, 8); ++r)
      for (int64_t nv = 1; nv <= std::min<int64_t>(maxVpr, 8); ++nv) {
        if (!fits(tco, r, nv))
          continue;
        // Fewer loads per FMA break ties.
        double score = 1.0 / cost(tco, r, nv) *
                       (1 - 0.05 * double(tco + r * nv) / (tco * r * nv));
        if (score > best + 1e-9) {
          best = score;
          tiling.tco = tco;
          tiling.rows = r;
          tiling.vecs = nv;
        }
      }
  if (options.tile[0] > 0) {
    tiling.tco = std::min(options.tile[0], cog);
    tiling.rows = std::min(options.tile[1], maxRows);
    tiling.vecs = std::min(options.tile[2], maxVpr);
  }
  numCoBlocks = ceilDiv(cog, tiling.tco);

  // Task decomposition. Weight bytes per output channel (all classes).
  int64_t esize = elemType.getIntOrFloatBitWidth() / 8;
  int64_t perCo = cig * kh * kw * esize;
  int64_t coPadded = numCoBlocks * tiling.tco;
  // Each task covers all channels of its group. Small weights: channel
  // blocks inside the row groups (the input rows stay in L1); large ones:
  // channel blocks outside (a block's weights stay in L1/L2 over the rows).
  tiling.coOuter = perCo * cog > 256 * 1024;
  tiling.coBlock = coPadded;
  coTasks = 1; // every task covers all channels of its group
  // Rows of the buffer that one row of output (of any class) reads.
  int64_t lo = 0, hi = 0;
  bool any = false;
  for (int64_t c = 0; c < ax[0].classes; ++c) {
    const Taps &t = ax[0].taps[c];
    if (t.count == 0 || ax[0].size[c] == 0)
      continue;
    lo = any ? std::min(lo, t.base + (t.count - 1) * t.step)
             : t.base + (t.count - 1) * t.step;
    hi = any ? std::max(hi, t.base) : t.base;
    any = true;
  }
  firstRow = lo;
  int64_t halo = any ? hi - lo : 0;
  // Row blocks: enough tasks for the threads (16 or more in all), and the
  // task's input buffer within half of a 512 KiB L2.
  int64_t esize2 = elemType.getIntOrFloatBitWidth() / 8;
  int64_t rowBytes = cig * ax[1].extent * esize2;
  int64_t rowGroups = ceilDiv(maxRows, tiling.rows);
  int64_t others = (ShapedType::isDynamic(batch) ? 1 : batch) * groups;
  int64_t groupsPerTask = rowGroups;
  if (others < 16)
    groupsPerTask = ceilDiv(rowGroups, std::min(rowGroups, ceilDiv(16, others)));
  while (groupsPerTask > 1 &&
         (groupsPerTask * tiling.rows + halo) * rowBytes > 256 * 1024)
    groupsPerTask = ceilDiv(groupsPerTask, 2);
  tiling.rowBlock = tiling.rows * groupsPerTask;
  rowTasks = ceilDiv(maxRows, tiling.rowBlock);
  rowsIn = any ? tiling.rowBlock + halo : 0;
  scratchWidth =
      ceilDiv(ax[1].out, ax[1].classes * lanes) * lanes;
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
                     affine::AffineVectorStoreOp::create(
                         b, loc, zeroVec, buffer, ValueRange{lr, ci, c});
                   });
        range(b, c0 + full, c1, [&](OpBuilder &b, Value c) {
          affine::AffineStoreOp::create(b, loc, zero, buffer,
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
                     Value v = affine::AffineVectorLoadOp::create(
                         b, loc, vecType, x, src,
                         ValueRange{n, g, ci, rowTask, lr, iw});
                     affine::AffineVectorStoreOp::create(
                         b, loc, v, buffer, dst, ValueRange{lr, ci, iw});
                   });
        range(b, full, wd.in, [&](OpBuilder &b, Value iw) {
          Value v = affine::AffineLoadOp::create(
              b, loc, x, src, ValueRange{n, g, ci, rowTask, lr, iw});
          affine::AffineStoreOp::create(b, loc, v, buffer, dst,
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
                         Value v = affine::AffineLoadOp::create(
                             b, loc, w,
                             map(6, {d0 * cig + d2, d1 * tco + d5,
                                     d3 * th.kStride + th.kFirst,
                                     d4 * tw.kStride + tw.kFirst}),
                             ValueRange{g, cob, ci, mh, mw, t});
                         AffineExpr idx =
                             off + (d0 * numCoBlocks + d1) * (tco * cig * taps) +
                             (d3 * tw.count + d4) * (cig * tco) + d2 * tco +
                             d5;
                         affine::AffineStoreOp::create(
                             b, loc, v, packed, map(6, {idx}),
                             ValueRange{g, cob, ci, mh, mw, t});
                       });
                 });
               });
             });
           }
       });
}

/// One register tile: `tc` channels from co0, `rr` rows from qh0 of class
/// (cy, cx), `nv` vectors from vector j0 of the row.
void KernelEmitter::emitTile(OpBuilder &b, Value co0, int64_t tc, int64_t cy,
                             int64_t cx, Value qh0, int64_t rr, Value j0,
                             int64_t nv, bool partial) {
  MLIRContext *ctx = op.getContext();
  auto vecType = VectorType::get({lanes}, elemType);
  const Taps &th = ax[0].taps[cy], &tw = ax[1].taps[cx];
  int64_t tco = tiling.tco;
  AffineExpr d0 = getAffineDimExpr(0, ctx), d1 = getAffineDimExpr(1, ctx),
             d2 = getAffineDimExpr(2, ctx), d3 = getAffineDimExpr(3, ctx),
             d4 = getAffineDimExpr(4, ctx);

  // Accumulators start from the bias.
  SmallVector<Value> init;
  for (int64_t t = 0; t < tc; ++t) {
    Value v;
    if (bias)
      v = vector::BroadcastOp::create(
          b, loc, vecType,
          affine::AffineLoadOp::create(b, loc, bias,
                                       map(2, {d0 * cog + d1 + t}),
                                       ValueRange{g, co0}));
    else
      v = arith::ConstantOp::create(
          b, loc, vecType,
          DenseElementsAttr::get(vecType, b.getFloatAttr(elemType, 0.0)));
    for (int64_t i = 0; i < rr * nv; ++i)
      init.push_back(v);
  }
  // One reduction loop over the input channels per tap, in sequence: each
  // input vector is used by one tap only, so nothing is kept live across
  // taps (LLVM would otherwise merge the loads that neighbouring taps share
  // and spill them).
  SmallVector<Value> acc = init;
  int64_t taps = th.count * tw.count;
  int64_t off = packOffset[cy * ax[1].classes + cx];
  for (int64_t mh = 0; mh < th.count; ++mh)
    for (int64_t mw = 0; mw < tw.count; ++mw) {
      auto loop = affine::AffineForOp::create(
          b, loc, 0, cig, 1, acc,
          [&](OpBuilder &b, Location, Value ci, ValueRange iter) {
            SmallVector<Value> a(iter.begin(), iter.end());
            SmallVector<Value> xs;
            for (int64_t r = 0; r < rr; ++r)
              for (int64_t v = 0; v < nv; ++v)
                // buffer[qh0 + r + tap row - rowTask*RB - firstRow, ci,
                //        j0*V + v*V + tap col]; dims (rowTask, ci, qh0, j0)
                xs.push_back(affine::AffineVectorLoadOp::create(
                    b, loc, vecType, buffer,
                    map(4, {d2 - d0 * tiling.rowBlock +
                                (r + th.base + mh * th.step - firstRow),
                            d1,
                            d3 * lanes +
                                (v * lanes + tw.base + mw * tw.step)}),
                    ValueRange{rowTask, ci, qh0, j0}));
            for (int64_t t = 0; t < tc; ++t) {
              // packed[off + (g*NCB*tco + co0)*taps*cig + tap*cig*tco +
              //        ci*tco + t]; dims (g, co0, ci)
              AffineExpr idx =
                  off + (d0 * (numCoBlocks * tco) + d1) * (taps * cig) +
                  (mh * tw.count + mw) * (cig * tco) + d2 * tco + t;
              Value s = affine::AffineLoadOp::create(
                  b, loc, packed, map(3, {idx}), ValueRange{g, co0, ci});
              Value bc = vector::BroadcastOp::create(b, loc, vecType, s);
              for (int64_t i = 0; i < rr * nv; ++i) {
                Value &slot = a[t * rr * nv + i];
                slot = vector::FMAOp::create(b, loc, vecType, bc, xs[i], slot);
              }
            }
            affine::AffineYieldOp::create(b, loc, a);
          });
      acc.assign(loop.getResults().begin(), loop.getResults().end());
    }

  // Stores.
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
            SmallVector<Value> idx;
            for (AffineExpr e : m.getResults())
              idx.push_back(affine::AffineApplyOp::create(
                  b, loc, map(5, {e}), ops));
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
        affine::AffineVectorStoreOp::create(
            b, loc, val, scratch,
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
    affine::AffineVectorStoreOp::create(b, loc, v, out, m, ops);
    return;
  }
  SmallVector<Value> idx;
  for (AffineExpr e : m.getResults())
    idx.push_back(affine::AffineApplyOp::create(
        b, loc, AffineMap::get(m.getNumDims(), 0, e), ops));
  vector::StoreOp::create(b, loc, v, out, idx, /*nontemporal=*/true,
                          llvm::MaybeAlign(lanes * elemType.getIntOrFloatBitWidth() / 8));
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
          Value lo = affine::AffineVectorLoadOp::create(
              b, loc, vecType, scratch,
              map(3, {b.getAffineConstantExpr(0), d0, d1, d2 * lanes}),
              ValueRange{t, r, u});
          Value hi = affine::AffineVectorLoadOp::create(
              b, loc, vecType, scratch,
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
          SmallVector<Value> idx;
          AffineMap m = outMap(d6 * (2 * lanes));
          for (AffineExpr e : m.getResults())
            idx.push_back(affine::AffineApplyOp::create(
                b, loc, map(7, {e}), ValueRange{n, g, co0, t, qh0, r, u}));
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
          Value v = affine::AffineLoadOp::create(
              b, loc, scratch,
              map(3, {b.getAffineConstantExpr(cx), d0, d1, d2}),
              ValueRange{t, r, qw});
          affine::AffineStoreOp::create(b, loc, v, out,
                                        outMap(d6 * sx + cx),
                                        ValueRange{n, g, co0, t, qh0, r, qw});
        });
      }
    });
  });
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

struct CpuConvTransposeKernelsPass
    : public flow::impl::FlowCpuConvTransposeKernelsBase<
          CpuConvTransposeKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    CpuKernelOptions o;
    o.strategy = strategy;
    auto [bits, regs] = hostVectorShape();
    o.vectorBits = vectorBits ? int64_t(vectorBits) : bits;
    o.vectorRegisters = vectorRegisters ? int64_t(vectorRegisters)
                        : vectorBits    ? (vectorBits >= 512 ? 32 : 16)
                                        : regs;
    o.parallelMinFlops = parallelMinFlops;
    o.parallel = parallel;
    if (tile.size() == 3)
      o.tile = {tile[0], tile[1], tile[2]};
    SmallVector<ConvTranspose2DOp> ops;
    getOperation().walk([&](ConvTranspose2DOp c) { ops.push_back(c); });
    for (ConvTranspose2DOp c : ops) {
      KernelEmitter emitter(c, o, o.vectorBits, o.vectorRegisters);
      if (failed(emitter.plan()))
        continue;
      OpBuilder b(c);
      Value result = emitter.emit(b);
      c.getResult().replaceAllUsesWith(result);
      c.erase();
    }
  }
};

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
