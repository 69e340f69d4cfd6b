//===- CudaRuntime.cpp - The mgpu* host ABI over the CUDA driver API ------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Implements the host functions that MLIR 22's gpu-to-llvm and the gpu.binary
// translation call (mgpuModuleLoad, mgpuLaunchKernel, mgpuMemAlloc, ...) with
// the CUDA driver API. The driver is opened with dlopen("libcuda.so.1") the
// first time an entry needs it, so the library builds and loads on machines
// without a driver; there every entry fails with one clear message. The
// toolkit's cuda.h provides types and constants only: nothing here links
// against libcuda.
//
// Entry signatures follow the calls emitted by MLIR 22.1 (checked by lowering
// gpu modules with mlir-opt and translating them to LLVM IR):
//   ptr  mgpuModuleLoad(ptr data, i64 size)      (cubin / fatbin)
//   ptr  mgpuModuleLoadJIT(ptr ptx, i32 optLevel) (NUL-terminated PTX)
//   void mgpuLaunchKernel(ptr fn, i64 gx, gy, gz, bx, by, bz, i32 smem,
//                         ptr stream, ptr params, ptr extra, i64 nparams)
//   ptr  mgpuMemAlloc(i64 bytes, ptr stream, i8 hostShared)
//   ...
//
//===----------------------------------------------------------------------===//

#include "flow/Runtime/CudaRuntime.h"

#include <cuda.h>

#include <dlfcn.h>
#include <unistd.h>

#include <atomic>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#define FLOW_CUDA_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

//===----------------------------------------------------------------------===//
// The driver, opened at run time
//===----------------------------------------------------------------------===//

/// Driver entry points. The prototypes are spelled out (rather than taken
/// from cuda.h's declarations) because cuda.h maps several names to newer
/// versioned symbols that older drivers do not export.
struct Driver {
  CUresult (*Init)(unsigned);
  CUresult (*DriverGetVersion)(int *);
  CUresult (*DeviceGetCount)(int *);
  CUresult (*DeviceGet)(CUdevice *, int);
  CUresult (*DeviceGetName)(char *, int, CUdevice);
  CUresult (*DeviceGetAttribute)(int *, CUdevice_attribute, CUdevice);
  CUresult (*DevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*CtxPushCurrent)(CUcontext);
  CUresult (*CtxPopCurrent)(CUcontext *);
  CUresult (*ModuleLoadDataEx)(CUmodule *, const void *, unsigned,
                               CUjit_option *, void **);
  CUresult (*ModuleUnload)(CUmodule);
  CUresult (*ModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*LaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                           unsigned, unsigned, unsigned, CUstream, void **,
                           void **);
  CUresult (*StreamCreate)(CUstream *, unsigned);
  CUresult (*StreamDestroy)(CUstream);
  CUresult (*StreamSynchronize)(CUstream);
  CUresult (*StreamWaitEvent)(CUstream, CUevent, unsigned);
  CUresult (*EventCreate)(CUevent *, unsigned);
  CUresult (*EventDestroy)(CUevent);
  CUresult (*EventRecord)(CUevent, CUstream);
  CUresult (*EventSynchronize)(CUevent);
  CUresult (*EventElapsedTime)(float *, CUevent, CUevent);
  CUresult (*MemAlloc)(CUdeviceptr *, size_t);
  CUresult (*MemAllocManaged)(CUdeviceptr *, size_t, unsigned);
  CUresult (*MemFree)(CUdeviceptr);
  CUresult (*MemcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*MemsetD32Async)(CUdeviceptr, unsigned, size_t, CUstream);
  CUresult (*MemsetD16Async)(CUdeviceptr, unsigned short, size_t, CUstream);
  CUresult (*MemHostRegister)(void *, size_t, unsigned);
  CUresult (*MemHostUnregister)(void *);
  CUresult (*GetErrorName)(CUresult, const char **);
  CUresult (*GetErrorString)(CUresult, const char **);
  // Optional: newer drivers only.
  CUresult (*MemAllocAsync)(CUdeviceptr *, size_t, CUstream);
  CUresult (*MemFreeAsync)(CUdeviceptr, CUstream);
  CUresult (*DeviceGetDefaultMemPool)(CUmemoryPool *, CUdevice);
  CUresult (*MemPoolSetAttribute)(CUmemoryPool, CUmemPool_attribute, void *);
  CUresult (*LaunchKernelEx)(const CUlaunchConfig *, CUfunction, void **,
                             void **);
};

