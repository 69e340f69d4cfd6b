//===- AotRuntime.cpp - The part of every AOT library that is not generated ===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Checks the caller's arrays against an entry's signature, passes them to the
// compiled code as memref descriptors (allocated = aligned = the caller's
// pointer, offset 0, row-major strides), and hands the result buffers that
// the compiled code allocated (with malloc) to the caller without copying
// when it can: a result that is contiguous and owned by no one else is given
// out as is; one that aliases an argument, a global or another result, or
// has other strides, is copied. For CUDA libraries it turns the errors that
// libflow_cuda_runtime records into return codes.
//
// No LLVM here: this is linked into every library flow-compile makes.
//
//===----------------------------------------------------------------------===//

#include "flow/Runtime/AotRuntime.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

thread_local std::string lastError;

int failWith(std::string message) {
  lastError = std::move(message);
  return FLOW_AOT_ERROR;
}

size_t elementSize(int32_t type) {
  switch (type) {
  case FLOW_AOT_F16:
  case FLOW_AOT_BF16:
    return 2;
  case FLOW_AOT_F32:
    return 4;
  case FLOW_AOT_F64:
    return 8;
  }
  return 0;
}

std::string shapeText(const int64_t *dims, int32_t rank) {
  std::string s = "(";
  for (int32_t d = 0; d < rank; ++d)
    s += (d ? ", " : "") +
         (dims[d] < 0 ? std::string("?") : std::to_string(dims[d]));
  return s + (rank == 1 ? ",)" : ")");
}

/// Element count, or -1 on a negative dim or overflow.
int64_t elementCount(const int64_t *dims, int32_t rank) {
  int64_t count = 1;
  for (int32_t d = 0; d < rank; ++d) {
    if (dims[d] < 0)
      return -1;
    if (__builtin_mul_overflow(count, dims[d], &count))
      return -1;
  }
  return count;
}

/// finalize-memref-to-llvm puts this in the allocated pointer of memrefs
/// backed by globals.
constexpr uintptr_t kGlobalSentinel = 0xdeadbeef;

/// Result buffers handed out whose allocation starts elsewhere (the compiled
/// code aligned its malloc'ed block): data -> allocation.
std::mutex ownershipMutex;
std::unordered_map<void *, void *> &allocations() {
  static auto *map = new std::unordered_map<void *, void *>();
  return *map;
}

/// The compiled module's constructors (initModules) ran.
std::mutex initMutex;
std::atomic<bool> initialized{false};

/// CPU libraries: runs initModules once.
void ensureInitialized(const FlowAotLibrary *library) {
  if (initialized.load() || !library->initModules)
    return;
  std::lock_guard<std::mutex> lock(initMutex);
  if (!initialized.load()) {
    library->initModules();
    initialized.store(true);
  }
}

/// CUDA libraries: the runtime's error state is per process, so calls are
/// serialised. The GPU modules are loaded (initModules) once a device is
/// usable; an error doing so is kept and reported by every call.
std::mutex cudaMutex;
std::string loadError;

/// Returns 0 when the CUDA device and the library's kernels are usable.
/// Needs cudaMutex.
int cudaReady(const FlowAotLibrary *library) {
  char message[4096] = {0};
  if (library->cuda.probe(message, sizeof(message)))
    return failWith(message);
  if (!initialized.load()) {
    std::lock_guard<std::mutex> lock(initMutex);
    if (library->initModules)
      library->initModules();
    initialized.store(true);
    if (library->cuda.takeError(message, sizeof(message)))
      loadError = message[0] ? message : "loading the GPU modules failed";
  }
  if (!loadError.empty())
    return failWith(loadError);
  return FLOW_AOT_OK;
}

} // namespace

extern "C" const char *flowAotRuntimeLastError(void) {
  return lastError.c_str();
}

extern "C" void flowAotRuntimeFree(void *result) {
  if (!result)
    return;
  void *allocation = result;
  {
    std::lock_guard<std::mutex> lock(ownershipMutex);
    auto it = allocations().find(result);
    if (it != allocations().end()) {
      allocation = it->second;
      allocations().erase(it);
    }
  }
  std::free(allocation);
}

extern "C" int flowAotRuntimeDeviceCheck(const FlowAotLibrary *library) {
  if (!library->cuda.probe)
    return FLOW_AOT_OK;
  std::lock_guard<std::mutex> lock(cudaMutex);
  return cudaReady(library);
}

