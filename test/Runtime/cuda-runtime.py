# REQUIRES: cuda-runtime, cuda-driver-stub, c-compiler
# libflow_cuda_runtime without a GPU: every mgpu* entry fails with one line
# and exit code 1 (never a crash), whether libcuda.so.1 is missing or is the
# toolkit's stub (which also shows that every driver symbol the runtime needs
# resolves); the probe reports without exiting. Then, with a stand-in driver
# (test/lib/mock_cuda_driver.c), the working paths: module loading, launches
# (empty grids skipped, oversized blocks refused), the record-errors mode and
# kernel timing.
# RUN: rm -rf %t && mkdir -p %t
# RUN: %cc -shared -fPIC %flow_src_root/test/lib/mock_cuda_driver.c -o %t/libcuda.so.1
# RUN: %asan_host %python %s %cuda_runtime %t/nosuch/libcuda.so.1 entries | FileCheck %s --check-prefix=NODRIVER
# RUN: %asan_host %python %s %cuda_runtime %cuda_driver_stub entries | FileCheck %s --check-prefix=STUB
# RUN: %asan_host %python %s %cuda_runtime %t/libcuda.so.1 mock | FileCheck %s --check-prefix=MOCK

# NODRIVER: probe: 1 no CUDA driver (cannot load {{.*}}nosuch/libcuda.so.1: {{.*}})
# NODRIVER-COUNT-22: rc=1 lines=1 flow_cuda_runtime: error: no CUDA driver (cannot load {{.*}}nosuch/libcuda.so.1
# NODRIVER-NOT: rc=
# NODRIVER: checked 22 entries

# STUB: probe: 1 no CUDA driver ({{.*}}libcuda.so is the CUDA toolkit's stub library, not a driver)
# STUB-COUNT-22: rc=1 lines=1 flow_cuda_runtime: error: no CUDA driver ({{.*}} stub library, not a driver)
# STUB: checked 22 entries

# MOCK: probe: 0
# MOCK: device: Mock GPU (sm_90)
# MOCK: module: loaded
# MOCK: timing: 0.25 ms
# MOCK: mock: cuModuleLoadDataEx fatbin
# MOCK: mock: cuLaunchKernel k grid=(3,1,1) block=(256,1,1)
# MOCK-NOT: cuLaunchKernel
# MOCK: empty grid: no launch
# MOCK: oversized block: rc=1 lines=1 flow_cuda_runtime: error: cannot launch a kernel with grid (1, 1, 1) and block (2048, 1, 1): beyond the CUDA limits
# MOCK: alloc failure: rc=1 lines=1 flow_cuda_runtime: error: cannot allocate 64 bytes of GPU memory: CUDA_ERROR_OUT_OF_MEMORY: mock failure
# MOCK: recorded: ptr=None error=1 cannot allocate 64 bytes of GPU memory: CUDA_ERROR_OUT_OF_MEMORY: mock failure
# MOCK: after take: error=0
# MOCK: missing module: error=1 cannot find kernel k: its GPU module was not loaded

import ctypes
import os
import subprocess
import sys

runtime, driver, mode = sys.argv[1], sys.argv[2], sys.argv[3]
os.environ["FLOW_CUDA_DRIVER"] = driver
log = os.path.join(os.path.dirname(driver), "mock.log")
os.environ["MOCK_CUDA_LOG"] = log

# Each entry with non-null arguments, so that none returns early.
ENTRIES = {
    "mgpuModuleLoad": "lib.mgpuModuleLoad(b'x' * 16, 16)",
    "mgpuModuleLoadJIT": "lib.mgpuModuleLoadJIT(b'.version 8.0', 2)",
    "mgpuModuleUnload": "lib.mgpuModuleUnload(P(1))",
    "mgpuModuleGetFunction": "lib.mgpuModuleGetFunction(P(1), b'k')",
    "mgpuLaunchKernel": "lib.mgpuLaunchKernel(P(1), *[I(1)] * 6, 0, P(1), P(1), P(0), I(0))",
    "mgpuLaunchClusterKernel": "lib.mgpuLaunchClusterKernel(P(1), *[I(1)] * 9, 0, P(1), P(1), P(0))",
    "mgpuStreamCreate": "lib.mgpuStreamCreate()",
    "mgpuStreamDestroy": "lib.mgpuStreamDestroy(P(1))",
    "mgpuStreamSynchronize": "lib.mgpuStreamSynchronize(P(1))",
    "mgpuStreamWaitEvent": "lib.mgpuStreamWaitEvent(P(1), P(1))",
    "mgpuEventCreate": "lib.mgpuEventCreate()",
    "mgpuEventDestroy": "lib.mgpuEventDestroy(P(1))",
    "mgpuEventSynchronize": "lib.mgpuEventSynchronize(P(1))",
    "mgpuEventRecord": "lib.mgpuEventRecord(P(1), P(1))",
    "mgpuMemAlloc": "lib.mgpuMemAlloc(ctypes.c_uint64(64), P(1), ctypes.c_bool(False))",
    "mgpuMemFree": "lib.mgpuMemFree(P(1), P(1))",
    "mgpuMemcpy": "lib.mgpuMemcpy(P(1), P(2), ctypes.c_size_t(4), P(1))",
    "mgpuMemset32": "lib.mgpuMemset32(P(1), 0, ctypes.c_size_t(4), P(1))",
    "mgpuMemset16": "lib.mgpuMemset16(P(1), 0, ctypes.c_size_t(4), P(1))",
    "mgpuMemHostRegister": "lib.mgpuMemHostRegister(P(1), ctypes.c_uint64(4))",
    "mgpuMemHostUnregister": "lib.mgpuMemHostUnregister(P(1))",
    "mgpuMemHostRegisterMemRef": "lib.mgpuMemHostRegisterMemRef(I(1), desc, I(4))",
}
PRELUDE = (
    "import ctypes, sys\n"
    "lib = ctypes.CDLL(sys.argv[1])\n"
    "P = ctypes.c_void_p\n"
    "I = ctypes.c_int64\n"
    "buf = (ctypes.c_float * 4)()\n"
    "desc = (ctypes.c_int64 * 5)(ctypes.addressof(buf), ctypes.addressof(buf), 0, 4, 1)\n"
    "lib.mgpuModuleGetFunction.restype = P\n")


