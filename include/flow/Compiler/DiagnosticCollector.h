//===- DiagnosticCollector.h - Diagnostics as error text --------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Collects the diagnostics of a context as "file:line:col: message" lines,
// for the llvm::Error of the JIT and of flow-compile (whose callers say
// "error:" once).
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_COMPILER_DIAGNOSTICCOLLECTOR_H
#define FLOW_COMPILER_DIAGNOSTICCOLLECTOR_H

#include "mlir/IR/Diagnostics.h"

#include <string>

namespace mlir::flow {

/// While alive, takes every diagnostic of a context: errors as
/// "file:line:col: message", other severities with their "warning: ",
/// "note: " or "remark: " prefix, one a line.
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(MLIRContext &context);

  /// The collected text, or `fallback` when nothing was reported; collecting
  /// starts again.
  std::string take(llvm::StringRef fallback);

private:
  std::string text;
  ScopedDiagnosticHandler handler;
};

} // namespace mlir::flow

#endif // FLOW_COMPILER_DIAGNOSTICCOLLECTOR_H
