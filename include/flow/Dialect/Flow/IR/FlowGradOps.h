//===- FlowGradOps.h - Gradients of flow operations -------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_DIALECT_FLOW_IR_FLOWGRADOPS_H
#define FLOW_DIALECT_FLOW_IR_FLOWGRADOPS_H

#include "flow/Dialect/Flow/IR/FlowOps.h"

#define GET_OP_CLASSES
#include "flow/Dialect/Flow/IR/FlowGradOps.h.inc"

#endif // FLOW_DIALECT_FLOW_IR_FLOWGRADOPS_H
