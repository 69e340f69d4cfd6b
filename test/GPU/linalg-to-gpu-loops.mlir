// RUN: flow-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(func.func(flow-linalg-to-gpu-loops))' \
// RUN:   | FileCheck %s
// RUN: flow-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(func.func(flow-linalg-to-gpu-loops{block-size=64 contract=false}))' \
// RUN:   | FileCheck %s --check-prefix=B64

// A reduction: the parallel dims (i, j) are flattened (j fastest), tiled by
// 256 over blocks (block_x) and threads (thread_x); k is a sequential loop
// accumulating in a register; each output element is loaded and stored once.
#mA = affine_map<(i, j, k) -> (i, k)>
#mB = affine_map<(i, j, k) -> (k, j)>
#mC = affine_map<(i, j, k) -> (i, j)>
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: memref<30x5xf32>, %[[B:.*]]: memref<5x20xf32>, %[[C:.*]]: memref<30x20xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C5:.*]] = arith.constant 5 : index
// CHECK-DAG: %[[C20:.*]] = arith.constant 20 : index
// CHECK-DAG: %[[C256:.*]] = arith.constant 256 : index
// CHECK-DAG: %[[C600:.*]] = arith.constant 600 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK:     scf.parallel (%[[BX:.*]]) = (%[[C0]]) to (%[[C3]]) step (%[[C1]]) {
// CHECK:       scf.parallel (%[[TX:.*]]) = (%[[C0]]) to (%[[C256]]) step (%[[C1]]) {
// CHECK:         %[[BASE:.*]] = arith.muli %[[BX]], %[[C256]] : index
// CHECK:         %[[LIN:.*]] = arith.addi %[[BASE]], %[[TX]] : index
// CHECK:         %[[IN:.*]] = arith.cmpi ult, %[[LIN]], %[[C600]] : index
// CHECK:         scf.if %[[IN]] {
// CHECK:           %[[J:.*]] = arith.remui %[[LIN]], %[[C20]] : index
// CHECK:           %[[I:.*]] = arith.divui %[[LIN]], %[[C20]] : index
// CHECK:           %[[INIT:.*]] = memref.load %[[C]][%[[I]], %[[J]]]
// CHECK:           %[[SUM:.*]] = scf.for %[[K:.*]] = %[[C0]] to %[[C5]] step %[[C1]] iter_args(%[[ACC:.*]] = %[[INIT]]) -> (f32) {
// CHECK:             %[[VA:.*]] = memref.load %[[A]][%[[I]], %[[K]]]
// CHECK:             %[[VB:.*]] = memref.load %[[B]][%[[K]], %[[J]]]
// CHECK:             %[[P:.*]] = arith.mulf %[[VA]], %[[VB]] fastmath<contract> : f32
// CHECK:             %[[S:.*]] = arith.addf %[[ACC]], %[[P]] fastmath<contract> : f32
// CHECK:             scf.yield %[[S]] : f32
// CHECK:           }
// CHECK:           memref.store %[[SUM]], %[[C]][%[[I]], %[[J]]]
// CHECK:         }
// CHECK:       } {mapping = [#gpu.loop_dim_map<processor = thread_x, map = (d0) -> (d0), bound = (d0) -> (d0)>]}
// CHECK:     } {mapping = [#gpu.loop_dim_map<processor = block_x, map = (d0) -> (d0), bound = (d0) -> (d0)>]}
// CHECK-NOT: linalg.
// CHECK-NOT: atomic
// B64-LABEL: func.func @matmul
// B64-DAG: %[[C64:.*]] = arith.constant 64 : index
// B64-DAG: %[[C10:.*]] = arith.constant 10 : index
// B64:     scf.parallel (%{{.*}}) = (%{{.*}}) to (%[[C10]])
// B64:       scf.parallel (%{{.*}}) = (%{{.*}}) to (%[[C64]])
// B64:             arith.mulf %{{.*}}, %{{.*}} : f32
func.func @matmul(%a: memref<30x5xf32>, %b: memref<5x20xf32>, %c: memref<30x20xf32>) {
  linalg.generic {indexing_maps = [#mA, #mB, #mC],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<30x5xf32>, memref<5x20xf32>) outs(%c : memref<30x20xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Dynamic sizes: the number of blocks is computed on the host; an output the
// payload does not read is not loaded; affine index expressions and
// linalg.index are evaluated per thread; a scalar input is used directly.
// CHECK-LABEL: func.func @dynamic
// CHECK-SAME: (%[[X:.*]]: memref<?x8xf32>, %[[Y:.*]]: memref<?x6xf32>, %[[S:.*]]: f32)
// CHECK:     %[[N:.*]] = memref.dim %[[X]], %{{.*}} : memref<?x8xf32>
// CHECK:     %[[TOTAL:.*]] = arith.muli %[[N]], %{{.*}} : index
// CHECK:     %[[BLOCKS:.*]] = arith.ceildivui %[[TOTAL]], %{{.*}} : index
// CHECK:     scf.parallel (%{{.*}}) = (%{{.*}}) to (%[[BLOCKS]])
// CHECK:           %[[J:.*]] = arith.remui
// CHECK:           %[[I:.*]] = arith.divui
// CHECK:           %[[J2:.*]] = affine.apply #{{.*}}(%[[J]])
// CHECK:           %[[V:.*]] = memref.load %[[X]][%[[I]], %[[J2]]]
// CHECK:           %[[JF:.*]] = arith.index_cast %[[J]] : index to i64
// CHECK:           arith.addf %[[V]], %[[S]]
// CHECK-NOT:       memref.load %[[Y]]
// CHECK:           memref.store %{{.*}}, %[[Y]][%[[I]], %[[J]]]
#in = affine_map<(i, j) -> (i, j + 2)>
#id = affine_map<(i, j) -> (i, j)>
#scalar = affine_map<(i, j) -> ()>
func.func @dynamic(%x: memref<?x8xf32>, %y: memref<?x6xf32>, %s: f32) {
  linalg.generic {indexing_maps = [#in, #scalar, #id],
                  iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : memref<?x8xf32>, f32) outs(%y : memref<?x6xf32>) {
  ^bb0(%v: f32, %t: f32, %out: f32):
    %j = linalg.index 1 : index
    %ji = arith.index_cast %j : index to i64
    %jf = arith.sitofp %ji : i64 to f32
    %a = arith.addf %v, %t : f32
    %r = arith.addf %a, %jf : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Named ops (here linalg.fill) go through the same path.
// CHECK-LABEL: func.func @fill
// CHECK: scf.parallel
// CHECK:   scf.parallel
// CHECK:     memref.store %{{.*}}, %{{.*}}[%{{.*}}] : memref<1000xf16>
// CHECK-NOT: linalg.fill
func.func @fill(%y: memref<1000xf16>) {
  %zero = arith.constant 0.0 : f16
  linalg.fill ins(%zero : f16) outs(%y : memref<1000xf16>)
  return
}

// -----

func.func @tensor(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{flow-linalg-to-gpu-loops: expected buffer semantics (run bufferization first)}}
  %r = linalg.copy ins(%x : tensor<4xf32>) outs(%y : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

func.func @host_access(%x: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{flow-linalg-to-gpu-loops: 'memref.load' would access GPU memory on the host}}
  %v = memref.load %x[%c0] : memref<4xf32>
  return %v : f32
}
