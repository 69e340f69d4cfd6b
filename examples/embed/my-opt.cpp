//===- my-opt.cpp - The README's embedding example ------------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The smallest downstream opt tool, as README.md shows it (test/Embed checks
// that the two agree): one call registers flow and everything its pipelines
// need.
//
//===----------------------------------------------------------------------===//

#include "flow/Registration/Registration.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  // The flow dialect, its passes and flow-lower-to-cpu/-cuda, and all they
  // need: upstream dialects, extensions, LLVM/NVVM/GPU translations.
  mlir::flow::registerFlowCompiler(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "my-opt\n", registry));
}