struct Symbol {
  const char *name;
  void **slot;
  bool required;
};

/// Everything the runtime knows about the driver and the selected device.
struct State {
  std::once_flag once;
  bool usable = false;
  /// Why the device is not usable ("no CUDA driver (...)", ...).
  std::string failure;
  void *library = nullptr;
  Driver driver = {};
  int ordinal = 0;
  CUdevice device = 0;
  CUcontext context = nullptr;
  int ccMajor = 0, ccMinor = 0;
  char name[256] = {0};
  /// Whether device buffers come from the stream-ordered allocator.
  bool asyncAlloc = false;
  /// Set once `initialize` ran (whatever its outcome).
  std::atomic<bool> done{false};
};

/// Never destroyed: entries may run from other libraries' exit-time code.
State &state() {
  static State *s = new State();
  return *s;
}

/// Device ordinal asked for by mgpuSetDefaultDevice (-1: none).
std::atomic<int> requestedDevice{-1};

std::string errorText(const Driver &driver, CUresult result) {
  const char *name = nullptr, *text = nullptr;
  if (driver.GetErrorName)
    driver.GetErrorName(result, &name);
  if (driver.GetErrorString)
    driver.GetErrorString(result, &text);
  std::string s = name ? name : "CUresult " + std::to_string(result);
  if (text)
    s += std::string(": ") + text;
  return s;
}

