// RUN: flow-opt %s --flow-lower-alloca-scopes --split-input-file --verify-diagnostics | FileCheck %s

// The body of an alloca_scope lands between stacksave and stackrestore, in
// place (still inside its loop), so that its allocas are freed per
// iteration.
// CHECK-LABEL: func.func @per_iteration
// CHECK-NOT:     memref.alloca_scope
// CHECK:         scf.for
// CHECK-NEXT:      %[[SP:.*]] = llvm.intr.stacksave : !llvm.ptr
// CHECK-NEXT:      %[[BUF:.*]] = memref.alloca() : memref<16xf32>
// CHECK-NEXT:      memref.store %{{.*}}, %[[BUF]]
// CHECK-NEXT:      llvm.intr.stackrestore %[[SP]] : !llvm.ptr
// CHECK-NEXT:    }
func.func @per_iteration(%n: index, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    memref.alloca_scope {
      %buf = memref.alloca() : memref<16xf32>
      memref.store %v, %buf[%c0] : memref<16xf32>
    }
  }
  return
}

// -----

// A scope with results is not supported: one clear error.
func.func @with_result() -> f32 {
  // expected-error @below {{'memref.alloca_scope' op with results is not supported here}}
  %r = memref.alloca_scope -> f32 {
    %c = arith.constant 1.0 : f32
    memref.alloca_scope.return %c : f32
  }
  return %r : f32
}
