//===- FlowDialect.cpp - Flow dialect -------------------------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Dialect/Flow/IR/FlowDialect.h"
#include "flow/Dialect/Flow/IR/FlowGradOps.h"
#include "flow/Dialect/Flow/IR/FlowOps.h"

using namespace mlir;
using namespace mlir::flow;

#include "flow/Dialect/Flow/IR/FlowDialect.cpp.inc"

void FlowDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "flow/Dialect/Flow/IR/FlowOps.cpp.inc"
      ,
#define GET_OP_LIST
#include "flow/Dialect/Flow/IR/FlowGradOps.cpp.inc"
      >();
}