def run(code):
    """Runs `code` in a fresh process; returns (rc, stderr lines)."""
    proc = subprocess.run([sys.executable, "-c", PRELUDE + code, runtime],
                          capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stderr.strip().splitlines()


def describe(rc, lines):
    return f"rc={rc} lines={len(lines)} {lines[0] if lines else ''}"


lib = ctypes.CDLL(runtime)
message = ctypes.create_string_buffer(1024)
status = lib.flowCudaProbe(message, 1024)
print(f"probe: {status} {message.value.decode()}")

if mode == "entries":
    for name, call in ENTRIES.items():
        rc, lines = run(call)
        print(f"{name}: {describe(rc, lines)}")
    print(f"checked {len(ENTRIES)} entries")
    sys.exit(0)

# mode == "mock": a driver that works.
name = ctypes.create_string_buffer(256)
lib.flowCudaDeviceName(name, 256)
print(f"device: {name.value.decode()}")
P, I = ctypes.c_void_p, ctypes.c_int64
lib.mgpuModuleLoad.restype = P
lib.mgpuModuleGetFunction.restype = P
lib.mgpuStreamCreate.restype = P
lib.mgpuMemAlloc.restype = P
lib.flowCudaTimingEnd.restype = ctypes.c_double
fatbin = bytes.fromhex("50ed55ba01001000") + bytes(24)
module = lib.mgpuModuleLoad(fatbin, len(fatbin))
print("module:", "loaded" if module else "null")
kernel = lib.mgpuModuleGetFunction(P(module), b"k")
stream = lib.mgpuStreamCreate()
lib.flowCudaTimingBegin()
lib.mgpuLaunchKernel(P(kernel), I(3), I(1), I(1), I(256), I(1), I(1), 0,
                     P(stream), P(1), P(0), I(0))
lib.mgpuLaunchKernel(P(kernel), I(0), I(1), I(1), I(256), I(1), I(1), 0,
                     P(stream), P(1), P(0), I(0))
print(f"timing: {lib.flowCudaTimingEnd():.2f} ms")
lib.mgpuStreamSynchronize(P(stream))
lib.mgpuStreamDestroy(P(stream))
lib.mgpuModuleUnload(P(module))
with open(log) as f:
    for line in f:
        if "cuModuleLoadDataEx" in line or "cuLaunchKernel" in line:
            print(line.strip())
print("empty grid: no launch")

rc, lines = run("m = lib.mgpuModuleLoad(bytes.fromhex('50ed55ba01001000') + bytes(24), 32)\n"
                "lib.mgpuModuleGetFunction.restype = P\n"
                "f = lib.mgpuModuleGetFunction(P(m), b'k')\n"
                "lib.mgpuLaunchKernel(P(f), I(1), I(1), I(1), I(2048), I(1), I(1), 0, P(0), P(1), P(0), I(0))")
print(f"oversized block: {describe(rc, lines)}")

os.environ["MOCK_CUDA_FAIL"] = "cuMemAlloc"
rc, lines = run("lib.mgpuMemAlloc(ctypes.c_uint64(64), P(0), ctypes.c_bool(False))")
print(f"alloc failure: {describe(rc, lines)}")

# The JIT's mode: errors are recorded, entries return, nothing exits.
lib.flowCudaSetErrorMode(1)
ptr = lib.mgpuMemAlloc(ctypes.c_uint64(64), P(0), ctypes.c_bool(False))
error = lib.flowCudaTakeError(message, 1024)
print(f"recorded: ptr={ptr} error={error} {message.value.decode()}")
print(f"after take: error={lib.flowCudaTakeError(message, 1024)}")
lib.mgpuModuleGetFunction(P(0), b"k")
error = lib.flowCudaTakeError(message, 1024)
print(f"missing module: error={error} {message.value.decode()}")