void initialize(State &s) {
  const char *libraryName = std::getenv("FLOW_CUDA_DRIVER");
  if (!libraryName || !*libraryName)
    libraryName = "libcuda.so.1";
  s.library = dlopen(libraryName, RTLD_NOW | RTLD_LOCAL);
  if (!s.library) {
    const char *why = dlerror();
    s.failure = std::string("no CUDA driver (cannot load ") + libraryName +
                (why ? std::string(": ") + why : std::string()) + ")";
    return;
  }
  Driver &d = s.driver;
  const Symbol symbols[] = {
      {"cuInit", (void **)&d.Init, true},
      {"cuDriverGetVersion", (void **)&d.DriverGetVersion, true},
      {"cuDeviceGetCount", (void **)&d.DeviceGetCount, true},
      {"cuDeviceGet", (void **)&d.DeviceGet, true},
      {"cuDeviceGetName", (void **)&d.DeviceGetName, true},
      {"cuDeviceGetAttribute", (void **)&d.DeviceGetAttribute, true},
      {"cuDevicePrimaryCtxRetain", (void **)&d.DevicePrimaryCtxRetain, true},
      {"cuCtxPushCurrent_v2", (void **)&d.CtxPushCurrent, true},
      {"cuCtxPopCurrent_v2", (void **)&d.CtxPopCurrent, true},
      {"cuModuleLoadDataEx", (void **)&d.ModuleLoadDataEx, true},
      {"cuModuleUnload", (void **)&d.ModuleUnload, true},
      {"cuModuleGetFunction", (void **)&d.ModuleGetFunction, true},
      {"cuLaunchKernel", (void **)&d.LaunchKernel, true},
      {"cuStreamCreate", (void **)&d.StreamCreate, true},
      {"cuStreamDestroy_v2", (void **)&d.StreamDestroy, true},
      {"cuStreamSynchronize", (void **)&d.StreamSynchronize, true},
      {"cuStreamWaitEvent", (void **)&d.StreamWaitEvent, true},
      {"cuEventCreate", (void **)&d.EventCreate, true},
      {"cuEventDestroy_v2", (void **)&d.EventDestroy, true},
      {"cuEventRecord", (void **)&d.EventRecord, true},
      {"cuEventSynchronize", (void **)&d.EventSynchronize, true},
      {"cuEventElapsedTime", (void **)&d.EventElapsedTime, true},
      {"cuMemAlloc_v2", (void **)&d.MemAlloc, true},
      {"cuMemAllocManaged", (void **)&d.MemAllocManaged, true},
      {"cuMemFree_v2", (void **)&d.MemFree, true},
      {"cuMemcpyAsync", (void **)&d.MemcpyAsync, true},
      {"cuMemsetD32Async", (void **)&d.MemsetD32Async, true},
      {"cuMemsetD16Async", (void **)&d.MemsetD16Async, true},
      {"cuMemHostRegister_v2", (void **)&d.MemHostRegister, true},
      {"cuMemHostUnregister", (void **)&d.MemHostUnregister, true},
      {"cuGetErrorName", (void **)&d.GetErrorName, true},
      {"cuGetErrorString", (void **)&d.GetErrorString, true},
      {"cuMemAllocAsync", (void **)&d.MemAllocAsync, false},
      {"cuMemFreeAsync", (void **)&d.MemFreeAsync, false},
      {"cuDeviceGetDefaultMemPool", (void **)&d.DeviceGetDefaultMemPool, false},
      {"cuMemPoolSetAttribute", (void **)&d.MemPoolSetAttribute, false},
      {"cuLaunchKernelEx", (void **)&d.LaunchKernelEx, false},
  };
  for (const Symbol &symbol : symbols) {
    *symbol.slot = dlsym(s.library, symbol.name);
    if (!*symbol.slot && symbol.required) {
      s.failure = std::string("no CUDA driver (") + libraryName + " has no " +
                  symbol.name + "; the driver is too old)";
      return;
    }
  }

  CUresult result = d.Init(0);
  if (result == CUDA_ERROR_STUB_LIBRARY) {
    s.failure = std::string("no CUDA driver (") + libraryName +
                " is the CUDA toolkit's stub library, not a driver)";
    return;
  }
  if (result == CUDA_ERROR_NO_DEVICE) {
    s.failure = "no CUDA device (the CUDA driver reports none)";
    return;
  }
  if (result != CUDA_SUCCESS) {
    s.failure = "no CUDA device (cuInit failed: " + errorText(d, result) + ")";
    return;
  }
  int count = 0;
  result = d.DeviceGetCount(&count);
  if (result != CUDA_SUCCESS || count == 0) {
    s.failure = "no CUDA device (the CUDA driver reports none)";
    return;
  }

  s.ordinal = 0;
  if (const char *env = std::getenv("FLOW_CUDA_DEVICE"); env && *env) {
    char *end = nullptr;
    long value = std::strtol(env, &end, 10);
    if (*end || value < 0) {
      s.failure = std::string("no CUDA device (FLOW_CUDA_DEVICE='") + env +
                  "' is not a device ordinal)";
      return;
    }
    s.ordinal = static_cast<int>(value);
  } else if (requestedDevice.load() >= 0) {
    s.ordinal = requestedDevice.load();
  }
  if (s.ordinal >= count) {
    s.failure = "no CUDA device with ordinal " + std::to_string(s.ordinal) +
                " (" + std::to_string(count) + " present)";
    return;
  }
  if ((result = d.DeviceGet(&s.device, s.ordinal)) ||
      (result = d.DeviceGetAttribute(
           &s.ccMajor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
           s.device)) ||
      (result = d.DeviceGetAttribute(
           &s.ccMinor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
           s.device)) ||
      (result = d.DeviceGetName(s.name, sizeof(s.name) - 1, s.device)) ||
      (result = d.DevicePrimaryCtxRetain(&s.context, s.device))) {
    s.failure = "no CUDA device (cannot open device " +
                std::to_string(s.ordinal) + ": " + errorText(d, result) + ")";
    return;
  }

  // Stream-ordered allocation makes the per-call buffers cheap; keep freed
  // memory in the pool instead of returning it to the driver at every sync.
  int pools = 0;
  d.DeviceGetAttribute(&pools, CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED,
                       s.device);
  const char *syncAlloc = std::getenv("FLOW_CUDA_SYNC_ALLOC");
  s.asyncAlloc = pools && d.MemAllocAsync && d.MemFreeAsync &&
                 !(syncAlloc && *syncAlloc && std::strcmp(syncAlloc, "0"));
  if (s.asyncAlloc && d.DeviceGetDefaultMemPool && d.MemPoolSetAttribute) {
    CUmemoryPool pool = nullptr;
    if (d.DeviceGetDefaultMemPool(&pool, s.device) == CUDA_SUCCESS) {
      cuuint64_t threshold = UINT64_MAX;
      d.MemPoolSetAttribute(pool, CU_MEMPOOL_ATTR_RELEASE_THRESHOLD,
                            &threshold);
    }
  }
  s.usable = true;
}

