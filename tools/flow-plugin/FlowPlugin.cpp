//===- FlowPlugin.cpp - The flow dialect as an mlir-opt plugin ------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// FlowPlugin.so lets the stock mlir-opt of LLVM 22 read and lower flow IR:
//
//   mlir-opt --load-dialect-plugin=FlowPlugin.so
//            --load-pass-plugin=FlowPlugin.so
//            --pass-pipeline='builtin.module(func.func(convert-flow-to-linalg))'
//
// (Plugin passes are reached through --pass-pipeline: mlir-opt creates its
// --<pass> flags before it loads plugins.)
//
// The plugin links libMLIR.so and libLLVM.so, like mlir-opt itself, so the
// dialect and passes live in the one MLIR that mlir-opt runs.
//
//===----------------------------------------------------------------------===//

#include "flow/Registration/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

using namespace mlir;

/// Entry point for --load-dialect-plugin: the flow dialect. Like upstream's
/// standalone plugin it registers the passes too, so that one flag suffices.
extern "C" LLVM_ATTRIBUTE_WEAK DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Flow", LLVM_VERSION_STRING,
          [](DialectRegistry *registry) {
            flow::registerFlowDialect(*registry);
            flow::registerFlowPassesAndPipelines();
          }};
}

/// Entry point for --load-pass-plugin: flow-infer-shapes,
/// convert-flow-to-linalg, ... and the flow-lower-to-* pipelines.
extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "FlowPasses", LLVM_VERSION_STRING,
          []() { flow::registerFlowPassesAndPipelines(); }};
}
