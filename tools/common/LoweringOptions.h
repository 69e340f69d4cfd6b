//===- LoweringOptions.h - Options of the compiling tools -------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The command-line options with which flow-runner and flow-compile choose
// how a module is lowered: --target, --strategy, --pipeline, --dump-ir.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_TOOLS_LOWERINGOPTIONS_H
#define FLOW_TOOLS_LOWERINGOPTIONS_H

#include "flow/Conversion/FlowToLinalg/FlowToLinalg.h"
#include "llvm/Support/CommandLine.h"

#include <string>

namespace mlir::flow::tools {

/// The options, registered in `category` when constructed (once, as a
/// static of the tool).
struct LoweringOptions {
  explicit LoweringOptions(llvm::cl::OptionCategory &category)
      : targetName("target", llvm::cl::desc("cpu (default) or cuda"),
                   llvm::cl::init("cpu"), llvm::cl::cat(category)),
        strategy(
            "strategy", llvm::cl::desc("conv_transpose2d lowering"),
            llvm::cl::init(ConvTransposeStrategy::Phase),
            llvm::cl::values(clEnumValN(ConvTransposeStrategy::Phase, "phase",
                                        "stride phases, no inserted zeros"),
                             clEnumValN(ConvTransposeStrategy::ZeroInsert,
                                        "zero-insert",
                                        "zero insertion + flipped kernel")),
            llvm::cl::cat(category)),
        pipeline("pipeline",
                 llvm::cl::desc("Textual pass pipeline replacing the default"),
                 llvm::cl::cat(category)),
        dumpIR("dump-ir", llvm::cl::desc("Print the lowered module to stderr"),
               llvm::cl::cat(category)) {}

  llvm::cl::opt<std::string> targetName;
  llvm::cl::opt<ConvTransposeStrategy> strategy;
  llvm::cl::opt<std::string> pipeline;
  llvm::cl::opt<bool> dumpIR;
};

} // namespace mlir::flow::tools

#endif // FLOW_TOOLS_LOWERINGOPTIONS_H