State &initialized() {
  State &s = state();
  std::call_once(s.once, [&] {
    initialize(s);
    s.done.store(true);
  });
  return s;
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

std::atomic<int> errorMode{FLOW_CUDA_ERRORS_EXIT};
std::mutex errorMutex;
std::string recordedError;
std::atomic<bool> hasError{false};
std::atomic<bool> exiting{false};

/// Reports `message` by the current policy: exit with one line, or record it
/// (the first one wins) and turn later entries into no-ops.
void fail(const std::string &message) {
  if (errorMode.load() == FLOW_CUDA_ERRORS_RECORD) {
    std::lock_guard<std::mutex> lock(errorMutex);
    if (!hasError.load()) {
      recordedError = message;
      hasError.store(true);
    }
    return;
  }
  if (exiting.exchange(true))
    return;
  std::fflush(stdout);
  std::fprintf(stderr, "flow_cuda_runtime: error: %s\n", message.c_str());
  std::fflush(stderr);
  // Skip exit-time destructors: they could call back into a failed driver.
  _exit(1);
}

/// True when entries may use the driver; reports why not otherwise.
bool ready() {
  if (hasError.load() || exiting.load())
    return false;
  State &s = initialized();
  if (!s.usable) {
    fail(s.failure);
    return false;
  }
  return true;
}

/// True when entries that release something (memory, streams, events,
/// modules) may use the driver: after a recorded error too, so that a
/// failed call leaks nothing; their own errors are then ignored (the first
/// error wins).
bool readyToRelease() {
  if (exiting.load())
    return false;
  return hasError.load() ? initialized().usable : ready();
}

/// Reports a failed driver call `what`; returns true on success.
bool check(CUresult result, const char *what) {
  if (result == CUDA_SUCCESS)
    return true;
  fail(std::string(what) + " failed: " + errorText(state().driver, result));
  return false;
}

/// Makes the device's primary context current for the scope.
class ScopedContext {
public:
  ScopedContext() {
    State &s = state();
    pushed = s.driver.CtxPushCurrent(s.context) == CUDA_SUCCESS;
  }
  ~ScopedContext() {
    if (pushed) {
      CUcontext previous = nullptr;
      state().driver.CtxPopCurrent(&previous);
    }
  }

private:
  bool pushed = false;
};

const Driver &driver() { return state().driver; }

//===----------------------------------------------------------------------===//
// Bookkeeping: stream-ordered allocations and kernel timing
//===----------------------------------------------------------------------===//

std::mutex allocationMutex;
std::unordered_set<CUdeviceptr> asyncAllocations;

std::mutex timingMutex;
bool timing = false;
std::vector<std::pair<CUevent, CUevent>> timedLaunches;

CUmodule loadModule(const void *data, int optLevel) {
  if (!ready() || !data)
    return nullptr;
  ScopedContext scope;
  State &s = state();
  char log[8192] = {0};
  CUjit_option options[3] = {CU_JIT_ERROR_LOG_BUFFER,
                             CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                             CU_JIT_OPTIMIZATION_LEVEL};
  void *values[3] = {log, reinterpret_cast<void *>(sizeof(log) - 1),
                     reinterpret_cast<void *>(
                         static_cast<intptr_t>(optLevel < 0 ? 4 : optLevel))};
  CUmodule module = nullptr;
  CUresult result = driver().ModuleLoadDataEx(
      &module, data, optLevel < 0 ? 2 : 3, options, values);
  if (result != CUDA_SUCCESS) {
    std::string message = "cannot load the GPU kernels on " +
                          std::string(s.name) + " (sm_" +
                          std::to_string(s.ccMajor * 10 + s.ccMinor) +
                          "): " + errorText(s.driver, result);
    if (result == CUDA_ERROR_NO_BINARY_FOR_GPU)
      message += "; compile for this device (flow-lower-to-cuda chip=sm_" +
                 std::to_string(s.ccMajor * 10 + s.ccMinor) + ")";
    if (result == CUDA_ERROR_UNSUPPORTED_PTX_VERSION)
      message += "; the driver is older than the PTX (lower the PTX version "
                 "with features=+ptxNN)";
    if (log[0])
      message += "; " + std::string(log);
    for (char &c : message)
      if (c == '\n')
        c = ' ';
    fail(message);
    return nullptr;
  }
  return module;
}

bool launchable(intptr_t gridX, intptr_t gridY, intptr_t gridZ, intptr_t blockX,
                intptr_t blockY, intptr_t blockZ) {
  if (gridX > INT32_MAX || gridY > 65535 || gridZ > 65535 || blockX > 1024 ||
      blockY > 1024 || blockZ > 64 || blockX * blockY * blockZ > 1024) {
    char text[256];
    std::snprintf(text, sizeof(text),
                  "cannot launch a kernel with grid (%" PRIdPTR ", %" PRIdPTR
                  ", %" PRIdPTR ") and block (%" PRIdPTR ", %" PRIdPTR
                  ", %" PRIdPTR "): beyond the CUDA limits",
                  gridX, gridY, gridZ, blockX, blockY, blockZ);
    fail(text);
    return false;
  }
  return true;
}

/// Records a timing event pair around a launch when timing is on; returns
/// the stop event to record after the launch (null when not timing).
CUevent beginTimedLaunch(CUstream stream) {
  std::lock_guard<std::mutex> lock(timingMutex);
  if (!timing)
    return nullptr;
  CUevent start = nullptr, stop = nullptr;
  if (!check(driver().EventCreate(&start, CU_EVENT_DEFAULT), "cuEventCreate") ||
      !check(driver().EventCreate(&stop, CU_EVENT_DEFAULT), "cuEventCreate") ||
      !check(driver().EventRecord(start, stream), "cuEventRecord"))
    return nullptr;
  timedLaunches.emplace_back(start, stop);
  return stop;
}

/// The start of a ranked memref descriptor passed by pointer; `rank` sizes
/// and `rank` strides (int64_t each) follow it.
struct MemRefDescriptorHead {
  char *allocated;
  char *aligned;
  int64_t offset;
};

void *memRefStart(int64_t rank, void *descriptor, int64_t elementSize,
                  uint64_t *bytes) {
  auto *desc = static_cast<MemRefDescriptorHead *>(descriptor);
  const int64_t *sizes = reinterpret_cast<const int64_t *>(desc + 1);
  const int64_t *strides = sizes + rank;
  uint64_t count = 1;
  for (int64_t i = rank - 1; i >= 0; --i) {
    if (sizes[i] != 1 && strides[i] != static_cast<int64_t>(count)) {
      fail("cannot register a memref with non-contiguous strides");
      return nullptr;
    }
    count *= sizes[i];
  }
  *bytes = count * elementSize;
  return desc->aligned + desc->offset * elementSize;
}

} // namespace

