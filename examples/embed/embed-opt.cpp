//===- embed-opt.cpp - A downstream opt tool with the flow dialect --------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// What a compiler embedding flow-mlir does: register the flow dialect next to
// its own (here: the upstream ones), and flow's passes and pipelines next to
// its own (here: canonicalize, cse, ...), then drive MLIR as usual.
//
//===----------------------------------------------------------------------===//

#include "flow/Registration/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  mlir::flow::registerFlowPassesAndPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::flow::registerFlowDialect(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "embed-opt: a downstream tool embedding flow-mlir\n",
      registry));
}
