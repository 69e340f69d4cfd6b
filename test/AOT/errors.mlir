// Hostile input to flow-aot-run (flow-runner's contract, test/Runner/errors.mlir)
// and to flow-compile: one "error:" line and nothing else, exit code 1, no
// output file.
// RUN: rm -rf %t && mkdir -p %t
// RUN: flow-compile %s -o %t/liberr.so
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.ones((1, 2, 3, 3), np.float32)); np.save('%t/w.npy', np.ones((2, 1, 2, 2), np.float32)); np.save('%t/x64.npy', np.ones((1, 2, 3, 3))); np.save('%t/xbad.npy', np.ones((1, 2, 4, 3), np.float32)); np.save('%t/xf.npy', np.asfortranarray(np.ones((1, 2, 3, 3), np.float32))); np.save('%t/xi.npy', np.ones((1, 2, 3, 3), np.int32)); open('%t/notnpy.npy', 'wb').write(b'hello world, not numpy'); d = open('%t/x.npy', 'rb').read(); open('%t/trunc.npy', 'wb').write(d[:-5]); open('%t/long.npy', 'wb').write(d + b'1234'); h = bytearray(d); h[8] = 0xff; h[9] = 0x7f; open('%t/hdr.npy', 'wb').write(bytes(h))"

// A valid run writes the output.
// RUN: flow-aot-run %t/liberr.so --input=%t/x.npy --input=%t/w.npy --output=%t/ok.npy
// The output's permissions follow the umask, as for any file a tool writes.
// RUN: (umask 077 && flow-aot-run %t/liberr.so --input=%t/x.npy --input=%t/w.npy --output=%t/mode600.npy)
// RUN: (umask 022 && flow-aot-run %t/liberr.so --input=%t/x.npy --input=%t/w.npy --output=%t/mode644.npy)
// RUN: stat -c '%%a' %t/mode600.npy %t/mode644.npy | FileCheck %s --check-prefix=MODE
// MODE: 600
// MODE-NEXT: 644
// RUN: %python -c "import numpy as np; y = np.load('%t/ok.npy'); assert y.shape == (1, 1, 4, 4) and y[0, 0, 1, 1] == 8, y"