//===----------------------------------------------------------------------===//
// flow_cuda_runtime's own API (flow/Runtime/CudaRuntime.h)
//===----------------------------------------------------------------------===//

static void copyText(const std::string &text, char *buffer, size_t size) {
  if (!buffer || size == 0)
    return;
  size_t n = text.size() < size - 1 ? text.size() : size - 1;
  std::memcpy(buffer, text.data(), n);
  buffer[n] = 0;
}

FLOW_CUDA_EXPORT int flowCudaProbe(char *message, size_t size) {
  State &s = initialized();
  if (s.usable)
    return 0;
  copyText(s.failure, message, size);
  return 1;
}

FLOW_CUDA_EXPORT int flowCudaDeviceName(char *name, size_t size) {
  State &s = initialized();
  if (!s.usable)
    return 1;
  copyText(std::string(s.name) + " (sm_" +
               std::to_string(s.ccMajor * 10 + s.ccMinor) + ")",
           name, size);
  return 0;
}

FLOW_CUDA_EXPORT void flowCudaSetErrorMode(int mode) {
  errorMode.store(mode == FLOW_CUDA_ERRORS_RECORD ? FLOW_CUDA_ERRORS_RECORD
                                                  : FLOW_CUDA_ERRORS_EXIT);
}

FLOW_CUDA_EXPORT int flowCudaTakeError(char *message, size_t size) {
  std::lock_guard<std::mutex> lock(errorMutex);
  if (!hasError.load())
    return 0;
  copyText(recordedError, message, size);
  recordedError.clear();
  hasError.store(false);
  return 1;
}

