//===- Dialect.cpp - C API for the flow dialect ---------------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow-c/Dialect.h"

#include "flow/Dialect/Flow/IR/FlowDialect.h"
#include "mlir/CAPI/Registration.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Flow, flow, mlir::flow::FlowDialect)
