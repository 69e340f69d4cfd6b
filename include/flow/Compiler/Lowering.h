//===- Lowering.h - Run the lowering pipeline of a module -------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Lowers a parsed module for the JIT and flow-compile: with the textual
// pipeline the user gave (--pipeline) or else the target's default one.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_COMPILER_LOWERING_H
#define FLOW_COMPILER_LOWERING_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::flow {
class DiagnosticCollector;

/// Where the lowering's time went (milliseconds).
struct LoweringTimes {
  /// The whole pass pipeline.
  double passesMs = 0;
  /// Of which gpu-module-to-binary: device code generation, ptxas and
  /// fatbinary (CUDA).
  double deviceBinaryMs = 0;
};

/// Lowers `module` with `pipeline` (textual) when it is not empty, else with
/// the passes `buildDefault` adds. Fails with "invalid --pipeline: ..." or
/// with the diagnostics `diags` collected (else "<bufferName>: lowering
/// failed"). Prints the lowered module to `dumpIR` when it is set, and
/// fills `times` when it is set.
llvm::Error lowerModule(ModuleOp module, llvm::StringRef pipeline,
                        llvm::function_ref<void(OpPassManager &)> buildDefault,
                        DiagnosticCollector &diags, llvm::StringRef bufferName,
                        llvm::raw_ostream *dumpIR,
                        LoweringTimes *times = nullptr);

} // namespace mlir::flow

#endif // FLOW_COMPILER_LOWERING_H
