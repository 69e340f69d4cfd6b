//===- RunnerContract.h - What the runners share ----------------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// flow-aot-run keeps flow-runner's contract for ahead-of-time libraries: a
// seed gives the same random inputs, --print the same text, --benchmark the
// same statistics. Both take those from here. Plain C++: flow-aot-run links
// no LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_TOOLS_RUNNERCONTRACT_H
#define FLOW_TOOLS_RUNNERCONTRACT_H

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace mlir::flow::tools {

/// A deterministic U(-1, 1) stream (splitmix64), the values of
/// --random-inputs[=SEED].
class UniformRandom {
public:
  explicit UniformRandom(uint64_t seed) : state(seed) {}

  double next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53 * 2.0 - 1.0;
  }

  /// Sets the elements of `array` (anything with numElements() and
  /// set(i, value)) to the next values, in order.
  template <typename ArrayT> void fill(ArrayT &array) {
    for (int64_t i = 0; i < array.numElements(); ++i)
      array.set(i, next());
  }

private:
  uint64_t state;
};

/// NumPy's print defaults: arrays of more than kPrintThreshold elements are
/// summarised, each dimension longer than 2 * kPrintEdgeItems showing its
/// first and last kPrintEdgeItems entries around "...".
constexpr int64_t kPrintThreshold = 1000;
constexpr int64_t kPrintEdgeItems = 3;

namespace detail {
/// One bracketed block of `array` along `dim` at linear element `offset`.
template <typename ArrayT, typename WriteFn>
void printBlock(const ArrayT &array, WriteFn &write,
                const std::vector<int64_t> &strides, size_t dim,
                int64_t offset, bool summarize) {
  const auto &shape = array.shape();
  int64_t n = shape[dim];
  bool innermost = dim + 1 == shape.size();
  const char *separator = innermost ? ", " : ",\n";
  bool cut = summarize && n > 2 * kPrintEdgeItems;
  write("[");
  for (int64_t i = 0; i < n; ++i) {
    if (i)
      write(separator);
    if (cut && i == kPrintEdgeItems) {
      write("...");
      write(separator);
      i = n - kPrintEdgeItems;
    }
    if (innermost) {
      char text[32];
      std::snprintf(text, sizeof(text), "%.6g", double(array.get(offset + i)));
      write(text);
    } else {
      printBlock(array, write, strides, dim + 1, offset + i * strides[dim],
                 summarize);
    }
  }
  write("]");
}
} // namespace detail

/// Prints `array` (anything with shape(), numElements() and get(i)) as
/// --print does: nested brackets, one innermost row a line, elements as
/// "%.6g" ("[[1, 2],\n[3, 4]]\n"; a scalar alone). Unless `all`, an array
/// of more than kPrintThreshold elements is summarised as NumPy does
/// ("[0, 1, 2, ..., 7, 8, 9]"; a "...," line between rows). `write` takes
/// each piece of text as a const char *.
template <typename ArrayT, typename WriteFn>
void printArray(const ArrayT &array, WriteFn write, bool all = false) {
  const auto &shape = array.shape();
  size_t rank = shape.size();
  if (rank == 0) {
    char text[32];
    std::snprintf(text, sizeof(text), "%.6g", double(array.get(0)));
    write(text);
    write("\n");
    return;
  }
  if (array.numElements() == 0) {
    write((std::string(rank, '[') + std::string(rank, ']') + "\n").c_str());
    return;
  }
  std::vector<int64_t> strides(rank, 1);
  for (size_t d = rank - 1; d > 0; --d)
    strides[d - 1] = strides[d] * shape[d];
  detail::printBlock(array, write, strides, 0, 0,
                     !all && array.numElements() > kPrintThreshold);
  write("\n");
}

/// The median of --benchmark's run times (of the middle two for an even
/// count).
inline double median(std::vector<double> times) {
  std::sort(times.begin(), times.end());
  size_t n = times.size();
  return n % 2 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
}

} // namespace mlir::flow::tools

#endif // FLOW_TOOLS_RUNNERCONTRACT_H
