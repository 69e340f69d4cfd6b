// The host half of an AOT CUDA library, end to end on a machine without a
// GPU, with the stand-in libcuda.so.1 of test/lib/mock_cuda_driver.c
// ("device" memory is host memory, copies are real, kernels do not run,
// every call is logged): loading the library does no driver work; the first
// call loads the GPU modules, copies the arguments in, launches the kernels,
// copies the result back and frees every GPU buffer; unloading the library
// unloads the modules. Driver failures become one error line and exit code 1.
// REQUIRES: cuda-toolkit, cuda-runtime, c-compiler
// RUN: rm -rf %t && mkdir -p %t
// RUN: %cc -shared -fPIC %flow_src_root/test/lib/mock_cuda_driver.c -o %t/libcuda.so.1
// RUN: flow-compile %s --target=cuda -o %t/libmock.so

// Listing the entries touches no driver (no log at all).
// RUN: env FLOW_CUDA_DRIVER=%t/libcuda.so.1 MOCK_CUDA_LOG=%t/list.log flow-aot-run %t/libmock.so --list
// RUN: not test -e %t/list.log

// RUN: env FLOW_CUDA_DRIVER=%t/libcuda.so.1 MOCK_CUDA_LOG=%t/run.log \
// RUN:   flow-aot-run %t/libmock.so --random-inputs --output=%t/y.npy
// RUN: FileCheck %s --input-file=%t/run.log
// RUN: %python -c "import numpy as np; y = np.load('%t/y.npy'); assert y.shape == (2, 8, 16, 16) and y.dtype == np.float32, y.shape"
// CHECK:      mock: cuInit
// CHECK-COUNT-7: mock: cuModuleLoadDataEx fatbin options=2
// CHECK-NEXT: mock: cuMemAllocAsync 2048
// CHECK-NEXT: mock: cuMemcpyAsync 2048
// CHECK-NEXT: mock: cuMemAllocAsync 1152
// CHECK-NEXT: mock: cuMemcpyAsync 1152
// CHECK-NEXT: mock: cuMemAllocAsync 32
// CHECK-NEXT: mock: cuMemcpyAsync 32
// CHECK-COUNT-7: mock: cuLaunchKernel main_kernel
// CHECK:      mock: cuStreamSynchronize
// CHECK-NEXT: mock: cuMemcpyAsync 16384
// CHECK-COUNT-5: mock: cuMemFreeAsync
// CHECK-NEXT: mock: cuStreamSynchronize
// CHECK-COUNT-7: mock: cuModuleUnload
// CHECK-NEXT: mock: summary launches=7 live_allocs=0 live_streams=0 live_events=0 live_modules=0 context_depth=0

// --benchmark: the kernels' time (7 kernels x 0.25 ms, what the mock reports
// per event pair), then the whole calls'.
// RUN: env FLOW_CUDA_DRIVER=%t/libcuda.so.1 MOCK_CUDA_LOG=%t/bench.log \
// RUN:   flow-aot-run %t/libmock.so --random-inputs --benchmark=3 | FileCheck %s --check-prefix=BENCH
// BENCH: benchmark: median_ms=1.7500 min_ms=1.7500 gflops={{[0-9.]+}} runs=3
// BENCH-NEXT: benchmark-call: median_ms={{[0-9.]+}} min_ms={{[0-9.]+}} gflops={{[0-9.]+}} runs=3
// RUN: FileCheck %s --check-prefix=BENCHLOG --input-file=%t/bench.log
// BENCHLOG: mock: summary launches=28 live_allocs=0 live_streams=0 live_events=0 live_modules=0 context_depth=0