// The same .npy and signature errors as flow-runner, word for word.
// RUN: not flow-aot-run %t/liberr.so --input=%t/missing.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=MISSING --implicit-check-not={{.}}
// MISSING: flow-aot-run: error: {{.*}}missing.npy: cannot open: No such file or directory
// RUN: not flow-aot-run %t/liberr.so --input=%t/trunc.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=TRUNC --implicit-check-not={{.}}
// TRUNC: flow-aot-run: error: {{.*}}trunc.npy: truncated .npy data: expected 72 bytes, found 67
// RUN: not flow-aot-run %t/liberr.so --input=%t/long.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=LONG --implicit-check-not={{.}}
// LONG: flow-aot-run: error: {{.*}}long.npy: trailing bytes after the .npy data (expected 72 bytes, found 76)
// RUN: not flow-aot-run %t/liberr.so --input=%t/notnpy.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=MAGIC --implicit-check-not={{.}}
// MAGIC: flow-aot-run: error: {{.*}}notnpy.npy: not a .npy file (bad magic string)
// RUN: not flow-aot-run %t/liberr.so --input=%t/hdr.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=HDR --implicit-check-not={{.}}
// HDR: flow-aot-run: error: {{.*}}hdr.npy: truncated .npy header
// RUN: not flow-aot-run %t/liberr.so --input=%t/xi.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=INT --implicit-check-not={{.}}
// INT: flow-aot-run: error: {{.*}}xi.npy: unsupported dtype '<i4' (expected little-endian float16, float32 or float64)
// RUN: not flow-aot-run %t/liberr.so --input=%t/xf.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN --implicit-check-not={{.}}
// FORTRAN: flow-aot-run: error: {{.*}}xf.npy: Fortran-ordered arrays are not supported; save a C-contiguous array
// RUN: not flow-aot-run %t/liberr.so --input=%t/x64.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=DTYPE --implicit-check-not={{.}}
// DTYPE: flow-aot-run: error: argument 0: expected dtype float32 (tensor<1x2x3x3xf32>), got float64
// RUN: not flow-aot-run %t/liberr.so --input=%t/xbad.npy --input=%t/w.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=SHAPE --implicit-check-not={{.}}
// SHAPE: flow-aot-run: error: argument 0: expected shape (1, 2, 3, 3) (tensor<1x2x3x3xf32>), got (1, 2, 4, 3)
// RUN: not flow-aot-run %t/liberr.so --input=%t/x.npy --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=COUNT --implicit-check-not={{.}}
// COUNT: flow-aot-run: error: @main takes 2 argument(s), got 1 (pass one --input=FILE.npy per argument, or --random-inputs)
// RUN: not flow-aot-run %t/liberr.so --random-inputs --output=%t/o1.npy --output=%t/o2.npy 2>&1 | FileCheck %s --check-prefix=OUTS --implicit-check-not={{.}}
// OUTS: flow-aot-run: error: 2 --output files given but @main returns 1 result(s)
// RUN: not flow-aot-run %t/liberr.so -e dynamic --random-inputs 2>&1 | FileCheck %s --check-prefix=DYN --implicit-check-not={{.}}
// DYN: flow-aot-run: error: --random-inputs: argument 0 has type tensor<?x2x?x?xf32> with dynamic dims; pass --input files instead
// RUN: not flow-aot-run %t/liberr.so --random-inputs=abc 2>&1 | FileCheck %s --check-prefix=SEED --implicit-check-not={{.}}
// SEED: flow-aot-run: error: --random-inputs: seed 'abc' is not an integer
// RUN: not flow-aot-run %t/liberr.so -e bf16 --random-inputs --output=%t/o1.npy 2>&1 | FileCheck %s --check-prefix=BF16 --implicit-check-not={{.}}
// BF16: flow-aot-run: error: {{.*}}o1.npy: bfloat16 results cannot be written as .npy
// RUN: not flow-aot-run %t/liberr.so --input=%t --input=%t/w.npy 2>&1 | FileCheck %s --check-prefix=DIR --implicit-check-not={{.}}
// DIR: flow-aot-run: error: {{.*}}: is a directory, not a .npy file
// RUN: not flow-aot-run %t/liberr.so --input=%t/x.npy --random-inputs 2>&1 | FileCheck %s --check-prefix=BOTH --implicit-check-not={{.}}
// BOTH: flow-aot-run: error: --input and --random-inputs cannot be combined

// Library errors.
// RUN: not flow-aot-run %t/nosuch.so --random-inputs 2>&1 | FileCheck %s --check-prefix=NOLIB --implicit-check-not={{.}}
// NOLIB: flow-aot-run: error: {{.*}}nosuch.so: cannot open: No such file or directory
// RUN: not flow-aot-run %t/x.npy --random-inputs 2>&1 | FileCheck %s --check-prefix=NOTELF --implicit-check-not={{.}}
// NOTELF: flow-aot-run: error: {{.*}}x.npy: cannot load: {{.*}}
// RUN: not flow-aot-run %t --random-inputs 2>&1 | FileCheck %s --check-prefix=LIBDIR --implicit-check-not={{.}}
// LIBDIR: flow-aot-run: error: {{.*}}: is a directory, not a library
// RUN: cp /lib/x86_64-linux-gnu/libm.so.6 %t/libm-copy.so
// RUN: not flow-aot-run %t/libm-copy.so 2>&1 | FileCheck %s --check-prefix=FOREIGN --implicit-check-not={{.}}
// FOREIGN: flow-aot-run: error: {{.*}}libm-copy.so: not a flow-compile library (no flow_aot_manifest)
// RUN: not flow-aot-run %t/liberr.so -e nosuch --random-inputs 2>&1 | FileCheck %s --check-prefix=ENTRY --implicit-check-not={{.}}
// ENTRY: flow-aot-run: error: {{.*}}liberr.so: no entry 'nosuch' (entries: main, dynamic, bf16, two)
// RUN: not flow-aot-run --random-inputs 2>&1 | FileCheck %s --check-prefix=NOARG --implicit-check-not={{.}}
// NOARG: flow-aot-run: error: no library given (usage: flow-aot-run LIB [options])
// RUN: not flow-aot-run %t/liberr.so --bogus 2>&1 | FileCheck %s --check-prefix=OPT --implicit-check-not={{.}}
// OPT: flow-aot-run: error: unknown option '--bogus' (see --help)
// RUN: not flow-aot-run %t/liberr.so --benchmark=-3 --random-inputs 2>&1 | FileCheck %s --check-prefix=BENCH --implicit-check-not={{.}}
// BENCH: flow-aot-run: error: --benchmark: '-3' is not a run count

