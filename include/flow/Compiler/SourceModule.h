//===- SourceModule.h - Parse flow modules for compilation ------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// What the JIT and flow-compile do before they lower a module: the process's
// one-time initialisation, the registry of their contexts, and parsing the
// source text with its diagnostics collected.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_COMPILER_SOURCEMODULE_H
#define FLOW_COMPILER_SOURCEMODULE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

namespace mlir {
class DialectRegistry;
class MLIRContext;
namespace flow {
class DiagnosticCollector;

/// Initialises the native LLVM target (code generation, asm printer and
/// parser) and registers every upstream and flow pass and pipeline, so that
/// textual pipelines parse. Idempotent.
void initializeCompiler();

/// Every upstream dialect and extension, their LLVM IR translations and the
/// flow dialect: the registry of the contexts that compile flow modules.
const DialectRegistry &getCompilerRegistry();

/// Loads the dialects of `context` (made with getCompilerRegistry()), stops
/// it from printing ops in diagnostics, and parses `source` (named
/// `bufferName` in locations). The error has the diagnostics `diags` (of
/// `context`) collected, else "<bufferName>: cannot parse module".
llvm::Expected<OwningOpRef<ModuleOp>>
parseSourceModule(llvm::StringRef source, llvm::StringRef bufferName,
                  MLIRContext &context, DiagnosticCollector &diags);

} // namespace flow
} // namespace mlir

#endif // FLOW_COMPILER_SOURCEMODULE_H
