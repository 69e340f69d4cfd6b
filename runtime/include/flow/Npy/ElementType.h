//===- ElementType.h - Element types of host arrays -------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The element types a flow entry function exchanges with its caller, and
// their names: MLIR's, NumPy's and the .npy dtype's. Plain C++17 (no LLVM):
// flow-aot-run links it as well as the JIT tools.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_NPY_ELEMENTTYPE_H
#define FLOW_NPY_ELEMENTTYPE_H

#include <cstddef>
#include <optional>
#include <string_view>

namespace mlir::flow::npy {

/// Element types, numbered as FLOW_AOT_F16... in flow/Runtime/AotRuntime.h.
enum class ElementType { F16 = 0, BF16 = 1, F32 = 2, F64 = 3 };

/// "f16", "bf16", "f32", "f64" (MLIR's names).
const char *elementTypeName(ElementType type);
/// "float16", "bfloat16", "float32", "float64" (NumPy's names).
const char *elementTypeNumpyName(ElementType type);
/// Bytes per element.
size_t elementTypeSize(ElementType type);
/// Parses MLIR's name ("f16"...); false when unknown.
bool parseElementType(std::string_view text, ElementType &type);

/// The .npy dtype ("<f2", "<f4", "<f8"); null for bfloat16, which NumPy
/// cannot store.
const char *npyDescr(ElementType type);
/// The element type of a .npy dtype; std::nullopt when it is none of them.
std::optional<ElementType> fromNpyDescr(std::string_view descr);

} // namespace mlir::flow::npy

#endif // FLOW_NPY_ELEMENTTYPE_H
