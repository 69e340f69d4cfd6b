//===- Lowering.cpp - Run the lowering pipeline of a module ---------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Compiler/Lowering.h"

#include "flow/Compiler/DiagnosticCollector.h"

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassRegistry.h"

#include <chrono>

using namespace mlir;
using namespace mlir::flow;

static llvm::Error makeError(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

namespace {
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start)
      .count();
}

/// Adds the time of the gpu-module-to-binary passes to `ms`.
class DeviceBinaryTimer : public PassInstrumentation {
public:
  explicit DeviceBinaryTimer(double &ms) : ms(ms) {}
  void runBeforePass(Pass *pass, Operation *) override {
    if (pass->getArgument() == "gpu-module-to-binary")
      start = Clock::now();
  }
  void runAfterPass(Pass *pass, Operation *) override {
    if (pass->getArgument() == "gpu-module-to-binary")
      ms += msSince(start);
  }
  void runAfterPassFailed(Pass *pass, Operation *op) override {
    runAfterPass(pass, op);
  }

private:
  double &ms;
  Clock::time_point start;
};
} // namespace

llvm::Error
mlir::flow::lowerModule(ModuleOp module, llvm::StringRef pipeline,
                        llvm::function_ref<void(OpPassManager &)> buildDefault,
                        DiagnosticCollector &diags, llvm::StringRef bufferName,
                        llvm::raw_ostream *dumpIR, LoweringTimes *times) {
  PassManager pm(module.getContext());
  if (!pipeline.empty()) {
    std::string errorText;
    llvm::raw_string_ostream errorStream(errorText);
    if (failed(parsePassPipeline(pipeline, pm, errorStream)))
      return makeError("invalid --pipeline: " + errorText);
  } else {
    buildDefault(pm);
  }
  if (times)
    pm.addInstrumentation(
        std::make_unique<DeviceBinaryTimer>(times->deviceBinaryMs));
  Clock::time_point start = Clock::now();
  LogicalResult result = pm.run(module);
  if (times)
    times->passesMs = msSince(start);
  if (failed(result))
    return makeError(diags.take(bufferName.str() + ": lowering failed"));
  if (dumpIR)
    *dumpIR << module << "\n";
  return llvm::Error::success();
}
