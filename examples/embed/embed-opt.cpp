//===- embed-opt.cpp - A downstream opt tool with the flow dialect --------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// What a compiler embedding flow-mlir does: register the flow dialect, its
// passes and pipelines and everything they need (one call) next to its own
// dialects and passes (here: canonicalize, cse, ...), then drive MLIR as
// usual. Both --flow-lower-to-cpu and --flow-lower-to-cuda run.
//
//===----------------------------------------------------------------------===//

#include "flow/Registration/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  mlir::DialectRegistry registry;
  mlir::flow::registerFlowCompiler(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "embed-opt: a downstream tool embedding flow-mlir\n",
      registry));
}
