/*===-- flow-c/Dialect.h - C API for the flow dialect -------------*- C -*-===*\
|*                                                                            *|
|* Part of the flow-mlir project.                                             *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * The flow dialect for clients of MLIR's C API. The handle works with the
 * upstream registration functions:
 *
 *   MlirDialectHandle flow = mlirGetDialectHandle__flow__();
 *   mlirDialectHandleRegisterDialect(flow, ctx);   // or InsertDialect(registry)
 *
 * Note: IREE also has a dialect named `flow`; the two cannot be registered
 * in the same MLIRContext.
 */

#ifndef FLOW_C_DIALECT_H
#define FLOW_C_DIALECT_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Flow, flow);

#ifdef __cplusplus
}
#endif

#endif /* FLOW_C_DIALECT_H */
