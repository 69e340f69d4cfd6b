//===- PipelineStages.cpp - What the lowering pipelines share -------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "PipelineStages.h"

#include "flow/Conversion/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::flow;

void mlir::flow::addFlowToBuffersPasses(OpPassManager &pm,
                                        ConvTransposeStrategy strategy) {
  ConvertFlowToLinalgOptions toLinalg;
  toLinalg.strategy = strategy;
  pm.addPass(createConvertFlowToLinalg(toLinalg));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
}

void mlir::flow::addStandardToLLVMPasses(OpPassManager &pm) {
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
}
