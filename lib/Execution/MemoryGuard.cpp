//===- MemoryGuard.cpp - Bounded, recoverable JIT allocations -------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Execution/MemoryGuard.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <csetjmp>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <unistd.h>

using namespace mlir::flow;

static uint64_t physicalMemory() {
  long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
  uint64_t bytes = pages > 0 && size > 0 ? uint64_t(pages) * uint64_t(size)
                                         : UINT64_MAX;
  // A container's limit (cgroup v2, then v1) when it is smaller.
  for (const char *path : {"/sys/fs/cgroup/memory.max",
                           "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    std::ifstream in(path);
    unsigned long long limit;
    if (in >> limit && limit > 0 && limit < bytes)
      bytes = limit;
  }
  return bytes;
}

llvm::Expected<uint64_t> mlir::flow::jitMemoryLimit() {
  if (const char *env = std::getenv("FLOW_JIT_MEMORY_LIMIT"); env && *env) {
    // Decimal digits only: strtoull would take "-1", " 5" or "12abc".
    uint64_t bytes = 0;
    llvm::StringRef text(env);
    if (text.find_first_not_of("0123456789") != llvm::StringRef::npos ||
        text.getAsInteger(10, bytes) || bytes == 0)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "FLOW_JIT_MEMORY_LIMIT='" + text +
              "' is not a memory limit (a positive number of bytes, e.g. "
              "1073741824)");
    return bytes;
  }
  static const uint64_t physical = physicalMemory();
  return physical;
}

std::string mlir::flow::memoryLimitText(uint64_t limit) {
  const char *env = std::getenv("FLOW_JIT_MEMORY_LIMIT");
  return formatBytes(limit) +
         (env && *env ? " (FLOW_JIT_MEMORY_LIMIT)"
                      : " (this machine's memory; FLOW_JIT_MEMORY_LIMIT "
                        "sets another)");
}

std::string mlir::flow::formatBytes(uint64_t bytes) {
  std::string s;
  llvm::raw_string_ostream os(s);
  static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB",
                                      "EiB"};
  double v = static_cast<double>(bytes);
  int unit = -1;
  while (v >= 1024 && unit < 5) {
    v /= 1024;
    ++unit;
  }
  if (unit >= 0)
    os << llvm::format("%.1f ", v) << units[unit] << " (" << bytes
       << " bytes)";
  else
    os << bytes << " bytes";
  return s;
}

namespace {

/// The state of one guarded call, on the thread that makes it.
struct GuardedRun {
  std::jmp_buf exit;
  uint64_t limit = 0;
  uint64_t live = 0;
  /// Live buffers of this call and their sizes.
  llvm::DenseMap<void *, uint64_t> buffers;
  /// The request that ended the call.
  uint64_t refused = 0;
  bool overLimit = false;
};

thread_local GuardedRun *current = nullptr;

/// Ends the current call (never returns) or, on a thread with no guarded
/// call, yields null as malloc would.
void *refuse(uint64_t bytes, bool overLimit) {
  GuardedRun *run = current;
  if (!run)
    return nullptr;
  run->refused = bytes;
  run->overLimit = overLimit;
  std::longjmp(run->exit, 1);
}

/// Whether a new buffer of `bytes` fits under the limit.
bool admit(GuardedRun *run, uint64_t bytes) {
  return !run || (bytes <= run->limit && run->live <= run->limit - bytes);
}

void track(GuardedRun *run, void *p, uint64_t bytes) {
  if (run && p) {
    run->buffers[p] = bytes;
    run->live += bytes;
  }
}

void untrack(GuardedRun *run, void *p) {
  if (!run || !p)
    return;
  auto it = run->buffers.find(p);
  if (it == run->buffers.end())
    return;
  run->live -= it->second;
  run->buffers.erase(it);
}

extern "C" void *flowGuardMalloc(uint64_t bytes) {
  GuardedRun *run = current;
  if (!admit(run, bytes))
    return refuse(bytes, true);
  void *p = std::malloc(bytes ? bytes : 1);
  if (!p)
    return refuse(bytes, false);
  track(run, p, bytes);
  return p;
}

extern "C" void *flowGuardCalloc(uint64_t count, uint64_t size) {
  uint64_t bytes;
  if (__builtin_mul_overflow(count, size, &bytes))
    return refuse(UINT64_MAX, true);
  GuardedRun *run = current;
  if (!admit(run, bytes))
    return refuse(bytes, true);
  void *p = std::calloc(bytes ? bytes : 1, 1);
  if (!p)
    return refuse(bytes, false);
  track(run, p, bytes);
  return p;
}

extern "C" void *flowGuardAlignedAlloc(uint64_t align, uint64_t bytes) {
  GuardedRun *run = current;
  if (!admit(run, bytes))
    return refuse(bytes, true);
  // aligned_alloc wants a size that is a multiple of the alignment.
  uint64_t rounded = align ? (bytes + align - 1) / align * align : bytes;
  if (rounded < bytes)
    return refuse(bytes, true);
  void *p = std::aligned_alloc(align, rounded ? rounded : align);
  if (!p)
    return refuse(bytes, false);
  track(run, p, bytes);
  return p;
}

extern "C" void *flowGuardRealloc(void *old, uint64_t bytes) {
  GuardedRun *run = current;
  uint64_t oldBytes = 0;
  if (run && old) {
    auto it = run->buffers.find(old);
    if (it != run->buffers.end())
      oldBytes = it->second;
  }
  if (run && !(bytes <= run->limit &&
               run->live - oldBytes <= run->limit - bytes))
    return refuse(bytes, true);
  void *p = std::realloc(old, bytes ? bytes : 1);
  if (!p)
    return refuse(bytes, false);
  untrack(run, old);
  track(run, p, bytes);
  return p;
}

extern "C" void flowGuardFree(void *p) {
  untrack(current, p);
  std::free(p);
}

} // namespace

