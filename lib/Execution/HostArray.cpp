//===- HostArray.cpp - Dense host arrays for the runners ------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Execution/HostArray.h"

#include "llvm/Support/CheckedArithmetic.h"
#include <cstdlib>
#include <cstring>

using namespace mlir::flow;

size_t mlir::flow::dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::F16:
  case DType::BF16:
    return 2;
  case DType::F32:
    return 4;
  case DType::F64:
    return 8;
  }
  return 0;
}

llvm::StringRef mlir::flow::dtypeName(DType dtype) {
  switch (dtype) {
  case DType::F16:
    return "float16";
  case DType::BF16:
    return "bfloat16";
  case DType::F32:
    return "float32";
  case DType::F64:
    return "float64";
  }
  return "?";
}

llvm::StringRef mlir::flow::dtypeMlirName(DType dtype) {
  switch (dtype) {
  case DType::F16:
    return "f16";
  case DType::BF16:
    return "bf16";
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  }
  return "?";
}

std::optional<int64_t>
mlir::flow::checkedElementCount(llvm::ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return std::nullopt;
    std::optional<int64_t> next = llvm::checkedMul(count, d);
    if (!next)
      return std::nullopt;
    count = *next;
  }
  return count;
}

void HostArray::Free::operator()(void *p) const { std::free(p); }

std::optional<HostArray> HostArray::allocate(DType dtype,
                                             llvm::ArrayRef<int64_t> shape) {
  std::optional<int64_t> count = checkedElementCount(shape);
  if (!count)
    return std::nullopt;
  std::optional<int64_t> bytes =
      llvm::checkedMul(*count, static_cast<int64_t>(dtypeSize(dtype)));
  if (!bytes || *bytes > (int64_t(1) << 46)) // 64 TiB: no machine has that
    return std::nullopt;
  size_t rounded = (static_cast<size_t>(*bytes) + 63) / 64 * 64;
  void *p = std::aligned_alloc(64, rounded ? rounded : 64);
  if (!p)
    return std::nullopt;
  std::memset(p, 0, rounded ? rounded : 64);
  HostArray array;
  array.type = dtype;
  array.dims.assign(shape.begin(), shape.end());
  array.count = *count;
  array.storage.reset(p);
  return array;
}

static float bf16ToFloat(uint16_t v) {
  uint32_t bits = static_cast<uint32_t>(v) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

static uint16_t floatToBf16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  if ((bits & 0x7fffffff) > 0x7f800000) // NaN: keep it quiet
    return static_cast<uint16_t>((bits >> 16) | 0x40);
  uint32_t rounding = 0x7fff + ((bits >> 16) & 1); // nearest even
  return static_cast<uint16_t>((bits + rounding) >> 16);
}

double HostArray::get(int64_t i) const {
  const char *p = static_cast<const char *>(data());
  switch (type) {
  case DType::F16:
    return static_cast<double>(reinterpret_cast<const _Float16 *>(p)[i]);
  case DType::BF16:
    return bf16ToFloat(reinterpret_cast<const uint16_t *>(p)[i]);
  case DType::F32:
    return reinterpret_cast<const float *>(p)[i];
  case DType::F64:
    return reinterpret_cast<const double *>(p)[i];
  }
  return 0;
}

void HostArray::set(int64_t i, double v) {
  char *p = static_cast<char *>(data());
  switch (type) {
  case DType::F16:
    reinterpret_cast<_Float16 *>(p)[i] = static_cast<_Float16>(v);
    return;
  case DType::BF16:
    reinterpret_cast<uint16_t *>(p)[i] = floatToBf16(static_cast<float>(v));
    return;
  case DType::F32:
    reinterpret_cast<float *>(p)[i] = static_cast<float>(v);
    return;
  case DType::F64:
    reinterpret_cast<double *>(p)[i] = v;
    return;
  }
}
