//===- SourceModule.cpp - Parse flow modules for compilation --------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Compiler/SourceModule.h"

#include "flow/Compiler/DiagnosticCollector.h"
#include "flow/Registration/Registration.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"

using namespace mlir;
using namespace mlir::flow;

void mlir::flow::initializeCompiler() {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
    registerAllPasses();
    registerFlowPassesAndPipelines();
    return true;
  }();
  (void)initialized;
}

const DialectRegistry &mlir::flow::getCompilerRegistry() {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry();
    registerFlowCompiler(*r);
    return r;
  }();
  return *registry;
}

llvm::Expected<OwningOpRef<ModuleOp>>
mlir::flow::parseSourceModule(llvm::StringRef source,
                              llvm::StringRef bufferName, MLIRContext &context,
                              DiagnosticCollector &diags) {
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(source, bufferName), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        diags.take(bufferName.str() + ": cannot parse module"));
  return std::move(module);
}
