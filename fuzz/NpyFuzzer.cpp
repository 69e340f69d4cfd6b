//===- NpyFuzzer.cpp - libFuzzer target for the .npy reader ---------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Feeds bytes to parseNpy, which reads every --input of flow-runner. It must
// return an array or an error, never crash, read out of bounds or allocate
// without bound; an array it returns must hold exactly the bytes after the
// header (checked here).
//
//===----------------------------------------------------------------------===//

#include "flow/Execution/Npy.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace mlir::flow;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  llvm::Expected<HostArray> array = parseNpy(bytes, "fuzz.npy");
  if (!array) {
    std::string msg = llvm::toString(array.takeError());
    if (msg.rfind("fuzz.npy: ", 0) != 0) {
      std::fprintf(stderr, "FINDING: error without the file name: %s\n",
                   msg.c_str());
      std::abort();
    }
    // The data is checked against the header before anything is allocated,
    // so an input this small can never fail to allocate: that error would
    // mean the size arithmetic wrapped. (Only parseNpy's own message counts:
    // other errors quote the header, which may contain any text; a dtype
    // '<f8cannot allocate...' was a false finding, regress-dtype-quotes-
    // oracle.npy.)
    if (msg.rfind("fuzz.npy: cannot allocate ", 0) == 0) {
      std::fprintf(stderr, "FINDING: %s\n", msg.c_str());
      std::abort();
    }
    return 0;
  }
  // A parsed array: its element count matches its shape and its bytes are
  // the file's last sizeInBytes() bytes.
  std::optional<int64_t> count = checkedElementCount(array->shape());
  if (!count || *count != array->numElements() ||
      array->sizeInBytes() > size ||
      (array->sizeInBytes() &&
       std::memcmp(array->data(), data + size - array->sizeInBytes(),
                   array->sizeInBytes()) != 0)) {
    std::fprintf(stderr, "FINDING: parsed array does not match the data\n");
    std::abort();
  }
  return 0;
}
