/*===- AotRuntime.h - Ahead-of-time kernel libraries: the C ABI ----*- C -*-===//
 *
 * Part of the flow-mlir project.
 *
 *===----------------------------------------------------------------------===//
 *
 * A library made by flow-compile holds the compiled entry functions of one
 * module, the code generated for them (a table of FlowAotEntry and the
 * functions below), and libFlowAOTRuntime (runtime/AOT/AotRuntime.cpp), which
 * does the work common to all entries: checking arguments, building memref
 * descriptors, calling the compiled code, handing results out, and turning
 * the CUDA runtime's errors into return codes. Nothing in it needs LLVM.
 *
 * flow-compile copies this file into every generated wrapper, so it is plain
 * C and declares everything the wrapper uses.
 *
 * Calling convention (every library, for loaders; the generated header adds
 * typed, prefixed functions with the same behaviour):
 *
 *   const char *flow_aot_manifest(void);
 *       The library's description (see runtime/AOT/Manifest.cpp for its text
 *       format): target, entries, their argument and result types.
 *   int flow_aot_call(int entry, const void *const *args,
 *                     const int64_t *const *arg_shapes, void **results,
 *                     int64_t *const *result_shapes);
 *       Calls entry number `entry` (manifest order). args[i] points to the
 *       dense, row-major data of argument i (read only; may be null when it
 *       has no elements) and arg_shapes[i] to its dims. On success returns 0,
 *       stores in results[i] a buffer with result i (dense, row-major,
 *       64-byte aligned unless empty; null when it has no elements) that the
 *       caller releases with flow_aot_free, and writes its dims to
 *       result_shapes[i]. On failure returns non-zero, allocates nothing and
 *       flow_aot_last_error() says why.
 *   void flow_aot_free(void *result);
 *   const char *flow_aot_last_error(void);   (this thread's last failure)
 *   int flow_aot_device_check(void);
 *       0 when the target can run here (CPU: always); otherwise non-zero and
 *       flow_aot_last_error() says "no CUDA driver (...)" or "no CUDA
 *       device (...)".
 *   void flow_aot_timing_begin(void); double flow_aot_timing_end(void);
 *       CUDA: the summed duration in ms of the kernels launched in between
 *       (CUDA events). CPU: -1.
 *
 *===----------------------------------------------------------------------===*/

#ifndef FLOW_RUNTIME_AOTRUNTIME_H
#define FLOW_RUNTIME_AOTRUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever FlowAotEntry or FlowAotLibrary change. */
#define FLOW_AOT_ABI_VERSION 1

/* Element types (the manifest spells them f16, bf16, f32, f64). */
#define FLOW_AOT_F16 0
#define FLOW_AOT_BF16 1
#define FLOW_AOT_F32 2
#define FLOW_AOT_F64 3

/* Status codes. */
#define FLOW_AOT_OK 0
#define FLOW_AOT_ERROR 1

/* Calls the compiled entry through its C interface (_mlir_ciface_NAME):
 * `results` is the struct of result memref descriptors (unused without
 * results), `args` the argument descriptors. */
typedef void (*FlowAotInvoke)(void *results, void **args);

typedef struct FlowAotEntry {
  const char *name;
  int32_t numArgs;
  const int32_t *argRanks;
  const int32_t *argTypes;
  /* All arguments' dims, concatenated; -1 for a dynamic dim. */
  const int64_t *argDims;
  int32_t numResults;
  const int32_t *resultRanks;
  const int32_t *resultTypes;
  const int64_t *resultDims;
  FlowAotInvoke invoke;
} FlowAotEntry;

/* libflow_cuda_runtime's API (flow/Runtime/CudaRuntime.h), linked into CUDA
 * libraries; all null for the CPU. */
typedef struct FlowAotCudaHooks {
  int (*probe)(char *message, size_t size);
  int (*takeError)(char *message, size_t size);
  void (*timingBegin)(void);
  double (*timingEnd)(void);
} FlowAotCudaHooks;

typedef struct FlowAotLibrary {
  int32_t abiVersion;
  const char *manifest;
  int32_t numEntries;
  const FlowAotEntry *entries;
  FlowAotCudaHooks cuda;
  /* What the compiled module's global constructors and destructors did
   * (CUDA: load and unload the GPU modules), or null. flow-compile takes
   * them out of .init_array so that loading the library does no driver work
   * (and cannot run before the static initialisers of the runtimes it
   * calls): the runtime calls initModules before the first call (for CUDA,
   * once a device is usable) and finiModules when the library is unloaded. */
  void (*initModules)(void);
  void (*finiModules)(void);
} FlowAotLibrary;

/* libFlowAOTRuntime (hidden inside each library). */
int flowAotRuntimeCall(const FlowAotLibrary *library, int entry,
                       const void *const *args,
                       const int64_t *const *argShapes, void **results,
                       int64_t *const *resultShapes);
void flowAotRuntimeFree(void *result);
const char *flowAotRuntimeLastError(void);
int flowAotRuntimeDeviceCheck(const FlowAotLibrary *library);
void flowAotRuntimeTimingBegin(const FlowAotLibrary *library);
void flowAotRuntimeUnload(const FlowAotLibrary *library);
double flowAotRuntimeTimingEnd(const FlowAotLibrary *library);

#ifdef __cplusplus
}
#endif

#endif /* FLOW_RUNTIME_AOTRUNTIME_H */