FLOW_CUDA_EXPORT void flowCudaTimingBegin(void) {
  std::lock_guard<std::mutex> lock(timingMutex);
  timing = true;
}

FLOW_CUDA_EXPORT double flowCudaTimingEnd(void) {
  std::lock_guard<std::mutex> lock(timingMutex);
  timing = false;
  State &s = state();
  double total = 0;
  bool ok = true;
  if (!timedLaunches.empty() && s.usable) {
    ScopedContext scope;
    for (auto [start, stop] : timedLaunches) {
      float ms = 0;
      ok = ok && s.driver.EventSynchronize(stop) == CUDA_SUCCESS &&
           s.driver.EventElapsedTime(&ms, start, stop) == CUDA_SUCCESS;
      total += ms;
      s.driver.EventDestroy(start);
      s.driver.EventDestroy(stop);
    }
  }
  timedLaunches.clear();
  return ok ? total : -1.0;
}

//===----------------------------------------------------------------------===//
// The mgpu* ABI
//===----------------------------------------------------------------------===//

FLOW_CUDA_EXPORT CUmodule mgpuModuleLoad(void *data, size_t /*size*/) {
  return loadModule(data, /*optLevel=*/-1);
}

FLOW_CUDA_EXPORT CUmodule mgpuModuleLoadJIT(void *data, int optLevel) {
  return loadModule(data, optLevel);
}

FLOW_CUDA_EXPORT void mgpuModuleUnload(CUmodule module) {
  if (!module || !readyToRelease())
    return;
  ScopedContext scope;
  check(driver().ModuleUnload(module), "cuModuleUnload");
}

FLOW_CUDA_EXPORT CUfunction mgpuModuleGetFunction(CUmodule module,
                                                  const char *name) {
  if (!ready())
    return nullptr;
  if (!module) {
    fail(std::string("cannot find kernel ") + name +
         ": its GPU module was not loaded");
    return nullptr;
  }
  ScopedContext scope;
  CUfunction function = nullptr;
  if (!check(driver().ModuleGetFunction(&function, module, name),
             (std::string("cuModuleGetFunction(") + name + ")").c_str()))
    return nullptr;
  return function;
}

FLOW_CUDA_EXPORT void mgpuLaunchKernel(CUfunction function, intptr_t gridX,
                                       intptr_t gridY, intptr_t gridZ,
                                       intptr_t blockX, intptr_t blockY,
                                       intptr_t blockZ, int32_t smem,
                                       CUstream stream, void **params,
                                       void **extra, size_t /*paramsCount*/) {
  if (!ready())
    return;
  if (!function) {
    fail("cannot launch a kernel that was not found");
    return;
  }
  // An empty grid (e.g. a batch of 0) has nothing to do; CUDA would reject it.
  if (gridX <= 0 || gridY <= 0 || gridZ <= 0 || blockX <= 0 || blockY <= 0 ||
      blockZ <= 0)
    return;
  if (!launchable(gridX, gridY, gridZ, blockX, blockY, blockZ))
    return;
  ScopedContext scope;
  CUevent stop = beginTimedLaunch(stream);
  if (!check(driver().LaunchKernel(function, gridX, gridY, gridZ, blockX,
                                   blockY, blockZ, smem, stream, params, extra),
             "cuLaunchKernel"))
    return;
  if (stop)
    check(driver().EventRecord(stop, stream), "cuEventRecord");
}

