//===- Registration.cpp - Register flow dialects and passes ---------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Registration/Registration.h"

#include "flow/CPU/Passes.h"
#include "flow/Conversion/Passes.h"
#include "flow/Dialect/Flow/IR/FlowDialect.h"
#include "flow/Dialect/Flow/Transforms/Passes.h"
#include "flow/GPU/Passes.h"
#include "flow/Pipelines/Pipelines.h"
#include "flow/Transforms/Passes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void mlir::flow::registerFlowDialect(DialectRegistry &registry) {
  registry.insert<FlowDialect>();
}

void mlir::flow::registerFlowPassesAndPipelines() {
  static bool registered = [] {
    registerFlowPasses();
    registerFlowGenericPasses();
    registerFlowConversionPasses();
    registerFlowCPUPasses();
    registerFlowGPUPasses();
    registerFlowPipelines();
    return true;
  }();
  (void)registered;
}

void mlir::flow::registerFlowCompiler(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registerFlowDialect(registry);
  registerFlowPassesAndPipelines();
}
