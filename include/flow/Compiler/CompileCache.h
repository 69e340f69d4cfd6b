//===- CompileCache.h - Compiled code kept on disk --------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// A persistent cache of compiled code, shared by the processes of one user:
// one file per key in a directory, each with a header (magic, key, payload
// size, checksum) so that a truncated, corrupt or foreign file is detected.
// The cache is only an optimisation and never the reason a compilation
// fails: a bad entry is ignored with a one-line warning (and recompiled by
// the caller), a directory that cannot be created or written means "no
// cache", and entries are written to a temporary file renamed into place, so
// that processes storing the same key at once all succeed.
//
// Configuration, read from the environment at each use:
//  - FLOW_CACHE_DIR: the directory, or "off"; else $XDG_CACHE_HOME/flow-mlir,
//    else $HOME/.cache/flow-mlir;
//  - FLOW_CACHE_MAX_BYTES: the size cap (default 512 MiB); storing an entry
//    removes the least recently used ones above it;
//  - FLOW_CACHE_DEBUG=1: one line on stderr per lookup and store.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_COMPILER_COMPILECACHE_H
#define FLOW_COMPILER_COMPILECACHE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir::flow {

/// What this process did with the cache (counters for tests and tools).
struct CompileCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t stores = 0;
  /// Entries found but ignored: unreadable, truncated, corrupt or foreign.
  uint64_t rejected = 0;
  uint64_t evictions = 0;
};

namespace compile_cache {

/// Turns the cache off (or back on) for this process, whatever the
/// environment says. On by default.
void setEnabled(bool enabled);

/// The directory in use, or nothing when the cache is off.
std::optional<std::string> directory();

/// The size cap in bytes.
uint64_t maxBytes();

/// A key (64 hex digits) for `parts`, combined with this build of flow-mlir
/// (buildIdentity()). Callers include everything the compiled code depends
/// on: the source, the options and the target.
std::string makeKey(llvm::ArrayRef<llvm::StringRef> parts);

/// The payload stored under `key` when the cache is on and holds a valid
/// entry for it. An invalid entry is reported (one line on stderr) and
/// removed.
std::optional<std::string> load(llvm::StringRef key);

/// Stores `payload` under `key` when the cache is on; then evicts the least
/// recently used entries above the size cap. Failures are silent.
void store(llvm::StringRef key, llvm::StringRef payload);

/// Reports an entry that load() returned but the caller could not use (it
/// is removed, and counted as rejected).
void reject(llvm::StringRef key, llvm::StringRef why);

CompileCacheStats stats();

/// Identifies this build: a digest of the binary (executable or shared
/// library) that contains flow-mlir's compiler, and the LLVM version.
llvm::StringRef buildIdentity();

/// The host CPU's name and features, as LLVM's JIT compiles for them.
std::string hostIdentity();

} // namespace compile_cache
} // namespace mlir::flow

#endif // FLOW_COMPILER_COMPILECACHE_H
