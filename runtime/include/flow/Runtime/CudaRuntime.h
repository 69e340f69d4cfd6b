/*===- CudaRuntime.h - libflow_cuda_runtime's own C API ------------*- C
 *-*-===//
 *
 * Part of the flow-mlir project.
 *
 *===----------------------------------------------------------------------===//
 *
 * libflow_cuda_runtime implements the mgpu* host ABI that MLIR 22's
 * gpu-to-llvm emits (mgpuModuleLoad, mgpuLaunchKernel, mgpuMemAlloc, ...)
 * over the CUDA driver API, which it opens (libcuda.so.1) at run time. The
 * functions below are its own additions, for the programs that load it: a
 * probe that says whether a device is usable, the error policy, and kernel
 * timing with CUDA events.
 *
 * By default an mgpu* entry that cannot do its work prints one line
 * "flow_cuda_runtime: error: ..." on stderr and ends the process with exit
 * code 1 (never a crash). A JIT that wants to report errors itself switches
 * to FLOW_CUDA_ERRORS_RECORD: the first error is kept, every later entry does
 * nothing, and flowCudaTakeError() returns (and clears) it.
 *
 *===----------------------------------------------------------------------===*/

#ifndef FLOW_RUNTIME_CUDARUNTIME_H
#define FLOW_RUNTIME_CUDARUNTIME_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error policies of the mgpu* entries. */
#define FLOW_CUDA_ERRORS_EXIT 0
#define FLOW_CUDA_ERRORS_RECORD 1

/* Loads the driver and selects the device (FLOW_CUDA_DEVICE, default 0) once.
 * Returns 0 when a device is usable; otherwise copies a one-line reason
 * starting with "no CUDA driver" or "no CUDA device" (or naming the failing
 * driver call) into `message` (when non-null) and returns non-zero. Never
 * exits. */
int flowCudaProbe(char *message, size_t size);

/* Writes the name and compute capability of the selected device, e.g.
 * "NVIDIA H100 80GB HBM3 (sm_90)"; returns non-zero when none is usable. */
int flowCudaDeviceName(char *name, size_t size);

/* Selects FLOW_CUDA_ERRORS_EXIT (the default) or FLOW_CUDA_ERRORS_RECORD. */
void flowCudaSetErrorMode(int mode);

/* In FLOW_CUDA_ERRORS_RECORD mode: returns 0 when no error happened since the
 * last call; otherwise copies the first error into `message`, clears it and
 * returns non-zero. */
int flowCudaTakeError(char *message, size_t size);

/* Starts timing kernels: from now on every mgpuLaunchKernel records a pair of
 * CUDA events around the launch on its stream. */
void flowCudaTimingBegin(void);

/* Stops timing, waits for the timed kernels and returns the sum of their
 * durations in milliseconds (negative when timing failed). */
double flowCudaTimingEnd(void);

#ifdef __cplusplus
}
#endif

#endif /* FLOW_RUNTIME_CUDARUNTIME_H */
