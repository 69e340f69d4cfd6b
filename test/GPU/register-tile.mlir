// RUN: flow-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(func.func(flow-linalg-to-gpu-loops{register-tile=8 min-threads=4},canonicalize,cse))' \
// RUN:   | FileCheck %s
// RUN: flow-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(flow-linalg-to-gpu-loops{register-tile=8 min-threads=100},canonicalize,cse))' \
// RUN:   | FileCheck %s --check-prefix=FEW
// RUN: not flow-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(flow-linalg-to-gpu-loops{register-tile=0}))' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD

// Register tiles of a reduction. j (innermost) is ignored by A, i by B, so
// a tile of fo x fi points loads fo + fi values per k; with 8 points the
// balanced 4 x 2 tile wins (6 loads, against 9 for 8 x 1). i: 4 strided parts
// of span 8 (30 = 3*8 + 6), j: 2 parts of span 11 (21 = 11 + 10). The last
// part of each runs on the last index where it would be out of bounds and
// does not store there.
#mA = affine_map<(i, j, k) -> (i, k)>
#mB = affine_map<(i, j, k) -> (k, j)>
#mC = affine_map<(i, j, k) -> (i, j)>
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: memref<30x64xf32>, %[[B:.*]]: memref<64x21xf32>, %[[C:.*]]: memref<30x21xf32>)
// CHECK-DAG:   %[[C88:.*]] = arith.constant 88 : index
// CHECK-DAG:   %[[C11:.*]] = arith.constant 11 : index
// CHECK-DAG:   %[[C24:.*]] = arith.constant 24 : index
// CHECK-DAG:   %[[C29:.*]] = arith.constant 29 : index
// CHECK-DAG:   %[[C30:.*]] = arith.constant 30 : index
// CHECK-DAG:   %[[C20:.*]] = arith.constant 20 : index
// CHECK-DAG:   %[[C21:.*]] = arith.constant 21 : index
// CHECK:       scf.parallel (%[[T:.*]]) =
// CHECK:         %[[IN:.*]] = arith.cmpi ult, %[[T]], %[[C88]] : index
// CHECK:         scf.if %[[IN]] {
// CHECK:           %[[J:.*]] = arith.remui %[[T]], %[[C11]] : index
// CHECK:           %[[I:.*]] = arith.divui %[[T]], %[[C11]] : index
// CHECK:           %[[I3:.*]] = arith.addi %[[I]], %[[C24]] : index
// CHECK:           %[[OKI:.*]] = arith.cmpi ult, %[[I3]], %[[C30]] : index
// CHECK:           %[[I3C:.*]] = arith.minui %[[I3]], %[[C29]] : index
// CHECK:           %[[J1:.*]] = arith.addi %[[J]], %[[C11]] : index
// CHECK:           %[[OKJ:.*]] = arith.cmpi ult, %[[J1]], %[[C21]] : index
// CHECK:           %[[J1C:.*]] = arith.minui %[[J1]], %[[C20]] : index
// CHECK:           %[[OK:.*]] = arith.andi %[[OKI]], %[[OKJ]] : i1
// CHECK-COUNT-8:   memref.load %[[C]]
// CHECK:           %[[R:.*]]:8 = scf.for %[[K:.*]] = {{.*}} iter_args({{.*}}) -> (f32, f32, f32, f32, f32, f32, f32, f32) {
// CHECK-COUNT-4:     memref.load %[[A]]
// CHECK-NEXT:        memref.load %[[B]][%[[K]], %[[J]]]
// CHECK-NEXT:        memref.load %[[B]][%[[K]], %[[J1C]]]
// CHECK-NOT:         memref.load
// CHECK-COUNT-8:     arith.addf
// CHECK:             scf.yield
// CHECK:           }
// CHECK:           memref.store %[[R]]#0, %[[C]][%[[I]], %[[J]]]
// CHECK-NEXT:      scf.if %[[OKJ]] {
// CHECK-NEXT:        memref.store %[[R]]#1, %[[C]][%[[I]], %[[J1C]]]
// CHECK:           scf.if %[[OKI]] {
// CHECK-NEXT:        memref.store %[[R]]#6, %[[C]][%[[I3C]], %[[J]]]
// CHECK-NEXT:      }
// CHECK-NEXT:      scf.if %[[OK]] {
// CHECK-NEXT:        memref.store %[[R]]#7, %[[C]][%[[I3C]], %[[J1C]]]
// CHECK-NEXT:      }

// With at least 100 threads wanted (630 points), the tile stays under 6.3
// points: 2 x 2 (4 loads for 4 outputs; 4 x 1 would need 5).
// FEW-LABEL: func.func @matmul
// FEW:         scf.for {{.*}} -> (f32, f32, f32, f32) {
func.func @matmul(%a: memref<30x64xf32>, %b: memref<64x21xf32>, %c: memref<30x21xf32>) {
  linalg.generic {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"]}
    ins(%a, %b : memref<30x64xf32>, memref<64x21xf32>) outs(%c : memref<30x21xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A convolution-shaped nest (n, co, oh, ow | ci, kh, kw): the image ignores
// co, the weight ignores ow; 8 outputs per thread as 4 channels x 2 columns
// (both exact, so no guard), so each image element serves 4 outputs and each
// weight element 2. Dynamic sizes keep one output per thread.
#img = affine_map<(n, co, oh, ow, ci, kh, kw) -> (n, ci, oh + kh, ow + kw)>
#wt = affine_map<(n, co, oh, ow, ci, kh, kw) -> (ci, co, kh, kw)>
#out = affine_map<(n, co, oh, ow, ci, kh, kw) -> (n, co, oh, ow)>
// CHECK-LABEL: func.func @conv
// CHECK:         scf.for {{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32) {
// CHECK:           scf.for {{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32) {
// CHECK:             scf.for {{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32) {
// CHECK-COUNT-2:       memref.load %arg0
// CHECK-COUNT-4:       memref.load %arg1
// CHECK-NOT:           memref.load
// CHECK:               scf.yield
// CHECK-NOT:     scf.if
// CHECK-LABEL: func.func @conv_dynamic
// CHECK:         scf.for {{.*}} -> (f32) {
func.func @conv(%x: memref<2x8x10x12xf32>, %w: memref<8x4x3x3xf32>, %y: memref<2x4x8x8xf32>) {
  linalg.generic {indexing_maps = [#img, #wt, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
    ins(%x, %w : memref<2x8x10x12xf32>, memref<8x4x3x3xf32>) outs(%y : memref<2x4x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  }
  return
}
func.func @conv_dynamic(%x: memref<?x8x10x12xf32>, %w: memref<8x4x3x3xf32>, %y: memref<?x4x8x8xf32>) {
  linalg.generic {indexing_maps = [#img, #wt, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
    ins(%x, %w : memref<?x8x10x12xf32>, memref<8x4x3x3xf32>) outs(%y : memref<?x4x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  }
  return
}

// BAD: flow-linalg-to-gpu-loops: register-tile and min-threads must be >= 1, got 0 and 65536