FLOW_CUDA_EXPORT void
mgpuLaunchClusterKernel(CUfunction function, intptr_t clusterX,
                        intptr_t clusterY, intptr_t clusterZ, intptr_t gridX,
                        intptr_t gridY, intptr_t gridZ, intptr_t blockX,
                        intptr_t blockY, intptr_t blockZ, int32_t smem,
                        CUstream stream, void **params, void **extra) {
  if (!ready())
    return;
  if (!function) {
    fail("cannot launch a kernel that was not found");
    return;
  }
  if (gridX <= 0 || gridY <= 0 || gridZ <= 0 || blockX <= 0 || blockY <= 0 ||
      blockZ <= 0)
    return;
  if (!driver().LaunchKernelEx) {
    fail("cluster launches need cuLaunchKernelEx (CUDA 12 driver or newer)");
    return;
  }
  if (!launchable(gridX, gridY, gridZ, blockX, blockY, blockZ))
    return;
  ScopedContext scope;
  CUlaunchAttribute attribute = {};
  attribute.id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
  attribute.value.clusterDim.x = clusterX;
  attribute.value.clusterDim.y = clusterY;
  attribute.value.clusterDim.z = clusterZ;
  CUlaunchConfig config = {};
  config.gridDimX = gridX;
  config.gridDimY = gridY;
  config.gridDimZ = gridZ;
  config.blockDimX = blockX;
  config.blockDimY = blockY;
  config.blockDimZ = blockZ;
  config.sharedMemBytes = smem;
  config.hStream = stream;
  config.attrs = &attribute;
  config.numAttrs = 1;
  CUevent stop = beginTimedLaunch(stream);
  if (!check(driver().LaunchKernelEx(&config, function, params, extra),
             "cuLaunchKernelEx"))
    return;
  if (stop)
    check(driver().EventRecord(stop, stream), "cuEventRecord");
}

FLOW_CUDA_EXPORT CUstream mgpuStreamCreate() {
  if (!ready())
    return nullptr;
  ScopedContext scope;
  CUstream stream = nullptr;
  check(driver().StreamCreate(&stream, CU_STREAM_NON_BLOCKING),
        "cuStreamCreate");
  return stream;
}

FLOW_CUDA_EXPORT void mgpuStreamDestroy(CUstream stream) {
  if (!stream || !readyToRelease())
    return;
  ScopedContext scope;
  check(driver().StreamDestroy(stream), "cuStreamDestroy");
}

FLOW_CUDA_EXPORT void mgpuStreamSynchronize(CUstream stream) {
  if (!ready())
    return;
  ScopedContext scope;
  check(driver().StreamSynchronize(stream), "cuStreamSynchronize");
}

FLOW_CUDA_EXPORT void mgpuStreamWaitEvent(CUstream stream, CUevent event) {
  if (!event || !ready())
    return;
  ScopedContext scope;
  check(driver().StreamWaitEvent(stream, event, 0), "cuStreamWaitEvent");
}

FLOW_CUDA_EXPORT CUevent mgpuEventCreate() {
  if (!ready())
    return nullptr;
  ScopedContext scope;
  CUevent event = nullptr;
  check(driver().EventCreate(&event, CU_EVENT_DISABLE_TIMING), "cuEventCreate");
  return event;
}

FLOW_CUDA_EXPORT void mgpuEventDestroy(CUevent event) {
  if (!event || !readyToRelease())
    return;
  ScopedContext scope;
  check(driver().EventDestroy(event), "cuEventDestroy");
}

FLOW_CUDA_EXPORT void mgpuEventSynchronize(CUevent event) {
  if (!event || !ready())
    return;
  ScopedContext scope;
  check(driver().EventSynchronize(event), "cuEventSynchronize");
}

FLOW_CUDA_EXPORT void mgpuEventRecord(CUevent event, CUstream stream) {
  if (!event || !ready())
    return;
  ScopedContext scope;
  check(driver().EventRecord(event, stream), "cuEventRecord");
}

FLOW_CUDA_EXPORT void *mgpuMemAlloc(uint64_t sizeBytes, CUstream stream,
                                    bool isHostShared) {
  if (!ready() || sizeBytes == 0)
    return nullptr;
  ScopedContext scope;
  CUdeviceptr ptr = 0;
  CUresult result;
  bool async = !isHostShared && stream && state().asyncAlloc;
  if (isHostShared)
    result = driver().MemAllocManaged(&ptr, sizeBytes, CU_MEM_ATTACH_GLOBAL);
  else if (async)
    result = driver().MemAllocAsync(&ptr, sizeBytes, stream);
  else
    result = driver().MemAlloc(&ptr, sizeBytes);
  if (result != CUDA_SUCCESS) {
    fail("cannot allocate " + std::to_string(sizeBytes) +
         " bytes of GPU memory: " + errorText(driver(), result));
    return nullptr;
  }
  if (async) {
    std::lock_guard<std::mutex> lock(allocationMutex);
    asyncAllocations.insert(ptr);
  }
  return reinterpret_cast<void *>(ptr);
}

