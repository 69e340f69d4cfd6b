//===- Passes.cpp - C API for flow passes and pipelines -------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow-c/Passes.h"

#include "flow/Conversion/Passes.h"
#include "flow/Dialect/Flow/Transforms/Passes.h"
#include "flow/Transforms/Passes.h"
#include "flow/Registration/Registration.h"
#include "mlir/CAPI/Pass.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;
using namespace mlir::flow;

// The generated definitions; their extern "C" declarations are in the header.

#include "flow-c/FlowConversionPasses.capi.cpp.inc"
#include "flow-c/FlowGenericPasses.capi.cpp.inc"
#include "flow-c/FlowPasses.capi.cpp.inc"

void mlirRegisterFlowPassesAndPipelines(void) {
  registerFlowPassesAndPipelines();
}
