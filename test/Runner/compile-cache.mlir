// The persistent compile cache: a second process loads the compiled object
// instead of compiling; a bad entry is reported, ignored and rebuilt; an
// unusable directory means no cache; a size cap evicts entries.
// RUN: rm -rf %t && mkdir -p %t

// First run compiles and stores; the second loads (no "stored" line).
// RUN: env FLOW_CACHE_DIR=%t/c FLOW_CACHE_DEBUG=1 flow-runner %s --print 2>&1 | FileCheck %s --check-prefixes=MISS,OUT
// RUN: env FLOW_CACHE_DIR=%t/c FLOW_CACHE_DEBUG=1 flow-runner %s --print 2>&1 | FileCheck %s --check-prefixes=HIT,OUT
// MISS: flow-mlir cache: miss [[KEY:[0-9a-f]+]]
// MISS-NEXT: flow-mlir cache: stored [[KEY]]
// HIT: flow-mlir cache: hit
// HIT-NOT: stored
// RUN: ls %t/c | FileCheck %s --check-prefix=ONE
// ONE-COUNT-1: .flowcache
// ONE-NOT: .flowcache

// --no-cache and FLOW_CACHE_DIR=off neither read nor write.
// RUN: env FLOW_CACHE_DIR=%t/c FLOW_CACHE_DEBUG=1 flow-runner --no-cache %s --print 2>&1 | FileCheck %s --check-prefixes=NONE,OUT
// RUN: env FLOW_CACHE_DIR=off FLOW_CACHE_DEBUG=1 flow-runner %s --print 2>&1 | FileCheck %s --check-prefixes=NONE,OUT
// NONE-NOT: flow-mlir cache

// A corrupt payload (checksum), a truncated file and another key's entry
// are each reported once, recompiled (correct results) and replaced.
// RUN: for f in %t/c/*.flowcache; do printf 'XXXX' | dd of=$f bs=1 seek=300 conv=notrunc 2>/dev/null; done
// RUN: env FLOW_CACHE_DIR=%t/c flow-runner %s --print 2>&1 | FileCheck %s --check-prefixes=CORRUPT,OUT
// CORRUPT: flow-mlir: warning: ignoring compile-cache entry {{.*}}.flowcache (checksum mismatch); recompiling
// CORRUPT-NOT: warning
// RUN: env FLOW_CACHE_DIR=%t/c FLOW_CACHE_DEBUG=1 flow-runner %s --print 2>&1 | FileCheck %s --check-prefixes=HIT,OUT
// RUN: for f in %t/c/*.flowcache; do truncate -s 1000 $f; done
// RUN: env FLOW_CACHE_DIR=%t/c flow-runner %s --print 2>&1 | FileCheck %s --check-prefixes=TRUNC,OUT
// TRUNC: warning: ignoring compile-cache entry {{.*}} (truncated payload); recompiling
// RUN: for f in %t/c/*.flowcache; do truncate -s 20 $f; done
// RUN: env FLOW_CACHE_DIR=%t/c flow-runner %s --print 2>&1 | FileCheck %s --check-prefixes=HEADER,OUT
// HEADER: warning: ignoring compile-cache entry {{.*}} (truncated header); recompiling
// RUN: env FLOW_CACHE_DIR=%t/other flow-runner %s -e other --print
// RUN: for f in %t/c/*.flowcache; do cp %t/other/*.flowcache $f; done
// RUN: env FLOW_CACHE_DIR=%t/c flow-runner %s --print 2>&1 | FileCheck %s --check-prefixes=FOREIGN,OUT
// FOREIGN: warning: ignoring compile-cache entry {{.*}} (entry of another key); recompiling
// RUN: for f in %t/c/*.flowcache; do head -c 200 %s > $f; done
// RUN: env FLOW_CACHE_DIR=%t/c flow-runner %s --print 2>&1 | FileCheck %s --check-prefixes=MAGIC,OUT
// MAGIC: warning: ignoring compile-cache entry {{.*}} (not a flow-mlir cache entry of this version); recompiling

// An entry that cannot be read (here a directory) is reported; the run works
// and the cache stays usable for other keys.
// RUN: rm -rf %t/c && mkdir -p %t/c && env FLOW_CACHE_DIR=%t/c flow-runner %s --print > /dev/null
// RUN: for f in %t/c/*.flowcache; do rm $f && mkdir $f; done
// RUN: env FLOW_CACHE_DIR=%t/c flow-runner %s --print 2>&1 | FileCheck %s --check-prefixes=UNREADABLE,OUT
// UNREADABLE: warning: ignoring compile-cache entry {{.*}} (cannot read it: {{.*}}); recompiling

// A directory that cannot be created means no cache, silently.
// RUN: touch %t/file
// RUN: env FLOW_CACHE_DIR=%t/file/sub flow-runner %s --print 2>&1 | FileCheck %s --check-prefixes=NOWARN,OUT
// RUN: env FLOW_CACHE_DIR=%t/file/sub FLOW_CACHE_DEBUG=1 flow-runner %s --print 2>&1 | FileCheck %s --check-prefix=NOTSTORED
// NOWARN-NOT: warning
// NOTSTORED: flow-mlir cache: not stored

// Two processes compiling the same key at once both succeed.
// RUN: rm -rf %t/c
// RUN: env FLOW_CACHE_DIR=%t/c flow-runner %s --print > %t/a.txt 2>&1 & env FLOW_CACHE_DIR=%t/c flow-runner %s --print > %t/b.txt 2>&1; wait
// RUN: FileCheck %s --check-prefixes=NOWARN,OUT < %t/a.txt
// RUN: FileCheck %s --check-prefixes=NOWARN,OUT < %t/b.txt
// RUN: ls %t/c | FileCheck %s --check-prefix=ONE

// A cap below one entry's size: storing evicts the oldest entries.
// RUN: env FLOW_CACHE_DIR=%t/c FLOW_CACHE_MAX_BYTES=1 FLOW_CACHE_DEBUG=1 flow-runner %s -e other --print 2>&1 | FileCheck %s --check-prefix=EVICT
// EVICT: flow-mlir cache: stored
// EVICT: flow-mlir cache: evicted
// RUN: ls %t/c | count 0

// The result (checked after the messages above, which come first).
// OUT: result 0: tensor<1x1x3x3xf32> shape (1, 1, 3, 3)
// OUT-NEXT: {{\[\[\[\[}}1, 3, 2],
// OUT-NEXT: [4, 10, 6],
// OUT-NEXT: [3, 7, 4]]]]

func.func @main() -> tensor<1x1x3x3xf32> {
  %x = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf32>
  %w = arith.constant dense<1.0> : tensor<1x1x2x2xf32>
  %y = flow.conv_transpose2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}

func.func @other() -> tensor<1x1x3x3xf32> {
  %x = arith.constant dense<2.0> : tensor<1x1x2x2xf32>
  %w = arith.constant dense<1.0> : tensor<1x1x2x2xf32>
  %y = flow.conv_transpose2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}
