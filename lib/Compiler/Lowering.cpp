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

/// The passes of `pipeline` for a pass manager on the module: the anchored
/// form "builtin.module(...)" (what mlir-opt's --pass-pipeline takes) gives
/// its contents, the bare form ("flow-lower-to-cpu", "func.func(cse),...") is
/// already that.
static llvm::StringRef moduleLevelPipeline(llvm::StringRef pipeline) {
  llvm::StringRef text = pipeline.trim();
  llvm::StringRef rest = text;
  if (!rest.consume_front("builtin.module"))
    return text;
  rest = rest.ltrim();
  if (!rest.consume_front("(") || !rest.consume_back(")"))
    return text;
  // The closing parenthesis must be the one of "builtin.module(".
  int depth = 0;
  for (char c : rest) {
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (depth < 0)
      return text;
  }
  return rest.trim();
}

llvm::Error
mlir::flow::lowerModule(ModuleOp module, llvm::StringRef pipeline,
                        llvm::function_ref<void(OpPassManager &)> buildDefault,
                        DiagnosticCollector &diags, llvm::StringRef bufferName,
                        llvm::raw_ostream *dumpIR, LoweringTimes *times) {
  PassManager pm(module.getContext());
  if (!pipeline.empty()) {
    std::string errorText;
    llvm::raw_string_ostream errorStream(errorText);
    if (failed(parsePassPipeline(moduleLevelPipeline(pipeline), pm,
                                 errorStream)))
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
