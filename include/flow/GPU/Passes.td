//===- Passes.td - Passes of the CUDA back end -------------*- tablegen -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_GPU_PASSES_TD
#define FLOW_GPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def FlowGpuStageBuffers : Pass<"flow-gpu-stage-buffers", "func::FuncOp"> {
  let summary = "Keep a function's buffers in GPU memory; copy arguments in "
                "and results out";
  let description = [{
    Runs on bufferized functions whose signature uses host memrefs (what a
    caller passes and receives) and makes every buffer the body works on a
    GPU buffer:

    - each used memref argument is copied into a `gpu.alloc`ed buffer at
      entry (`gpu.memcpy`), and the body uses the copy;
    - each `memref.alloc` becomes a `gpu.alloc`, each `memref.get_global` is
      copied into one, and each `memref.dealloc` becomes a `gpu.dealloc`;
    - each returned memref is copied (`gpu.memcpy`) into a fresh host
      `memref.alloc`, which the function returns;
    - all GPU buffers still live are freed (`gpu.dealloc`) before the return.

    The function type does not change. Buffers must be created in the body's
    top-level block (the structured code one-shot-bufferize produces); an
    allocation inside a region, a `memref.alloca`, an unranked or
    non-identity-layout argument or result, or a call passing memrefs is
    reported as an error rather than staged wrongly.

    Example:

    ```mlir
    func.func @f(%x: memref<4xf32>) -> memref<4xf32> {
      %y = memref.alloc() : memref<4xf32>
      linalg.copy ins(%x : memref<4xf32>) outs(%y : memref<4xf32>)
      return %y : memref<4xf32>
    }
    ```

    becomes

    ```mlir
    func.func @f(%x: memref<4xf32>) -> memref<4xf32> {
      %dx = gpu.alloc () : memref<4xf32>
      gpu.memcpy %dx, %x : memref<4xf32>, memref<4xf32>
      %y = gpu.alloc () : memref<4xf32>
      linalg.copy ins(%dx : memref<4xf32>) outs(%y : memref<4xf32>)
      %h = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
      gpu.memcpy %h, %y : memref<4xf32>, memref<4xf32>
      gpu.dealloc %dx : memref<4xf32>
      gpu.dealloc %y : memref<4xf32>
      return %h : memref<4xf32>
    }
    ```
  }];
  let dependentDialects = ["gpu::GPUDialect", "memref::MemRefDialect"];
}

def FlowLinalgToGpuLoops : Pass<"flow-linalg-to-gpu-loops", "func::FuncOp"> {
  let summary = "Lower linalg ops on buffers to scf.parallel loops mapped to "
                "GPU blocks and threads";
  let description = [{
    Rewrites every linalg op with buffer semantics into a two-level
    `scf.parallel` nest ready for `convert-parallel-loops-to-gpu`:

    - the op's parallel dimensions are flattened into one index space
      (row-major, so the innermost dimension varies fastest across
      neighbouring threads and their accesses coalesce);
    - that space is tiled by `block-size`: the outer loop over tiles is
      mapped to `block_x` (the grid), the inner loop over one tile to
      `thread_x` (the block), and an `scf.if` guards the partial last tile;
    - each thread recovers its parallel indices (`arith.divui`/`remui`),
      runs the reduction dimensions as a sequential `scf.for` nest that
      keeps the partial results in registers (`iter_args`), and stores each
      output element once.

    With `register-tile=N` (N > 1), a thread of a reduction computes up to N
    outputs: up to two static parallel dimensions that some input ignores
    (for a convolution: output channels, ignored by the image, and the
    innermost output column, ignored by the weight) are split into strided
    parts (the thread with base index j takes j, j + span, ...), the
    accumulators of all points are `iter_args` of the one reduction nest, and
    each input element is loaded once per thread and reused by every point
    that reads it. Factors are powers of two chosen so that at least
    `min-threads` threads remain, at most 1/8 of the points are padding
    (padding points compute on the last index and do not store) and the
    tile has at most 1/8 as many points as the reduction has steps; among
    those, the tile with the fewest loads per output wins. Dynamic loop nests
    keep one output per thread.

    Every output element is written by exactly one thread, so no atomics are
    needed. Afterwards no op may read or write memory on the host outside
    such a nest; one that does is reported (the buffers live on the GPU).

    Example: `linalg.generic` over `(n, c, h, w)` (parallel) and `k`
    (reduction) becomes

    ```mlir
    scf.parallel (%b) = (%c0) to (%blocks) step (%c1) {
      scf.parallel (%t) = (%c0) to (%c256) step (%c1) {
        %i = ... %b * 256 + %t
        scf.if %i < %total {
          // n, c, h, w from %i
          %acc = memref.load %out[...]
          %r = scf.for %k = ... iter_args(%a = %acc) -> (f32) { ... }
          memref.store %r, %out[...]
        }
      } {mapping = [#gpu.loop_dim_map<processor = thread_x, ...>]}
    } {mapping = [#gpu.loop_dim_map<processor = block_x, ...>]}
    ```
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads per block (1 to 1024)">,
    Option<"contract", "contract", "bool", /*default=*/"true",
           "Mark the payload's float arithmetic `contract`, so that a "
           "multiply feeding an add may become one FMA (nvcc's default)">,
    Option<"registerTile", "register-tile", "int64_t", /*default=*/"1",
           "Most outputs one thread of a reduction computes (1: one per "
           "thread)">,
    Option<"minThreads", "min-threads", "int64_t", /*default=*/"65536",
           "Fewest threads the register tile may leave for one op">,
  ];
  let dependentDialects = ["affine::AffineDialect", "arith::ArithDialect",
                           "gpu::GPUDialect", "memref::MemRefDialect",
                           "scf::SCFDialect"];
}

#endif // FLOW_GPU_PASSES_TD
