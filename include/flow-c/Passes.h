/*===-- flow-c/Passes.h - C API for flow passes and pipelines -----*- C -*-===*\
|*                                                                            *|
|* Part of the flow-mlir project.                                             *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * Registration and creation of flow's passes, in the style of the upstream
 * pass C API (the per-pass functions are generated from the ODS pass
 * definitions by mlir-tblgen -gen-pass-capi-header):
 *
 *   mlirRegisterFlowPasses()                      flow-infer-shapes, ...
 *   mlirRegisterFlowConversionPasses()            convert-flow-to-linalg
 *   mlirRegisterFlowGenericPasses()               flow-memref-copy-to-linalg
 *   mlirCreateFlowFlowInferShapes()               one pass as an MlirPass
 *   mlirCreateFlowConversionConvertFlowToLinalg()
 *
 * and, written by hand, mlirRegisterFlowPassesAndPipelines() that registers
 * all of them plus the flow-lower-to-* pipelines, for use with
 * mlirParsePassPipeline / mlirOpPassManagerAddPipeline.
 */

#ifndef FLOW_C_PASSES_H
#define FLOW_C_PASSES_H

#include "mlir-c/Pass.h"

#include "flow-c/FlowConversionPasses.capi.h.inc"
#include "flow-c/FlowGenericPasses.capi.h.inc"
#include "flow-c/FlowPasses.capi.h.inc"

#ifdef __cplusplus
extern "C" {
#endif

/** Registers every flow pass and the flow-lower-to-* pass pipelines with
 *  the global registry. Idempotent: calling it again (or after the C++
 *  mlir::flow::registerFlowPassesAndPipelines()) does nothing. */
MLIR_CAPI_EXPORTED void mlirRegisterFlowPassesAndPipelines(void);

#ifdef __cplusplus
}
#endif

#endif /* FLOW_C_PASSES_H */