extern "C" void flowAotRuntimeUnload(const FlowAotLibrary *library) {
  std::unique_lock<std::mutex> cudaLock(cudaMutex, std::defer_lock);
  if (library->cuda.probe)
    cudaLock.lock();
  std::lock_guard<std::mutex> lock(initMutex);
  if (initialized.load() && library->finiModules)
    library->finiModules();
  initialized.store(false);
}

extern "C" void flowAotRuntimeTimingBegin(const FlowAotLibrary *library) {
  if (library->cuda.timingBegin)
    library->cuda.timingBegin();
}

extern "C" double flowAotRuntimeTimingEnd(const FlowAotLibrary *library) {
  return library->cuda.timingEnd ? library->cuda.timingEnd() : -1.0;
}

extern "C" int flowAotRuntimeCall(const FlowAotLibrary *library, int entryIndex,
                                  const void *const *args,
                                  const int64_t *const *argShapes,
                                  void **results,
                                  int64_t *const *resultShapes) {
  if (!library || library->abiVersion != FLOW_AOT_ABI_VERSION)
    return failWith("AOT library ABI version mismatch");
  if (entryIndex < 0 || entryIndex >= library->numEntries)
    return failWith("no entry number " + std::to_string(entryIndex) +
                    " (the library has " +
                    std::to_string(library->numEntries) + ")");
  const FlowAotEntry &entry = library->entries[entryIndex];
  std::string name = std::string("@") + entry.name;
  if (entry.numArgs > 0 && (!args || !argShapes))
    return failWith(name + ": null argument array");
  if (entry.numResults > 0 && (!results || !resultShapes))
    return failWith(name + ": null result array");
  for (int32_t r = 0; r < entry.numResults; ++r)
    if (!resultShapes[r])
      return failWith(name + ": result " + std::to_string(r) +
                      ": null shape pointer");

  // Arguments -> memref descriptors.
  std::vector<std::vector<int64_t>> descriptors(entry.numArgs);
  std::vector<void *> descriptorPtrs(entry.numArgs + 1, nullptr);
  std::set<uintptr_t> argPointers;
  const int64_t *expected = entry.argDims;
  for (int32_t i = 0; i < entry.numArgs; ++i) {
    int32_t rank = entry.argRanks[i];
    const int64_t *dims = argShapes[i];
    if (!dims) {
      // Allowed when the type says it all.
      for (int32_t d = 0; d < rank; ++d)
        if (expected[d] < 0)
          return failWith(name + ": argument " + std::to_string(i) +
                          " has dynamic dims " + shapeText(expected, rank) +
                          " but its shape pointer is null");
      dims = expected;
    }
    bool matches = true;
    for (int32_t d = 0; d < rank; ++d)
      matches &= dims[d] >= 0 && (expected[d] < 0 || expected[d] == dims[d]);
    if (!matches)
      return failWith(name + ": argument " + std::to_string(i) + ": expected shape " +
                      shapeText(expected, rank) + ", got " +
                      shapeText(dims, rank));
    int64_t count = elementCount(dims, rank);
    if (count < 0)
      return failWith(name + ": argument " + std::to_string(i) + ": shape " +
                      shapeText(dims, rank) + " is too large");
    if (count > 0 && !args[i])
      return failWith(name + ": argument " + std::to_string(i) +
                      ": null data pointer");
    auto ptr = reinterpret_cast<int64_t>(args[i]);
    std::vector<int64_t> &desc = descriptors[i];
    desc.reserve(3 + 2 * rank);
    desc.push_back(ptr);
    desc.push_back(ptr);
    desc.push_back(0);
    desc.insert(desc.end(), dims, dims + rank);
    std::vector<int64_t> strides(rank, 1);
    for (int32_t d = rank - 2; d >= 0; --d)
      strides[d] = strides[d + 1] * dims[d + 1];
    desc.insert(desc.end(), strides.begin(), strides.end());
    descriptorPtrs[i] = desc.data();
    if (ptr)
      argPointers.insert(static_cast<uintptr_t>(ptr));
    expected += rank;
  }
  size_t resultWords = 0;
  for (int32_t r = 0; r < entry.numResults; ++r)
    resultWords += 3 + 2 * entry.resultRanks[r];
  std::vector<int64_t> resultStorage(resultWords + 1, 0);

  // Call.
  bool cuda = library->cuda.probe != nullptr;
  if (!cuda)
    ensureInitialized(library);
  std::unique_lock<std::mutex> cudaLock(cudaMutex, std::defer_lock);
  if (cuda) {
    cudaLock.lock();
    if (cudaReady(library) != FLOW_AOT_OK)
      return FLOW_AOT_ERROR;
  }
  entry.invoke(resultStorage.data(), descriptorPtrs.data());

  // Allocations the compiled code made for the results: each is handed out
  // once or freed.
  std::set<uintptr_t> owned, handedOut;
  size_t at = 0;
  for (int32_t r = 0; r < entry.numResults; ++r) {
    auto allocated = static_cast<uintptr_t>(resultStorage[at]);
    if (allocated && allocated != kGlobalSentinel &&
        !argPointers.count(allocated))
      owned.insert(allocated);
    at += 3 + 2 * entry.resultRanks[r];
  }
  auto freeUnclaimed = [&] {
    for (uintptr_t p : owned)
      if (!handedOut.count(p))
        std::free(reinterpret_cast<void *>(p));
  };
  std::string failure;
  if (cuda) {
    char message[4096] = {0};
    if (library->cuda.takeError(message, sizeof(message)))
      failure = message;
    cudaLock.unlock();
  }

  std::vector<void *> out(entry.numResults, nullptr);
  std::vector<std::pair<void *, void *>> registered;
  at = 0;
  const int64_t *declared = entry.resultDims;
  for (int32_t r = 0; r < entry.numResults && failure.empty(); ++r) {
    int32_t rank = entry.resultRanks[r];
    const int64_t *desc = resultStorage.data() + at;
    at += 3 + 2 * rank;
    auto allocated = static_cast<uintptr_t>(desc[0]);
    const char *aligned = reinterpret_cast<const char *>(desc[1]);
    int64_t offset = desc[2];
    const int64_t *sizes = desc + 3, *strides = desc + 3 + rank;
    int64_t count = elementCount(sizes, rank);
    size_t elem = elementSize(entry.resultTypes[r]);
    if (count < 0) {
      failure = "result " + std::to_string(r) + " has a bad shape " +
                shapeText(sizes, rank);
      break;
    }
    for (int32_t d = 0; d < rank; ++d)
      if (declared[d] >= 0 && declared[d] != sizes[d])
        failure = "result " + std::to_string(r) + " has shape " +
                  shapeText(sizes, rank) + ", not the declared " +
                  shapeText(declared, rank);
    declared += rank;
    if (!failure.empty())
      break;
    std::memcpy(resultShapes[r], sizes, rank * sizeof(int64_t));
    if (count == 0)
      continue;
    bool contiguous = true;
    for (int64_t d = rank - 1, want = 1; d >= 0; want *= sizes[d--])
      contiguous &= sizes[d] == 1 || strides[d] == want;
    char *data = const_cast<char *>(aligned) + offset * elem;
    if (contiguous && owned.count(allocated) && !handedOut.count(allocated)) {
      handedOut.insert(allocated);
      out[r] = data;
      if (reinterpret_cast<uintptr_t>(data) != allocated)
        registered.emplace_back(data, reinterpret_cast<void *>(allocated));
      continue;
    }
    // Copy (strided) into a buffer of our own.
    size_t bytes = static_cast<size_t>(count) * elem;
    void *copy = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (!copy) {
      failure = "cannot allocate " + std::to_string(bytes) +
                " bytes for result " + std::to_string(r);
      break;
    }
    out[r] = copy;
    if (contiguous) {
      std::memcpy(copy, data, bytes);
      continue;
    }
    std::vector<int64_t> index(rank, 0);
    for (int64_t linear = 0; linear < count; ++linear) {
      int64_t src = offset;
      for (int32_t d = 0; d < rank; ++d)
        src += index[d] * strides[d];
      std::memcpy(static_cast<char *>(copy) + linear * elem,
                  aligned + src * elem, elem);
      for (int32_t d = rank - 1; d >= 0; --d) {
        if (++index[d] < sizes[d])
          break;
        index[d] = 0;
      }
    }
  }

  if (!failure.empty()) {
    // Nothing is handed out after all.
    for (int32_t r = 0; r < entry.numResults; ++r) {
      bool isAllocation = false;
      for (auto [data, allocation] : registered)
        isAllocation |= data == out[r];
      if (out[r] && !isAllocation &&
          !handedOut.count(reinterpret_cast<uintptr_t>(out[r])))
        std::free(out[r]);
    }
    handedOut.clear();
    freeUnclaimed();
    return failWith(name + ": " + failure);
  }
  freeUnclaimed();
  if (!registered.empty()) {
    std::lock_guard<std::mutex> lock(ownershipMutex);
    for (auto [data, allocation] : registered)
      allocations()[data] = allocation;
  }
  for (int32_t r = 0; r < entry.numResults; ++r)
    results[r] = out[r];
  return FLOW_AOT_OK;
}
