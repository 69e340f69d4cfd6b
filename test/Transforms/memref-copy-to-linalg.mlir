// RUN: flow-opt %s --flow-memref-copy-to-linalg --split-input-file | FileCheck %s

// A copy between strided layouts becomes linalg.copy (loops later, no call
// of the runtime library's memrefCopy).
// CHECK-LABEL: func.func @strided
// CHECK-SAME: (%[[SRC:.*]]: memref<4x8xf32, strided<[16, 2]>>, %[[DST:.*]]: memref<4x8xf32>)
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%[[SRC]] : memref<4x8xf32, strided<[16, 2]>>) outs(%[[DST]] : memref<4x8xf32>)
// CHECK-NEXT: return
func.func @strided(%src: memref<4x8xf32, strided<[16, 2]>>, %dst: memref<4x8xf32>) {
  memref.copy %src, %dst : memref<4x8xf32, strided<[16, 2]>> to memref<4x8xf32>
  return
}

// -----

// Dynamic shapes and several copies in nested regions.
// CHECK-LABEL: func.func @nested
// CHECK-NOT: memref.copy
// CHECK: scf.for
// CHECK: linalg.copy ins(%{{.*}} : memref<?xf64>) outs(%{{.*}} : memref<?xf64>)
// CHECK: linalg.copy ins(%{{.*}} : memref<?xf64>) outs(%{{.*}} : memref<?xf64>)
func.func @nested(%a: memref<?xf64>, %b: memref<?xf64>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    memref.copy %a, %b : memref<?xf64> to memref<?xf64>
    memref.copy %b, %a : memref<?xf64> to memref<?xf64>
  }
  return
}

// -----

// Unranked copies have no linalg.copy form: they stay.
// CHECK-LABEL: func.func @unranked
// CHECK: memref.copy %{{.*}}, %{{.*}} : memref<*xf32> to memref<*xf32>
// CHECK-NOT: linalg.copy
func.func @unranked(%a: memref<*xf32>, %b: memref<*xf32>) {
  memref.copy %a, %b : memref<*xf32> to memref<*xf32>
  return
}
