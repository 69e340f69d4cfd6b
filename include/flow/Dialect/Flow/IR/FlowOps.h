//===- FlowOps.h - Flow operations ------------------------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_DIALECT_FLOW_IR_FLOWOPS_H
#define FLOW_DIALECT_FLOW_IR_FLOWOPS_H

#include "flow/Dialect/Flow/IR/ConvTransposeShape.h"
#include "flow/Dialect/Flow/IR/FlowDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "flow/Dialect/Flow/IR/FlowOps.h.inc"

#endif // FLOW_DIALECT_FLOW_IR_FLOWOPS_H
