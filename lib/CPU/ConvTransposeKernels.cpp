//===- ConvTransposeKernels.cpp - The CPU kernel pass ---------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// flow-cpu-conv-transpose-kernels: plans (CostModel.cpp) and emits
// (KernelEmitter.cpp) a kernel for every f32/f64 flow.conv_transpose2d it
// covers; the others are left for convert-flow-to-linalg.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

#include "flow/CPU/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"

namespace mlir::flow {
#define GEN_PASS_DEF_FLOWCPUCONVTRANSPOSEKERNELS
#include "flow/CPU/Passes.h.inc"
} // namespace mlir::flow

using namespace mlir;
using namespace mlir::flow;
using namespace mlir::flow::cpu;

std::pair<int64_t, int64_t> mlir::flow::hostVectorShape() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (features.lookup("avx512f"))
    return {512, 32};
  if (features.lookup("avx2") || features.lookup("avx"))
    return {256, 16};
  return {128, 16};
}

namespace {

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
      KernelEmitter emitter(c, o);
      if (failed(emitter.plan()))
        continue;
      OpBuilder b(c);
      Value result = emitter.emit(b);
      c.getResult().replaceAllUsesWith(result);
      c.erase();
    }
  }
};

} // namespace
