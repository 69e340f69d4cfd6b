/* A stand-in for libcuda.so.1 that lets the host side of the CUDA back end
 * run on a machine without a GPU: libflow_cuda_runtime loads it through
 * FLOW_CUDA_DRIVER. "Device" memory is host memory, so allocations and
 * copies really happen; kernels do not run (their binary is for the GPU):
 * a launch only logs its name and grid. Every call is logged, one line each,
 * to $MOCK_CUDA_LOG (stderr when unset), and an exit-time summary checks that
 * everything allocated or created was released.
 *
 * MOCK_CUDA_FAIL=<function name> makes that function fail with
 * CUDA_ERROR_OUT_OF_MEMORY (2), to test error reporting.
 *
 * Build: cc -shared -fPIC mock_cuda_driver.c -o libcuda.so.1 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef int CUdevice;

enum { OK = 0, OUT_OF_MEMORY = 2, INVALID_VALUE = 1, INVALID_IMAGE = 200 };

static FILE *logFile;
static long liveAllocs, liveStreams, liveEvents, liveModules, launches;
static int contextDepth;

static void logLine(const char *format, ...) {
  if (!logFile) {
    const char *path = getenv("MOCK_CUDA_LOG");
    logFile = path && *path ? fopen(path, "a") : stderr;
    if (!logFile)
      logFile = stderr;
  }
  va_list args;
  va_start(args, format);
  fprintf(logFile, "mock: ");
  vfprintf(logFile, format, args);
  fprintf(logFile, "\n");
  va_end(args);
  fflush(logFile);
}

static int failing(const char *name) {
  const char *fail = getenv("MOCK_CUDA_FAIL");
  return fail && strcmp(fail, name) == 0;
}

__attribute__((destructor)) static void summary(void) {
  logLine("summary launches=%ld live_allocs=%ld live_streams=%ld "
          "live_events=%ld live_modules=%ld context_depth=%d",
          launches, liveAllocs, liveStreams, liveEvents, liveModules,
          contextDepth);
}

CUresult cuInit(unsigned flags) {
  logLine("cuInit");
  return OK;
}
CUresult cuDriverGetVersion(int *version) {
  *version = 13000;
  return OK;
}
CUresult cuDeviceGetCount(int *count) {
  *count = 1;
  return OK;
}
CUresult cuDeviceGet(CUdevice *device, int ordinal) {
  *device = ordinal;
  return ordinal == 0 ? OK : INVALID_VALUE;
}
CUresult cuDeviceGetName(char *name, int length, CUdevice device) {
  snprintf(name, length, "Mock GPU");
  return OK;
}
CUresult cuDeviceGetAttribute(int *value, int attribute, CUdevice device) {
  switch (attribute) {
  case 75: /* CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR */
    *value = 9;
    break;
  case 76: /* ..._MINOR */
    *value = 0;
    break;
  case 115: /* CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED */
    *value = getenv("MOCK_CUDA_NO_POOLS") ? 0 : 1;
    break;
  default:
    *value = 0;
  }
  return OK;
}
CUresult cuDevicePrimaryCtxRetain(void **context, CUdevice device) {
  static int primary;
  *context = &primary;
  logLine("cuDevicePrimaryCtxRetain");
  return OK;
}
CUresult cuCtxPushCurrent_v2(void *context) {
  ++contextDepth;
  return OK;
}
CUresult cuCtxPopCurrent_v2(void **context) {
  --contextDepth;
  return OK;
}

/* Modules: a fat binary, a cubin (ELF) or NUL-terminated PTX. */
struct Module {
  char kind[8];
};
CUresult cuModuleLoadDataEx(void **module, const void *image, unsigned n,
                            int *options, void **values) {
  const unsigned char *bytes = image;
  const char *kind = "unknown";
  if (bytes[0] == 0x50 && bytes[1] == 0xED && bytes[2] == 0x55 &&
      bytes[3] == 0xBA)
    kind = "fatbin";
  else if (bytes[0] == 0x7F && bytes[1] == 'E')
    kind = "cubin";
  else if (strstr((const char *)image, ".version") != NULL)
    kind = "ptx";
  logLine("cuModuleLoadDataEx %s options=%u", kind, n);
  if (strcmp(kind, "unknown") == 0 || failing("cuModuleLoadDataEx"))
    return INVALID_IMAGE;
  struct Module *m = calloc(1, sizeof(struct Module));
  strcpy(m->kind, kind);
  *module = m;
  ++liveModules;
  return OK;
}
CUresult cuModuleUnload(void *module) {
  free(module);
  --liveModules;
  logLine("cuModuleUnload");
  return OK;
}
struct Function {
  char name[128];
};
CUresult cuModuleGetFunction(void **function, void *module, const char *name) {
  static struct Function functions[64];
  static int used;
  for (int i = 0; i < used; ++i)
    if (strcmp(functions[i].name, name) == 0) {
      *function = &functions[i];
      return OK;
    }
  if (used == 64)
    return INVALID_VALUE;
  snprintf(functions[used].name, sizeof(functions[used].name), "%s", name);
  *function = &functions[used++];
  return OK;
}
CUresult cuLaunchKernel(void *function, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned smem,
                        void *stream, void **params, void **extra) {
  ++launches;
  logLine("cuLaunchKernel %s grid=(%u,%u,%u) block=(%u,%u,%u) smem=%u "
          "params=%s",
          ((struct Function *)function)->name, gx, gy, gz, bx, by, bz, smem,
          params ? "yes" : "no");
  return OK;
}
CUresult cuLaunchKernelEx(const void *config, void *function, void **params,
                          void **extra) {
  ++launches;
  logLine("cuLaunchKernelEx %s", ((struct Function *)function)->name);
  return OK;
}

