//===- CostModel.cpp - Plans a CPU kernel ---------------------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Turns a flow.conv_transpose2d into a KernelPlan: the stride classes of
// both spatial axes (Dialect/Flow/Utils), the buffer layout, and a register
// tile chosen by a throughput model of the vector unit (vector width and
// register count), then the parallel task decomposition.
//
//===----------------------------------------------------------------------===//

#include "KernelPlan.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace mlir::flow;
using namespace mlir::flow::cpu;

LogicalResult KernelPlan::plan() {
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
      ConvTransposeDim dim{kernel[i], p.stride[i], p.padding[i],
                           p.outputPadding[i], p.dilation[i]};
      a.classes = p.stride[i];
      for (int64_t c = 0; c < a.classes; ++c) {
        a.taps.push_back(phaseTaps(dim, c));
        a.size.push_back(phaseSize(dim, c, a.in));
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
  chooseTasks();
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

void KernelPlan::chooseTiling() {
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
}

/// Splits the output into parallel tasks: all channels of a group per task,
/// row blocks sized for the threads and for the task's input buffer in L2.
void KernelPlan::chooseTasks() {
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
  int64_t maxRows = ax[0].maxSize();
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
