// RUN: flow-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(func.func(flow-gpu-stage-buffers))' \
// RUN:   | FileCheck %s

// Arguments are copied in, allocations become gpu.alloc, results are copied
// out into host buffers, and every GPU buffer is freed before the return.
// CHECK-LABEL: func.func @static
// CHECK-SAME: (%[[X:.*]]: memref<4xf32>) -> memref<4xf32>
// CHECK:   %[[DX:.*]] = gpu.alloc () : memref<4xf32>
// CHECK:   gpu.memcpy %[[DX]], %[[X]] : memref<4xf32>, memref<4xf32>
// CHECK:   %[[Y:.*]] = gpu.alloc () : memref<4xf32>
// CHECK:   linalg.copy ins(%[[DX]] : memref<4xf32>) outs(%[[Y]] : memref<4xf32>)
// CHECK:   %[[H:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
// CHECK:   gpu.memcpy %[[H]], %[[Y]] : memref<4xf32>, memref<4xf32>
// CHECK:   gpu.dealloc %[[DX]] : memref<4xf32>
// CHECK:   gpu.dealloc %[[Y]] : memref<4xf32>
// CHECK:   return %[[H]] : memref<4xf32>
// CHECK-NOT: memref.alloc()
func.func @static(%x: memref<4xf32>) -> memref<4xf32> {
  %y = memref.alloc() : memref<4xf32>
  linalg.copy ins(%x : memref<4xf32>) outs(%y : memref<4xf32>)
  return %y : memref<4xf32>
}

// -----

// Dynamic sizes come from the host descriptors; an unused argument is not
// copied; a buffer the body frees is not freed twice.
// CHECK-LABEL: func.func @dynamic
// CHECK-SAME: (%[[X:.*]]: memref<?x3xf32>, %[[U:.*]]: memref<2xf32>)
// CHECK:   %[[C0:.*]] = arith.constant 0 : index
// CHECK:   %[[N:.*]] = memref.dim %[[X]], %[[C0]] : memref<?x3xf32>
// CHECK:   %[[DX:.*]] = gpu.alloc (%[[N]]) : memref<?x3xf32>
// CHECK:   gpu.memcpy %[[DX]], %[[X]]
// CHECK-NOT: %[[U]]
// CHECK:   %[[T:.*]] = gpu.alloc (%{{.*}}) : memref<?x3xf32>
// CHECK:   %[[Y:.*]] = gpu.alloc (%{{.*}}) : memref<?x3xf32>
// CHECK:   gpu.dealloc %[[T]] : memref<?x3xf32>
// CHECK:   %[[M:.*]] = memref.dim %[[Y]], %{{.*}} : memref<?x3xf32>
// CHECK:   %[[H:.*]] = memref.alloc(%[[M]]) {alignment = 64 : i64} : memref<?x3xf32>
// CHECK:   gpu.memcpy %[[H]], %[[Y]]
// CHECK:   gpu.dealloc %[[DX]]
// CHECK-NOT: gpu.dealloc %[[T]]
// CHECK:   gpu.dealloc %[[Y]]
// CHECK-NOT: gpu.dealloc
// CHECK:   return %[[H]]
func.func @dynamic(%x: memref<?x3xf32>, %unused: memref<2xf32>) -> memref<?x3xf32> {
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : memref<?x3xf32>
  %t = memref.alloc(%n) : memref<?x3xf32>
  linalg.copy ins(%x : memref<?x3xf32>) outs(%t : memref<?x3xf32>)
  %y = memref.alloc(%n) : memref<?x3xf32>
  linalg.copy ins(%t : memref<?x3xf32>) outs(%y : memref<?x3xf32>)
  memref.dealloc %t : memref<?x3xf32>
  return %y : memref<?x3xf32>
}

// -----

// Constants (memref.get_global) are copied to the GPU too.
memref.global "private" constant @w : memref<2xf32> = dense<[1.0, 2.0]>
// CHECK-LABEL: func.func @global
// CHECK:   %[[G:.*]] = memref.get_global @w : memref<2xf32>
// CHECK:   %[[DG:.*]] = gpu.alloc () : memref<2xf32>
// CHECK:   gpu.memcpy %[[DG]], %[[G]]
// CHECK:   linalg.copy ins(%[[DG]] : memref<2xf32>)
// CHECK:   gpu.dealloc %[[DG]]
func.func @global() -> memref<2xf32> {
  %g = memref.get_global @w : memref<2xf32>
  %y = memref.alloc() : memref<2xf32>
  linalg.copy ins(%g : memref<2xf32>) outs(%y : memref<2xf32>)
  return %y : memref<2xf32>
}

// -----

func.func @nested(%x: memref<4xf32>, %c: i1) {
  scf.if %c {
    // expected-error @+1 {{flow-gpu-stage-buffers: buffers must be created and freed in the function's top-level block}}
    %y = memref.alloc() : memref<4xf32>
    linalg.copy ins(%x : memref<4xf32>) outs(%y : memref<4xf32>)
  }
  return
}

// -----

func.func @alloca(%x: memref<4xf32>) {
  // expected-error @+1 {{flow-gpu-stage-buffers: memref.alloca is not supported}}
  %y = memref.alloca() : memref<4xf32>
  linalg.copy ins(%x : memref<4xf32>) outs(%y : memref<4xf32>)
  return
}

// -----

// expected-error @+1 {{flow-gpu-stage-buffers: argument 0 has type 'memref<4xf32, strided<[2]>>'; expected a ranked memref with the identity layout}}
func.func @strided(%x: memref<4xf32, strided<[2]>>) {
  return
}

// -----

func.func private @callee(memref<4xf32>)
func.func @call(%x: memref<4xf32>) {
  // expected-error @+1 {{flow-gpu-stage-buffers: calls passing memrefs are not supported (inline the callee)}}
  func.call @callee(%x) : (memref<4xf32>) -> ()
  return
}
