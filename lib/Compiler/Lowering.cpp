//===- Lowering.cpp - Run the lowering pipeline of a module ---------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Compiler/Lowering.h"

#include "flow/Compiler/DiagnosticCollector.h"

#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace mlir::flow;

static llvm::Error makeError(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

llvm::Error
mlir::flow::lowerModule(ModuleOp module, llvm::StringRef pipeline,
                        llvm::function_ref<void(OpPassManager &)> buildDefault,
                        DiagnosticCollector &diags, llvm::StringRef bufferName,
                        llvm::raw_ostream *dumpIR) {
  PassManager pm(module.getContext());
  if (!pipeline.empty()) {
    std::string errorText;
    llvm::raw_string_ostream errorStream(errorText);
    if (failed(parsePassPipeline(pipeline, pm, errorStream)))
      return makeError("invalid --pipeline: " + errorText);
  } else {
    buildDefault(pm);
  }
  if (failed(pm.run(module)))
    return makeError(diags.take(bufferName.str() + ": lowering failed"));
  if (dumpIR)
    *dumpIR << module << "\n";
  return llvm::Error::success();
}
