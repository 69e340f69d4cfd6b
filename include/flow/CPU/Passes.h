//===- Passes.h - The CPU kernel generator ----------------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// flow-cpu-conv-transpose-kernels (declared in Passes.td): the vectorised,
// register-tiled, parallel CPU kernels of flow.conv_transpose2d.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_CPU_PASSES_H
#define FLOW_CPU_PASSES_H

#include "flow/Conversion/FlowToLinalg/FlowToLinalg.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

#include <cstdint>
#include <utility>

namespace mlir::flow {

#define GEN_PASS_DECL
#include "flow/CPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "flow/CPU/Passes.h.inc"

/// Returns {vector bits, vector registers} of the host CPU: {512, 32} with
/// AVX-512, {256, 16} with AVX/AVX2, else {128, 16}.
std::pair<int64_t, int64_t> hostVectorShape();

} // namespace mlir::flow

#endif // FLOW_CPU_PASSES_H
