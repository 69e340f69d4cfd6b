/*===-- flow-c/Jit.h - Compile and run flow modules from C --------*- C -*-===*\
|*                                                                            *|
|* Part of the flow-mlir project.                                             *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * A C interface to the JIT shared by flow-runner and the Python package
 * (mlir::flow::JitModule): parse a module, lower it with a target's
 * pipeline, JIT-compile it, and call an entry `func.func` whose arguments
 * and results are ranked tensors of f16, bf16, f32 or f64.
 *
 *   FlowJitModule m = flowJitCompile(src, mlirStringRefCreateFromCString("main"),
 *                                    mlirStringRefCreateFromCString("cpu"),
 *                                    printError, NULL);
 *   if (flowJitModuleIsNull(m)) ...;
 *   FlowJitResults r = flowJitRun(m, 3, inputs, printError, NULL);
 *   if (!flowJitResultsIsNull(r)) {
 *     FlowArray y = flowJitResultsGetResult(r, 0);   // owned by r
 *     ...
 *     flowJitResultsDestroy(r);
 *   }
 *   flowJitModuleDestroy(m);
 *
 * Errors never abort the process: a failing call returns a null handle and
 * passes its message (the located MLIR diagnostics, one per line) to the
 * `onError` callback when one is given. Each module owns its own
 * MLIRContext; a module is not safe to run from two threads at once.
 */

#ifndef FLOW_C_JIT_H
#define FLOW_C_JIT_H

#include "mlir-c/Support.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Element types an entry function exchanges with its caller. */
typedef enum FlowDType {
  FLOW_DTYPE_F16 = 0,
  FLOW_DTYPE_BF16 = 1,
  FLOW_DTYPE_F32 = 2,
  FLOW_DTYPE_F64 = 3,
} FlowDType;

/** A dense, row-major array: a non-owning view. For inputs the caller owns
 *  `shape` and `data` for the duration of the call; for results the
 *  FlowJitResults they came from owns them. */
typedef struct FlowArray {
  FlowDType dtype;
  intptr_t rank;
  const int64_t *shape;
  void *data;
} FlowArray;

#define DEFINE_C_API_STRUCT(name, storage)                                     \
  struct name {                                                                \
    storage *ptr;                                                              \
  };                                                                           \
  typedef struct name name

/** A compiled module (owns its MLIRContext and execution engine). */
DEFINE_C_API_STRUCT(FlowJitModule, void);
/** The results of one call. */
DEFINE_C_API_STRUCT(FlowJitResults, void);

#undef DEFINE_C_API_STRUCT

static inline bool flowJitModuleIsNull(FlowJitModule module) {
  return !module.ptr;
}
static inline bool flowJitResultsIsNull(FlowJitResults results) {
  return !results.ptr;
}

/** Bytes per element of `dtype` (0 for a value outside the enum). */
MLIR_CAPI_EXPORTED size_t flowDTypeGetSize(FlowDType dtype);

/** Parses `source` (MLIR text with flow, func, tensor... ops), lowers it with
 *  the pipeline of `target` ("cpu" or "cuda") and JIT-compiles it for calls
 *  of the function `entry`. Returns a null module on failure and reports why
 *  through `onError` (which may be NULL). */
MLIR_CAPI_EXPORTED FlowJitModule flowJitCompile(MlirStringRef source,
                                                MlirStringRef entry,
                                                MlirStringRef target,
                                                MlirStringCallback onError,
                                                void *userData);

/** Destroys a module; a null module is ignored. */
MLIR_CAPI_EXPORTED void flowJitModuleDestroy(FlowJitModule module);

/** The number of arguments and results of the entry (0 for a null module). */
MLIR_CAPI_EXPORTED intptr_t flowJitModuleGetNumInputs(FlowJitModule module);
MLIR_CAPI_EXPORTED intptr_t flowJitModuleGetNumResults(FlowJitModule module);

/** Prints the type of argument / result `pos` ("tensor<2x?xf32>") through
 *  `callback`; prints nothing for a null module or a position out of range. */
MLIR_CAPI_EXPORTED void flowJitModulePrintInputType(FlowJitModule module,
                                                    intptr_t pos,
                                                    MlirStringCallback callback,
                                                    void *userData);
MLIR_CAPI_EXPORTED void
flowJitModulePrintResultType(FlowJitModule module, intptr_t pos,
                             MlirStringCallback callback, void *userData);

/** Calls the entry with `numInputs` arrays (only read, copied in). Returns
 *  null results on failure (null module, wrong count, dtype or shape, a
 *  null pointer where data is needed) and reports why through `onError`.
 *  Each `data` must hold the elements of its `shape`; no data is read unless
 *  the count, dtypes and shapes all match the entry's signature. */
MLIR_CAPI_EXPORTED FlowJitResults flowJitRun(FlowJitModule module,
                                             intptr_t numInputs,
                                             const FlowArray *inputs,
                                             MlirStringCallback onError,
                                             void *userData);

/** The number of results (0 for null results). */
MLIR_CAPI_EXPORTED intptr_t flowJitResultsGetNumResults(FlowJitResults results);

/** Result `pos` as a view owned by `results`; a view with rank 0 and null
 *  data for null results or a position out of range. */
MLIR_CAPI_EXPORTED FlowArray flowJitResultsGetResult(FlowJitResults results,
                                                     intptr_t pos);

/** Destroys results; null results are ignored. */
MLIR_CAPI_EXPORTED void flowJitResultsDestroy(FlowJitResults results);

#ifdef __cplusplus
}
#endif

#endif /* FLOW_C_JIT_H */
