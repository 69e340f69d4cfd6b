// Buffers that cannot be allocated give one clear error line and exit code 1
// (no abort, no OOM kill, no output file): the JIT checks the sizes it can
// compute before the call (static results, conv_transpose2d outputs of
// argument inputs), and its memory guard refuses any other allocation over
// the limit (the machine's memory, or FLOW_JIT_MEMORY_LIMIT) during the call.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; [np.save('%t/x%%d.npy' %% n, np.ones((1, 1, n, n), np.float32)) for n in (1, 2, 100)]; np.save('%t/w.npy', np.ones((1, 1, 2, 2), np.float32))"

// About 1e12 elements, static: refused before the call.
// RUN: not flow-runner %s -e static_huge --random-inputs --output=%t/o.npy 2>&1 | FileCheck %s --check-prefix=STATIC
// STATIC: flow-runner: error: result 0 of @static_huge of shape (1, 1, 1000002, 1000002) needs 3.6 TiB (4000016000016 bytes), more than the memory limit of {{.*}} (this machine's memory; FLOW_JIT_MEMORY_LIMIT sets another)
// RUN: not flow-runner %s -e static_huge --random-inputs 2>&1 | count 1

// The same with dynamic shapes: the conv output is computed from the input.
// RUN: not flow-runner %s -e dynamic_huge --input=%t/x2.npy --input=%t/w.npy --output=%t/o.npy 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// DYNAMIC: flow-runner: error: @dynamic_huge: the conv_transpose2d output of shape (1, 1, 1000002, 1000002) needs 3.6 TiB (4000016000016 bytes), more than the memory limit of

// More elements than int64 can count (the JIT code's size arithmetic would
// wrap around to a small buffer).
// RUN: not flow-runner %s -e overflow --input=%t/x2.npy --input=%t/w.npy 2>&1 | FileCheck %s --check-prefix=OVERFLOW
// OVERFLOW: flow-runner: error: @overflow: the conv_transpose2d output of shape (1, 1, 2147483649, 2147483649) has more bytes than int64 can count

// Dynamic dims that make the output smaller than 1 (the verifier's rule for
// static ones).
// RUN: not flow-runner %s -e negative --input=%t/x1.npy --input=%t/w.npy 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// NEGATIVE: flow-runner: error: @negative: conv_transpose2d on an input of shape (1, 1, 1, 1): output height would be -4 (must be >= 1): input 1, kernel 2, stride 1, padding 3, output_padding 0, dilation 1

// A buffer whose size only the call knows (the second conv's output), over a
// 1 MiB limit: the memory guard ends the call.
// RUN: env FLOW_JIT_MEMORY_LIMIT=1048576 not flow-runner %s -e chain --input=%t/x100.npy --input=%t/w.npy --output=%t/o.npy 2>&1 | FileCheck %s --check-prefix=GUARD
// GUARD: flow-runner: error: @chain needs a buffer of 2.5 MiB ({{[0-9]+}} bytes) besides the {{.*}} it holds, more than the memory limit of 1.0 MiB (1048576 bytes) (FLOW_JIT_MEMORY_LIMIT)
// RUN: env FLOW_JIT_MEMORY_LIMIT=1048576 not flow-runner %s -e chain --input=%t/x100.npy --input=%t/w.npy 2>&1 | count 1
// Without the limit it runs, and small inputs run under it.
// RUN: flow-runner %s -e chain --input=%t/x100.npy --input=%t/w.npy --output=%t/big.npy
// RUN: env FLOW_JIT_MEMORY_LIMIT=1048576 flow-runner %s -e chain --input=%t/x2.npy --input=%t/w.npy --print | FileCheck %s --check-prefix=SMALL
// SMALL: result 0: tensor<?x1x?x?xf32> shape (1, 1, 18, 18)
// RUN: %python -c "import numpy as np; assert np.load('%t/big.npy').shape == (1, 1, 802, 802)"

// A limit that is not a positive number of bytes is an error naming it,
// not silently the machine's memory.
// RUN: env FLOW_JIT_MEMORY_LIMIT=abc not flow-runner %s -e chain --input=%t/x2.npy --input=%t/w.npy --output=%t/o.npy 2>&1 | FileCheck %s --check-prefix=BADLIMIT
// BADLIMIT: flow-runner: error: FLOW_JIT_MEMORY_LIMIT='abc' is not a memory limit (a positive number of bytes, e.g. 1073741824)
// RUN: env FLOW_JIT_MEMORY_LIMIT=-1 not flow-runner %s -e chain --input=%t/x2.npy --input=%t/w.npy 2>&1 | FileCheck %s --check-prefix=BADLIMIT2
// BADLIMIT2: flow-runner: error: FLOW_JIT_MEMORY_LIMIT='-1' is not a memory limit
// RUN: env FLOW_JIT_MEMORY_LIMIT=1GB not flow-runner %s -e chain --input=%t/x2.npy --input=%t/w.npy 2>&1 | FileCheck %s --check-prefix=BADLIMIT3
// BADLIMIT3: flow-runner: error: FLOW_JIT_MEMORY_LIMIT='1GB' is not a memory limit
// RUN: env FLOW_JIT_MEMORY_LIMIT=0 not flow-runner %s -e chain --input=%t/x2.npy --input=%t/w.npy 2>&1 | FileCheck %s --check-prefix=BADLIMIT4
// BADLIMIT4: flow-runner: error: FLOW_JIT_MEMORY_LIMIT='0' is not a memory limit

// None of the failures left an output file behind.
// RUN: not ls %t/o.npy

func.func @static_huge(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<1x1x1000002x1000002xf32> {
  %y = flow.conv_transpose2d %x, %w {dilation = array<i64: 1000000, 1000000>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x1000002x1000002xf32>
  return %y : tensor<1x1x1000002x1000002xf32>
}

func.func @dynamic_huge(%x: tensor<?x1x?x?xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<?x1x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w {dilation = array<i64: 1000000, 1000000>} : (tensor<?x1x?x?xf32>, tensor<1x1x2x2xf32>) -> tensor<?x1x?x?xf32>
  return %y : tensor<?x1x?x?xf32>
}

func.func @overflow(%x: tensor<?x1x?x?xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<?x1x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w {dilation = array<i64: 2147483647, 2147483647>} : (tensor<?x1x?x?xf32>, tensor<1x1x2x2xf32>) -> tensor<?x1x?x?xf32>
  return %y : tensor<?x1x?x?xf32>
}

func.func @negative(%x: tensor<?x1x?x?xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<?x1x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w {padding = array<i64: 3, 3>} : (tensor<?x1x?x?xf32>, tensor<1x1x2x2xf32>) -> tensor<?x1x?x?xf32>
  return %y : tensor<?x1x?x?xf32>
}

func.func @chain(%x: tensor<?x1x?x?xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<?x1x?x?xf32> {
  %a = flow.conv_transpose2d %x, %w : (tensor<?x1x?x?xf32>, tensor<1x1x2x2xf32>) -> tensor<?x1x?x?xf32>
  %b = flow.conv_transpose2d %a, %w {stride = array<i64: 8, 8>} : (tensor<?x1x?x?xf32>, tensor<1x1x2x2xf32>) -> tensor<?x1x?x?xf32>
  return %b : tensor<?x1x?x?xf32>
}
