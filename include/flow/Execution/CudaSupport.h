//===- CudaSupport.h - The JIT's side of libflow_cuda_runtime ---*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Finds and loads libflow_cuda_runtime for the JIT, asks it whether a CUDA
// device is usable, collects the errors it records while compiled code runs,
// and times kernels with CUDA events.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_EXECUTION_CUDASUPPORT_H
#define FLOW_EXECUTION_CUDASUPPORT_H

#include "llvm/Support/Error.h"
#include <string>

namespace mlir::flow::cuda {

/// Loads libflow_cuda_runtime (the FLOW_CUDA_RUNTIME environment variable,
/// else the library built with this JIT) and checks that a CUDA device is
/// usable; from then on the runtime records errors instead of exiting.
/// Returns the library's path, or an error "no CUDA driver (...)", "no CUDA
/// device (...)" or saying that this build has no CUDA back end.
llvm::Expected<std::string> loadRuntime();

/// The first error the runtime recorded since the last call, if any.
llvm::Error takeRuntimeError();

/// Starts timing the kernels launched from now on (CUDA events).
void beginKernelTiming();

/// Stops timing; returns the summed duration of the timed kernels in ms.
llvm::Expected<double> endKernelTiming();

} // namespace mlir::flow::cuda

#endif // FLOW_EXECUTION_CUDASUPPORT_H
