//===- flow-opt.cpp - mlir-opt with the flow dialect ----------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// A superset of mlir-opt: every upstream dialect, extension and pass, plus the
// flow dialect, its passes and the flow-lower-to-* pipelines.
//
//===----------------------------------------------------------------------===//

#include "flow/Registration/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::flow::registerFlowCompiler(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "flow-opt: the flow-mlir optimizer driver\n", registry));
}