// A failure while writing the second output leaves no first output either.
// RUN: not flow-aot-run %t/liberr.so -e two --random-inputs --output=%t/first.npy --output=%t/nodir/second.npy 2>&1 | FileCheck %s --check-prefix=WRITE --implicit-check-not={{.}}
// WRITE: flow-aot-run: error: {{.*}}nodir/second.npy: cannot create: No such file or directory
// RUN: not ls %t/first.npy

// flow-compile: one error line, no library and no header.
// RUN: not flow-compile %s --target=tpu -o %t/libbad.so 2>&1 | FileCheck %s --check-prefix=CTARGET --implicit-check-not={{.}}
// CTARGET: flow-compile: error: unknown target 'tpu' (expected cpu or cuda)
// RUN: not flow-compile %s --mcpu=pentium9 -o %t/libbad.so 2>&1 | FileCheck %s --check-prefix=CCPU --implicit-check-not={{.}}
// CCPU: flow-compile: error: unknown CPU 'pentium9' (use an LLVM CPU name such as x86-64-v3, skylake-avx512, znver4, or host)
// RUN: not flow-compile %s -e nosuch -o %t/libbad.so 2>&1 | FileCheck %s --check-prefix=CENTRY --implicit-check-not={{.}}
// CENTRY: flow-compile: error: {{.*}}errors.mlir: no function 'nosuch' with a body in the module (functions: @main, @dynamic, @bf16, @two, @scalar, @odd name)
// RUN: not flow-compile %s -e scalar -o %t/libbad.so 2>&1 | FileCheck %s --check-prefix=CTYPE --implicit-check-not={{.}}
// CTYPE: flow-compile: error: argument 0 of @scalar has type f32; entry functions take and return ranked tensors of f16, bf16, f32 or f64
// RUN: not flow-compile %s -o %t/lib-bad.so 2>&1 | FileCheck %s --check-prefix=CPREFIX --implicit-check-not={{.}}
// CPREFIX: flow-compile: error: prefix '-bad' is not a C identifier; choose one with --prefix
// RUN: not flow-compile %s -e 'odd name' -o %t/libbad.so 2>&1 | FileCheck %s --check-prefix=CNAME --implicit-check-not={{.}}
// CNAME: flow-compile: error: entry @"odd name": only names made of letters, digits and _$.- can be exported
// RUN: not flow-compile %t/nosuch.mlir -o %t/libbad.so 2>&1 | FileCheck %s --check-prefix=CFILE --implicit-check-not={{.}}
// CFILE: flow-compile: error: {{.*}}nosuch.mlir: cannot open: No such file or directory
// RUN: not flow-compile %s -e main -o %t/nodir/libbad.so 2>&1 | FileCheck %s --check-prefix=CWRITE
// CWRITE: flow-compile: error:
// RUN: not ls %t/libbad.so %t/libbad.h %t/lib-bad.so %t/lib-bad.h

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

func.func @bf16(%x: tensor<1x1x2x2xbf16>, %w: tensor<1x1x2x2xbf16>) -> tensor<1x1x3x3xbf16> {
  %y = flow.conv_transpose2d %x, %w : (tensor<1x1x2x2xbf16>, tensor<1x1x2x2xbf16>) -> tensor<1x1x3x3xbf16>
  return %y : tensor<1x1x3x3xbf16>
}

func.func @two(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x2x2xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>) {
  %y = flow.conv_transpose2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32>
  return %y, %x : tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>
}

func.func private @scalar(%a: f32) -> f32 {
  return %a : f32
}

func.func private @"odd name"(%a: tensor<1xf32>) -> tensor<1xf32> {
  return %a : tensor<1xf32>
}
