//===- Array.cpp - Dense host arrays --------------------------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Npy/Array.h"

#include <cstdlib>
#include <cstring>

using namespace mlir::flow::npy;

std::optional<int64_t> mlir::flow::npy::checkedElementCount(const int64_t *dims,
                                                            size_t rank) {
  int64_t count = 1;
  for (size_t d = 0; d < rank; ++d) {
    if (dims[d] < 0 || __builtin_mul_overflow(count, dims[d], &count))
      return std::nullopt;
  }
  return count;
}

std::string mlir::flow::npy::shapeString(const std::vector<int64_t> &dims) {
  std::string s = "(";
  for (size_t d = 0; d < dims.size(); ++d)
    s += (d ? ", " : "") +
         (dims[d] < 0 ? std::string("?") : std::to_string(dims[d]));
  return s + (dims.size() == 1 ? ",)" : ")");
}

std::optional<Array> Array::allocate(ElementType type,
                                     std::vector<int64_t> shape) {
  std::optional<int64_t> count =
      checkedElementCount(shape.data(), shape.size());
  int64_t bytes;
  if (!count ||
      __builtin_mul_overflow(*count,
                             static_cast<int64_t>(elementTypeSize(type)),
                             &bytes) ||
      bytes > (int64_t(1) << 46)) // 64 TiB: no machine has that
    return std::nullopt;
  size_t rounded = (static_cast<size_t>(bytes) + 63) / 64 * 64;
  if (rounded == 0)
    rounded = 64;
  void *p = std::aligned_alloc(64, rounded);
  if (!p)
    return std::nullopt;
  std::memset(p, 0, rounded);
  return adopt(type, std::move(shape), p, std::free);
}

Array Array::adopt(ElementType type, std::vector<int64_t> shape, void *data,
                   void (*release)(void *)) {
  Array array;
  array.elementType = type;
  array.count = checkedElementCount(shape.data(), shape.size()).value_or(0);
  array.dims = std::move(shape);
  array.storage =
      std::unique_ptr<void, ArrayDeleter>(data, ArrayDeleter(release));
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

double Array::get(int64_t i) const {
  const char *p = static_cast<const char *>(data());
  switch (elementType) {
  case ElementType::F16:
    return static_cast<double>(reinterpret_cast<const _Float16 *>(p)[i]);
  case ElementType::BF16:
    return bf16ToFloat(reinterpret_cast<const uint16_t *>(p)[i]);
  case ElementType::F32:
    return reinterpret_cast<const float *>(p)[i];
  case ElementType::F64:
    return reinterpret_cast<const double *>(p)[i];
  }
  return 0;
}

void Array::set(int64_t i, double value) {
  char *p = static_cast<char *>(data());
  switch (elementType) {
  case ElementType::F16:
    reinterpret_cast<_Float16 *>(p)[i] = static_cast<_Float16>(value);
    return;
  case ElementType::BF16:
    reinterpret_cast<uint16_t *>(p)[i] = floatToBf16(static_cast<float>(value));
    return;
  case ElementType::F32:
    reinterpret_cast<float *>(p)[i] = static_cast<float>(value);
    return;
  case ElementType::F64:
    reinterpret_cast<double *>(p)[i] = value;
    return;
  }
}
