//===- ElementType.cpp - Element types of host arrays ---------------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//

#include "flow/Npy/ElementType.h"

#include <iterator>

using namespace mlir::flow::npy;

namespace {

/// Everything known about one element type; kInfos[i] describes the type
/// numbered i.
struct Info {
  const char *name;
  const char *numpyName;
  size_t size;
  const char *descr;
};

constexpr Info kInfos[] = {
    {"f16", "float16", 2, "<f2"},
    {"bf16", "bfloat16", 2, nullptr},
    {"f32", "float32", 4, "<f4"},
    {"f64", "float64", 8, "<f8"},
};
constexpr Info kUnknown = {"?", "?", 0, nullptr};
constexpr ElementType kAll[] = {ElementType::F16, ElementType::BF16,
                                ElementType::F32, ElementType::F64};

const Info &info(ElementType type) {
  size_t i = static_cast<size_t>(type);
  return i < std::size(kInfos) ? kInfos[i] : kUnknown;
}

} // namespace

const char *mlir::flow::npy::elementTypeName(ElementType type) {
  return info(type).name;
}

const char *mlir::flow::npy::elementTypeNumpyName(ElementType type) {
  return info(type).numpyName;
}

size_t mlir::flow::npy::elementTypeSize(ElementType type) {
  return info(type).size;
}

bool mlir::flow::npy::parseElementType(std::string_view text,
                                       ElementType &type) {
  for (ElementType t : kAll)
    if (text == info(t).name) {
      type = t;
      return true;
    }
  return false;
}

const char *mlir::flow::npy::npyDescr(ElementType type) {
  return info(type).descr;
}

std::optional<ElementType>
mlir::flow::npy::fromNpyDescr(std::string_view descr) {
  for (ElementType t : kAll)
    if (info(t).descr && descr == info(t).descr)
      return t;
  return std::nullopt;
}
