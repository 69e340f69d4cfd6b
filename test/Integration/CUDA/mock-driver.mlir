// REQUIRES: cuda-toolkit, cuda-runtime, c-compiler
// The host half of the CUDA back end, end to end on a machine without a GPU:
// flow-runner --target=cuda with a stand-in libcuda.so.1
// (test/lib/mock_cuda_driver.c) whose "device" memory is host memory, whose
// copies are real and which logs every call; kernels do not run. The JIT
// loads one fat binary per kernel, copies the three arguments in, launches
// the 7 kernels with their grids, copies the result back into the caller's
// buffer, frees every GPU buffer and unloads the modules at exit.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %cc -shared -fPIC %flow_src_root/test/lib/mock_cuda_driver.c -o %t/libcuda.so.1
// RUN: env FLOW_CUDA_DRIVER=%t/libcuda.so.1 MOCK_CUDA_LOG=%t/run.log \
// RUN:   flow-runner %s --target=cuda --random-inputs --output=%t/y.npy
// RUN: FileCheck %s --input-file=%t/run.log
// RUN: %python -c "import numpy as np; y = np.load('%t/y.npy'); assert y.shape == (2, 8, 16, 16) and y.dtype == np.float32, y.shape"

// CHECK:      mock: cuInit
// CHECK-COUNT-7: mock: cuModuleLoadDataEx fatbin options=2
// x (2x4x8x8 f32), w (4x8x3x3), b (8) to the GPU:
// CHECK:      mock: cuMemAllocAsync 2048
// CHECK-NEXT: mock: cuMemcpyAsync 2048
// CHECK-NEXT: mock: cuMemAllocAsync 1152
// CHECK-NEXT: mock: cuMemcpyAsync 1152
// CHECK-NEXT: mock: cuMemAllocAsync 32
// CHECK-NEXT: mock: cuMemcpyAsync 32
// the zero-padded input (2x4x9x9): fill, copy x in
// CHECK-NEXT: mock: cuMemAllocAsync 2592
// CHECK-NEXT: mock: cuLaunchKernel main_kernel grid=(3,1,1) block=(256,1,1) smem=0 params=yes
// CHECK-NEXT: mock: cuLaunchKernel main_kernel grid=(2,1,1) block=(256,1,1) smem=0 params=yes
// the output (2x8x16x16): bias, then the four stride phases
// CHECK-NEXT: mock: cuMemAllocAsync 16384
// CHECK-NEXT: mock: cuLaunchKernel main_kernel grid=(16,1,1) block=(256,1,1) smem=0 params=yes
// CHECK-NEXT: mock: cuLaunchKernel main_kernel grid=(4,1,1) block=(256,1,1) smem=0 params=yes
// CHECK-NEXT: mock: cuLaunchKernel main_kernel grid=(4,1,1) block=(256,1,1) smem=0 params=yes
// CHECK-NEXT: mock: cuLaunchKernel main_kernel grid=(4,1,1) block=(256,1,1) smem=0 params=yes
// CHECK-NEXT: mock: cuLaunchKernel main_kernel grid=(4,1,1) block=(256,1,1) smem=0 params=yes
// CHECK-NEXT: mock: cuStreamSynchronize
// the result back to the host, then every GPU buffer freed
// CHECK-NEXT: mock: cuMemcpyAsync 16384
// CHECK-COUNT-5: mock: cuMemFreeAsync
// CHECK-NEXT: mock: cuStreamSynchronize
// CHECK-COUNT-7: mock: cuModuleUnload
// CHECK-NEXT: mock: summary launches=7 live_allocs=0 live_streams=0 live_events=0 live_modules=0 context_depth=0

// --benchmark times the kernels with CUDA events: 7 kernels x 0.25 ms (what
// the mock reports per event pair); a warm-up and 3 timed runs.
// RUN: env FLOW_CUDA_DRIVER=%t/libcuda.so.1 MOCK_CUDA_LOG=%t/bench.log \
// RUN:   flow-runner %s --target=cuda --random-inputs --benchmark=3 \
// RUN:   | FileCheck %s --check-prefix=BENCH
// BENCH: benchmark: median_ms=1.7500 min_ms=1.7500 gflops={{[0-9.]+}} runs=3
// RUN: FileCheck %s --check-prefix=BENCHLOG --input-file=%t/bench.log
// BENCHLOG: mock: summary launches=28 live_allocs=0 live_streams=0 live_events=0 live_modules=0 context_depth=0

// Without stream-ordered memory pools: cuMemAlloc/cuMemFree.
// RUN: env FLOW_CUDA_DRIVER=%t/libcuda.so.1 MOCK_CUDA_LOG=%t/nopool.log MOCK_CUDA_NO_POOLS=1 \
// RUN:   flow-runner %s --target=cuda --random-inputs
// RUN: FileCheck %s --check-prefix=NOPOOL --input-file=%t/nopool.log
// NOPOOL-NOT:   cuMemAllocAsync
// NOPOOL-COUNT-5: mock: cuMemFree
// NOPOOL:       mock: summary launches=7 live_allocs=0

// A failing driver call during the run: one error line, exit code 1, no
// output file.
// RUN: env FLOW_CUDA_DRIVER=%t/libcuda.so.1 MOCK_CUDA_LOG=%t/fail.log MOCK_CUDA_FAIL=cuMemcpyAsync \
// RUN:   flow-runner %s --target=cuda --random-inputs --output=%t/bad.npy > %t/out 2> %t/err; \
// RUN:   test $? -eq 1
// RUN: FileCheck %s --check-prefix=FAIL --input-file=%t/err
// FAIL: flow-runner: error: CUDA: cuMemcpyAsync failed: CUDA_ERROR_OUT_OF_MEMORY: mock failure
// RUN: count 1 < %t/err
// RUN: count 0 < %t/out
// RUN: not test -e %t/bad.npy

// Kernels the GPU cannot load fail the compilation.
// RUN: env FLOW_CUDA_DRIVER=%t/libcuda.so.1 MOCK_CUDA_LOG=%t/load.log MOCK_CUDA_FAIL=cuModuleLoadDataEx \
// RUN:   flow-runner %s --target=cuda --random-inputs 2> %t/err; test $? -eq 1
// RUN: FileCheck %s --check-prefix=LOAD --input-file=%t/err
// RUN: count 1 < %t/err
// LOAD: flow-runner: error: {{.*}}mock-driver.mlir: JIT compilation failed: CUDA: cannot load the GPU kernels on Mock GPU (sm_90): CUDA_ERROR_INVALID_IMAGE: mock failure
func.func @main(%x: tensor<2x4x8x8xf32>, %w: tensor<4x8x3x3xf32>, %b: tensor<8xf32>)
    -> tensor<2x8x16x16xf32> {
  %y = flow.conv_transpose2d %x, %w, %b
         {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
          output_padding = array<i64: 1, 1>}
       : (tensor<2x4x8x8xf32>, tensor<4x8x3x3xf32>, tensor<8xf32>)
       -> tensor<2x8x16x16xf32>
  return %y : tensor<2x8x16x16xf32>
}