FLOW_CUDA_EXPORT void mgpuMemFree(void *ptr, CUstream stream) {
  if (!ptr || !readyToRelease())
    return;
  ScopedContext scope;
  auto devicePtr = reinterpret_cast<CUdeviceptr>(ptr);
  bool async;
  {
    std::lock_guard<std::mutex> lock(allocationMutex);
    async = asyncAllocations.erase(devicePtr) > 0;
  }
  if (async) {
    check(driver().MemFreeAsync(devicePtr, stream), "cuMemFreeAsync");
    return;
  }
  // Work queued on `stream` may still use the buffer.
  if (stream &&
      !check(driver().StreamSynchronize(stream), "cuStreamSynchronize"))
    return;
  check(driver().MemFree(devicePtr), "cuMemFree");
}

FLOW_CUDA_EXPORT void mgpuMemcpy(void *dst, void *src, size_t sizeBytes,
                                 CUstream stream) {
  if (sizeBytes == 0 || !ready())
    return;
  ScopedContext scope;
  check(driver().MemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                             reinterpret_cast<CUdeviceptr>(src), sizeBytes,
                             stream),
        "cuMemcpyAsync");
}

FLOW_CUDA_EXPORT void mgpuMemset32(void *dst, unsigned int value, size_t count,
                                   CUstream stream) {
  if (count == 0 || !ready())
    return;
  ScopedContext scope;
  check(driver().MemsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value,
                                count, stream),
        "cuMemsetD32Async");
}

FLOW_CUDA_EXPORT void mgpuMemset16(void *dst, unsigned short value,
                                   size_t count, CUstream stream) {
  if (count == 0 || !ready())
    return;
  ScopedContext scope;
  check(driver().MemsetD16Async(reinterpret_cast<CUdeviceptr>(dst), value,
                                count, stream),
        "cuMemsetD16Async");
}

FLOW_CUDA_EXPORT void mgpuMemHostRegister(void *ptr, uint64_t sizeBytes) {
  if (!ptr || sizeBytes == 0 || !ready())
    return;
  ScopedContext scope;
  check(driver().MemHostRegister(ptr, sizeBytes, 0), "cuMemHostRegister");
}

FLOW_CUDA_EXPORT void mgpuMemHostUnregister(void *ptr) {
  if (!ptr || !readyToRelease())
    return;
  ScopedContext scope;
  check(driver().MemHostUnregister(ptr), "cuMemHostUnregister");
}

FLOW_CUDA_EXPORT void mgpuMemHostRegisterMemRef(int64_t rank, void *descriptor,
                                                int64_t elementSizeBytes) {
  if (!ready())
    return;
  uint64_t bytes = 0;
  void *start = memRefStart(rank, descriptor, elementSizeBytes, &bytes);
  if (start)
    mgpuMemHostRegister(start, bytes);
}

FLOW_CUDA_EXPORT void mgpuMemHostUnregisterMemRef(int64_t rank,
                                                  void *descriptor,
                                                  int64_t elementSizeBytes) {
  if (!ready())
    return;
  uint64_t bytes = 0;
  void *start = memRefStart(rank, descriptor, elementSizeBytes, &bytes);
  if (start && bytes)
    mgpuMemHostUnregister(start);
}

FLOW_CUDA_EXPORT void mgpuSetDefaultDevice(int32_t device) {
  requestedDevice.store(device);
  State &s = state();
  // Once a device is in use it stays: say so rather than mix devices.
  if (s.done.load() && s.usable && s.ordinal != device)
    fail("mgpuSetDefaultDevice(" + std::to_string(device) + ") after device " +
         std::to_string(s.ordinal) + " was put in use");
}
