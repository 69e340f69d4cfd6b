//===- CudaSupport.cpp - The JIT's side of libflow_cuda_runtime -----------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Execution/CudaSupport.h"

#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FileSystem.h"

#include <cstdlib>
#include <dlfcn.h>

using namespace mlir::flow;

namespace {

/// The entry points of flow/Runtime/CudaRuntime.h, looked up at run time so
/// that the JIT does not link the runtime.
struct RuntimeApi {
  std::string path;
  std::string failure;
  int (*probe)(char *, size_t) = nullptr;
  void (*setErrorMode)(int) = nullptr;
  int (*takeError)(char *, size_t) = nullptr;
  void (*timingBegin)() = nullptr;
  double (*timingEnd)() = nullptr;
};

llvm::Error makeError(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

RuntimeApi load() {
  RuntimeApi api;
  if (const char *env = std::getenv("FLOW_CUDA_RUNTIME"); env && *env) {
    api.path = env;
  } else {
#ifdef FLOW_CUDA_RUNTIME_PATH
    api.path = FLOW_CUDA_RUNTIME_PATH;
#else
    api.failure = "target 'cuda' is not available: this build has no CUDA "
                  "back end (no CUDA toolkit was found when it was "
                  "configured; set FLOW_CUDA_RUNTIME to a "
                  "libflow_cuda_runtime.so)";
    return api;
#endif
  }
  if (!llvm::sys::fs::exists(api.path)) {
    api.failure = "target 'cuda' is not available: the CUDA runtime library " +
                  api.path + " does not exist";
    return api;
  }
  // Never unloaded, not even by LLVM's dlclose of its libraries at exit:
  // the runtime's state lives as long as the process (entries may run from
  // exit-time code), and LeakSanitizer must still see it then.
  if (void *handle = ::dlopen(api.path.c_str(), RTLD_NOW | RTLD_NODELETE))
    ::dlclose(handle);
  std::string error;
  auto library =
      llvm::sys::DynamicLibrary::getPermanentLibrary(api.path.c_str(), &error);
  if (!library.isValid()) {
    api.failure =
        "cannot load the CUDA runtime library " + api.path + ": " + error;
    return api;
  }
  auto lookup = [&](const char *name, auto &slot) {
    slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(
        library.getAddressOfSymbol(name));
    if (!slot && api.failure.empty())
      api.failure = api.path + " has no " + name;
  };
  lookup("flowCudaProbe", api.probe);
  lookup("flowCudaSetErrorMode", api.setErrorMode);
  lookup("flowCudaTakeError", api.takeError);
  lookup("flowCudaTimingBegin", api.timingBegin);
  lookup("flowCudaTimingEnd", api.timingEnd);
  return api;
}

const RuntimeApi &runtime() {
  static RuntimeApi api = load();
  return api;
}

} // namespace

llvm::Expected<std::string> cuda::loadRuntime() {
  const RuntimeApi &api = runtime();
  if (!api.failure.empty())
    return makeError(api.failure);
  char message[1024] = {0};
  if (api.probe(message, sizeof(message)))
    return makeError(message);
  // Errors while compiled code runs come back through takeRuntimeError.
  api.setErrorMode(/*FLOW_CUDA_ERRORS_RECORD=*/1);
  return api.path;
}

llvm::Error cuda::takeRuntimeError() {
  const RuntimeApi &api = runtime();
  char message[2048] = {0};
  if (api.failure.empty() && api.takeError(message, sizeof(message)))
    return makeError(llvm::Twine("CUDA: ") + message);
  return llvm::Error::success();
}

void cuda::beginKernelTiming() {
  if (runtime().failure.empty())
    runtime().timingBegin();
}

llvm::Expected<double> cuda::endKernelTiming() {
  const RuntimeApi &api = runtime();
  if (!api.failure.empty())
    return makeError(api.failure);
  double ms = api.timingEnd();
  if (ms < 0)
    return makeError("CUDA: timing the kernels with CUDA events failed");
  return ms;
}