namespace {
struct Redirect {
  const char *from;
  const char *to;
  void *address;
};
const Redirect kRedirects[] = {
    {"malloc", "flowGuardMalloc", reinterpret_cast<void *>(&flowGuardMalloc)},
    {"calloc", "flowGuardCalloc", reinterpret_cast<void *>(&flowGuardCalloc)},
    {"aligned_alloc", "flowGuardAlignedAlloc",
     reinterpret_cast<void *>(&flowGuardAlignedAlloc)},
    {"realloc", "flowGuardRealloc",
     reinterpret_cast<void *>(&flowGuardRealloc)},
    {"free", "flowGuardFree", reinterpret_cast<void *>(&flowGuardFree)},
};
} // namespace

void mlir::flow::redirectAllocations(llvm::Module &module) {
  for (const Redirect &r : kRedirects) {
    llvm::Function *fn = module.getFunction(r.from);
    if (!fn || !fn->isDeclaration())
      continue;
    // Calls go to the guard's function, by name (the object may be loaded
    // by another process); the declaration stays for any other use (none
    // is expected).
    llvm::FunctionCallee guard =
        module.getOrInsertFunction(r.to, fn->getFunctionType());
    fn->replaceAllUsesWith(guard.getCallee());
  }
}

std::vector<std::pair<const char *, void *>>
mlir::flow::allocationGuardSymbols() {
  std::vector<std::pair<const char *, void *>> symbols;
  for (const Redirect &r : kRedirects)
    symbols.emplace_back(r.to, r.address);
  return symbols;
}

llvm::Error mlir::flow::runGuarded(void (*packed)(void **), void **args,
                                   llvm::StringRef what) {
  llvm::Expected<uint64_t> limit = jitMemoryLimit();
  if (!limit)
    return limit.takeError();
  GuardedRun run;
  run.limit = *limit;
  GuardedRun *outer = current;
  current = &run;
  // Nothing that needs destroying lives in the frames between here and a
  // longjmp: this frame's objects existed before setjmp, the JIT code is C.
  if (setjmp(run.exit) == 0) {
    packed(args);
    current = outer;
    return llvm::Error::success();
  }
  current = outer;
  for (auto &entry : run.buffers)
    std::free(entry.first);
  std::string msg;
  llvm::raw_string_ostream os(msg);
  if (run.overLimit) {
    os << what << " needs a buffer of " << formatBytes(run.refused);
    if (run.live)
      os << " besides the " << formatBytes(run.live) << " it holds";
    os << ", more than the memory limit of " << memoryLimitText(run.limit);
  } else {
    os << what << " cannot allocate a buffer of " << formatBytes(run.refused)
       << ": out of memory";
  }
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

void mlir::flow::freeJitBuffer(void *ptr) { std::free(ptr); }