// The Python loader: a result of the right shape, the kernels' time, and
// the modules loaded once for several calls.
// RUN: env FLOW_CUDA_DRIVER=%t/libcuda.so.1 MOCK_CUDA_LOG=%t/py.log %python -c "import importlib.util as u; s = u.spec_from_file_location('aot', '%flow_src_root/python/flow_mlir/aot.py'); m = u.module_from_spec(s); s.loader.exec_module(m); import numpy as np; lib = m.load('%t/libmock.so'); assert lib.available(); x, w, b = np.ones((2, 4, 8, 8), np.float32), np.ones((4, 8, 3, 3), np.float32), np.ones(8, np.float32); y, ms = lib.kernel_time(lib, x, w, b); assert y.shape == (2, 8, 16, 16) and ms == 1.75, (y.shape, ms); lib(x, w, b); print('python ok')" | FileCheck %s --check-prefix=PY
// PY: python ok
// RUN: FileCheck %s --check-prefix=PYLOG --input-file=%t/py.log
// PYLOG-COUNT-7: mock: cuModuleLoadDataEx
// PYLOG-NOT: cuModuleLoadDataEx
// PYLOG: mock: summary launches=14

// A failing copy: one error line naming it, exit code 1, no output file.
// RUN: env FLOW_CUDA_DRIVER=%t/libcuda.so.1 MOCK_CUDA_LOG=%t/fail.log MOCK_CUDA_FAIL=cuMemcpyAsync \
// RUN:   not flow-aot-run %t/libmock.so --random-inputs --output=%t/bad.npy 2>&1 | FileCheck %s --check-prefix=FAIL --implicit-check-not={{.}}
// FAIL: flow-aot-run: error: @main: cuMemcpyAsync failed: CUDA_ERROR_OUT_OF_MEMORY: mock failure
// RUN: not test -e %t/bad.npy
// A failed call still releases its GPU memory, streams and events.
// RUN: FileCheck %s --check-prefix=RELEASED --input-file=%t/fail.log
// RELEASED: mock: summary launches={{[0-9]+}} live_allocs=0 live_streams=0 live_events=0 live_modules=0 context_depth=0
// Out of GPU memory.
// RUN: env FLOW_CUDA_DRIVER=%t/libcuda.so.1 MOCK_CUDA_LOG=%t/oom.log MOCK_CUDA_FAIL=cuMemAllocAsync \
// RUN:   not flow-aot-run %t/libmock.so --random-inputs 2>&1 | FileCheck %s --check-prefix=OOM --implicit-check-not={{.}}
// OOM: flow-aot-run: error: @main: cannot allocate 2048 bytes of GPU memory: CUDA_ERROR_OUT_OF_MEMORY: mock failure
// RUN: FileCheck %s --check-prefix=RELEASED --input-file=%t/oom.log
// Kernels the device cannot load: reported by the first call, before any
// copy.
// RUN: env FLOW_CUDA_DRIVER=%t/libcuda.so.1 MOCK_CUDA_LOG=%t/load.log MOCK_CUDA_FAIL=cuModuleLoadDataEx \
// RUN:   not flow-aot-run %t/libmock.so --random-inputs 2>&1 | FileCheck %s --check-prefix=LOAD --implicit-check-not={{.}}
// LOAD: flow-aot-run: error: cannot load the GPU kernels on Mock GPU (sm_90): CUDA_ERROR_INVALID_IMAGE: mock failure
// RUN: FileCheck %s --check-prefix=LOADLOG --input-file=%t/load.log
// LOADLOG-NOT: cuMemAlloc
// LOADLOG: mock: summary launches=0 live_allocs=0

func.func @main(%x: tensor<2x4x8x8xf32>, %w: tensor<4x8x3x3xf32>, %b: tensor<8xf32>)
    -> tensor<2x8x16x16xf32> {
  %y = flow.conv_transpose2d %x, %w, %b
         {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
          output_padding = array<i64: 1, 1>}
       : (tensor<2x4x8x8xf32>, tensor<4x8x3x3xf32>, tensor<8xf32>)
       -> tensor<2x8x16x16xf32>
  return %y : tensor<2x8x16x16xf32>
}
