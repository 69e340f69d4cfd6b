// Hostile input to flow-runner: one "flow-runner: error:" line, exit code 1,
// and no output file.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.ones((1, 2, 3, 3), np.float32)); np.save('%t/w.npy', np.ones((2, 1, 2, 2), np.float32)); np.save('%t/x64.npy', np.ones((1, 2, 3, 3))); np.save('%t/xbad.npy', np.ones((1, 2, 4, 3), np.float32)); np.save('%t/xf.npy', np.asfortranarray(np.ones((1, 2, 3, 3), np.float32))); np.save('%t/xi.npy', np.ones((1, 2, 3, 3), np.int32)); open('%t/notnpy.npy', 'wb').write(b'hello world, not numpy'); d = open('%t/x.npy', 'rb').read(); open('%t/trunc.npy', 'wb').write(d[:-5]); open('%t/long.npy', 'wb').write(d + b'1234'); h = bytearray(d); h[8] = 0xff; h[9] = 0x7f; open('%t/hdr.npy', 'wb').write(bytes(h))"

// A valid run writes the output.
// RUN: flow-runner %s --input=%t/x.npy --input=%t/w.npy --output=%t/ok.npy
// The output's permissions follow the umask, as for any file a tool writes.
// RUN: (umask 077 && flow-runner %s --input=%t/x.npy --input=%t/w.npy --output=%t/mode600.npy)
// RUN: (umask 022 && flow-runner %s --input=%t/x.npy --input=%t/w.npy --output=%t/mode644.npy)
// RUN: stat -c '%%a' %t/mode600.npy %t/mode644.npy | FileCheck %s --check-prefix=MODE
// MODE: 600
// MODE-NEXT: 644
// RUN: %python -c "import numpy as np; y = np.load('%t/ok.npy'); assert y.shape == (1, 1, 4, 4) and y[0, 0, 1, 1] == 8, y"

// RUN: not flow-runner %s --input=%t/missing.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: flow-runner: error: {{.*}}missing.npy: cannot open: No such file or directory
// RUN: not flow-runner %s --input=%t/trunc.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=TRUNC
// TRUNC: flow-runner: error: {{.*}}trunc.npy: truncated .npy data: expected 72 bytes, found 67
// RUN: not flow-runner %s --input=%t/long.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=LONG
// LONG: flow-runner: error: {{.*}}long.npy: trailing bytes after the .npy data (expected 72 bytes, found 76)
// RUN: not flow-runner %s --input=%t/notnpy.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=MAGIC
// MAGIC: flow-runner: error: {{.*}}notnpy.npy: not a .npy file (bad magic string)
// RUN: not flow-runner %s --input=%t/hdr.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=HDR
// HDR: flow-runner: error: {{.*}}hdr.npy: truncated .npy header
// RUN: not flow-runner %s --input=%t/xi.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=INT
// INT: flow-runner: error: {{.*}}xi.npy: unsupported dtype '<i4' (expected little-endian float16, float32 or float64)
// RUN: not flow-runner %s --input=%t/xf.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN
// FORTRAN: flow-runner: error: {{.*}}xf.npy: Fortran-ordered arrays are not supported
// RUN: not flow-runner %s --input=%t/x64.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: flow-runner: error: argument 0: expected dtype float32 (tensor<1x2x3x3xf32>), got float64
// RUN: not flow-runner %s --input=%t/xbad.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: flow-runner: error: argument 0: expected shape (1, 2, 3, 3) (tensor<1x2x3x3xf32>), got (1, 2, 4, 3)
// RUN: not flow-runner %s --input=%t/x.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=COUNT --implicit-check-not={{.}}
// COUNT: flow-runner: error: @main takes 2 argument(s), got 1 (pass one --input=FILE.npy per argument, or --random-inputs)
// RUN: not flow-runner %s --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=NOINPUT --implicit-check-not={{.}}
// NOINPUT: flow-runner: error: @main takes 2 argument(s), got 0 (pass one --input=FILE.npy per argument, or --random-inputs)
// RUN: not flow-runner %s -e nosuch --input=%t/x.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=ENTRY --implicit-check-not={{.}}
// ENTRY: flow-runner: error: {{.*}}errors.mlir: no function 'nosuch' with a body in the module (functions: @main, @dynamic, @bf16)
// RUN: not flow-runner %s --target=tpu --random-inputs 2>&1 | FileCheck %s --check-prefix=TARGET
// TARGET: flow-runner: error: unknown target 'tpu' (expected cpu or cuda)
// RUN: not flow-runner %s --random-inputs --output=%t/o1.npy --output=%t/o2.npy 2>&1 | FileCheck %s --check-prefix=OUTS
// OUTS: flow-runner: error: 2 --output files given but @main returns 1 result(s)
// RUN: not flow-runner %s -e dynamic --random-inputs 2>&1 | FileCheck %s --check-prefix=DYN
// DYN: flow-runner: error: --random-inputs: argument 0 has type tensor<?x2x?x?xf32> with dynamic dims; pass --input files instead
// RUN: not flow-runner %s --random-inputs=abc 2>&1 | FileCheck %s --check-prefix=SEED
// SEED: flow-runner: error: --random-inputs: seed 'abc' is not an integer
// RUN: not flow-runner %t/nosuch.mlir --random-inputs 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: flow-runner: error: {{.*}}nosuch.mlir: cannot open: No such file or directory
// RUN: not flow-runner %s -e bf16 --random-inputs --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=BF16
// BF16: flow-runner: error: {{.*}}o1.npy: bfloat16 results cannot be written as .npy
// RUN: not flow-runner %s --input=%t --input=%t/w.npy 2>&1 | FileCheck %s --check-prefix=DIR
// DIR: flow-runner: error: {{.*}}: is a directory, not a .npy file

// None of the failures left an output file behind.
// RUN: not ls %t/o1.npy %t/o2.npy
// RUN: %python -c "import os, glob; assert not glob.glob('%t/*.tmp-*'), glob.glob('%t/*')"

func.func @main(%x: tensor<1x2x3x3xf32>, %w: tensor<2x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %y = flow.conv_transpose2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}

func.func @dynamic(%x: tensor<?x2x?x?xf32>, %w: tensor<2x1x2x2xf32>) -> tensor<?x1x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w : (tensor<?x2x?x?xf32>, tensor<2x1x2x2xf32>) -> tensor<?x1x?x?xf32>
  return %y : tensor<?x1x?x?xf32>
}

func.func @bf16(%x: tensor<1x2x3x3xbf16>, %w: tensor<2x1x2x2xbf16>) -> tensor<1x1x4x4xbf16> {
  %y = flow.conv_transpose2d %x, %w : (tensor<1x2x3x3xbf16>, tensor<2x1x2x2xbf16>) -> tensor<1x1x4x4xbf16>
  return %y : tensor<1x1x4x4xbf16>
}
