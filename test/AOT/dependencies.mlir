// What an AOT library needs at run time is what README.md ("Ahead of time")
// says: a CPU library with parallel kernels links LLVM's OpenMP runtime
// besides libc and libgcc_s; --parallel=false leaves libc and libgcc_s;
// never libMLIR, libLLVM or libstdc++ (`ldd` resolves them all).
// RUN: rm -rf %t && mkdir -p %t
// RUN: flow-compile %s -o %t/libparallel.so
// RUN: readelf -d %t/libparallel.so | grep NEEDED | FileCheck %s --check-prefix=PARALLEL
// PARALLEL:      [libomp.so.5]
// PARALLEL-NEXT: [libgcc_s.so.1]
// PARALLEL-NEXT: [libc.so.6]
// PARALLEL-NEXT: [ld-linux-x86-64.so.2]
// PARALLEL-NOT:  NEEDED
// RUN: ldd %t/libparallel.so | FileCheck %s --check-prefix=LDD --implicit-check-not=libMLIR --implicit-check-not=libLLVM --implicit-check-not=libstdc++ --implicit-check-not="not found"
// LDD: libc.so.6
// RUN: flow-compile %s --parallel=false -o %t/libserial.so
// RUN: readelf -d %t/libserial.so | grep NEEDED | FileCheck %s --check-prefix=SERIAL
// SERIAL:      [libgcc_s.so.1]
// SERIAL-NEXT: [libc.so.6]
// SERIAL-NEXT: [ld-linux-x86-64.so.2]
// SERIAL-NOT:  NEEDED
// RUN: ldd %t/libserial.so | FileCheck %s --check-prefix=LDD --implicit-check-not=libomp --implicit-check-not=libMLIR --implicit-check-not=libLLVM --implicit-check-not=libstdc++ --implicit-check-not="not found"

// About 17 MFLOP: above the kernels' threshold for running in parallel.
func.func @main(%x: tensor<2x16x32x32xf32>, %w: tensor<16x16x4x4xf32>) -> tensor<2x16x66x66xf32> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>} : (tensor<2x16x32x32xf32>, tensor<16x16x4x4xf32>) -> tensor<2x16x66x66xf32>
  return %y : tensor<2x16x66x66xf32>
}