/* Streams and events. */
CUresult cuStreamCreate(void **stream, unsigned flags) {
  *stream = malloc(1);
  ++liveStreams;
  return OK;
}
CUresult cuStreamDestroy_v2(void *stream) {
  free(stream);
  --liveStreams;
  return OK;
}
CUresult cuStreamSynchronize(void *stream) {
  logLine("cuStreamSynchronize");
  return OK;
}
CUresult cuStreamWaitEvent(void *stream, void *event, unsigned flags) {
  return OK;
}
CUresult cuEventCreate(void **event, unsigned flags) {
  *event = malloc(1);
  ++liveEvents;
  return OK;
}
CUresult cuEventDestroy_v2(void *event) {
  free(event);
  --liveEvents;
  return OK;
}
CUresult cuEventRecord(void *event, void *stream) { return OK; }
CUresult cuEventSynchronize(void *event) { return OK; }
CUresult cuEventElapsedTime(float *ms, void *start, void *stop) {
  *ms = 0.25f;
  return OK;
}

/* Memory: host memory standing in for device memory. */
static CUresult allocate(const char *name, uint64_t *ptr, size_t bytes) {
  if (failing(name))
    return OUT_OF_MEMORY;
  *ptr = (uint64_t)(uintptr_t)malloc(bytes);
  ++liveAllocs;
  logLine("%s %zu", name, bytes);
  return OK;
}
CUresult cuMemAlloc_v2(uint64_t *ptr, size_t bytes) {
  return allocate("cuMemAlloc", ptr, bytes);
}
CUresult cuMemAllocAsync(uint64_t *ptr, size_t bytes, void *stream) {
  return allocate("cuMemAllocAsync", ptr, bytes);
}
CUresult cuMemAllocManaged(uint64_t *ptr, size_t bytes, unsigned flags) {
  return allocate("cuMemAllocManaged", ptr, bytes);
}
CUresult cuMemFree_v2(uint64_t ptr) {
  free((void *)(uintptr_t)ptr);
  --liveAllocs;
  logLine("cuMemFree");
  return OK;
}
CUresult cuMemFreeAsync(uint64_t ptr, void *stream) {
  free((void *)(uintptr_t)ptr);
  --liveAllocs;
  logLine("cuMemFreeAsync");
  return OK;
}
CUresult cuDeviceGetDefaultMemPool(void **pool, CUdevice device) {
  static int thePool;
  *pool = &thePool;
  return OK;
}
CUresult cuMemPoolSetAttribute(void *pool, int attribute, void *value) {
  return OK;
}
CUresult cuMemcpyAsync(uint64_t dst, uint64_t src, size_t bytes,
                       void *stream) {
  if (failing("cuMemcpyAsync"))
    return OUT_OF_MEMORY;
  memcpy((void *)(uintptr_t)dst, (const void *)(uintptr_t)src, bytes);
  logLine("cuMemcpyAsync %zu", bytes);
  return OK;
}
CUresult cuMemsetD32Async(uint64_t dst, unsigned value, size_t count,
                          void *stream) {
  for (size_t i = 0; i < count; ++i)
    ((uint32_t *)(uintptr_t)dst)[i] = value;
  return OK;
}
CUresult cuMemsetD16Async(uint64_t dst, unsigned short value, size_t count,
                          void *stream) {
  for (size_t i = 0; i < count; ++i)
    ((uint16_t *)(uintptr_t)dst)[i] = value;
  return OK;
}
CUresult cuMemHostRegister_v2(void *ptr, size_t bytes, unsigned flags) {
  return OK;
}
CUresult cuMemHostUnregister(void *ptr) { return OK; }

CUresult cuGetErrorName(CUresult result, const char **name) {
  *name = result == OUT_OF_MEMORY   ? "CUDA_ERROR_OUT_OF_MEMORY"
          : result == INVALID_IMAGE ? "CUDA_ERROR_INVALID_IMAGE"
                                    : "CUDA_ERROR_INVALID_VALUE";
  return OK;
}
CUresult cuGetErrorString(CUresult result, const char **text) {
  *text = "mock failure";
  return OK;
}
