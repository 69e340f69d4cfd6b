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

/// Prints `array` (anything with shape(), numElements() and get(i)) as
/// --print does: nested brackets, one innermost row a line, elements as
/// "%.6g" ("[[1, 2],\n[3, 4]]\n"; a scalar alone). `write` takes each piece
/// of text as a const char *.
template <typename ArrayT, typename WriteFn>
void printArray(const ArrayT &array, WriteFn write) {
  const auto &shape = array.shape();
  int64_t rank = shape.size();
  auto writeNumber = [&](double value) {
    char text[32];
    std::snprintf(text, sizeof(text), "%.6g", value);
    write(text);
  };
  if (rank == 0) {
    writeNumber(array.get(0));
    write("\n");
    return;
  }
  if (array.numElements() == 0) {
    write((std::string(rank, '[') + std::string(rank, ']') + "\n").c_str());
    return;
  }
  std::vector<int64_t> index(rank, 0);
  for (int64_t linear = 0; linear < array.numElements(); ++linear) {
    int64_t opened = 0;
    for (int64_t d = rank - 1; d >= 0 && index[d] == 0; --d)
      ++opened;
    write(std::string(opened, '[').c_str());
    writeNumber(array.get(linear));
    int64_t closed = 0;
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
      ++closed;
    }
    write(std::string(closed, ']').c_str());
    if (linear + 1 < array.numElements())
      write(closed ? ",\n" : ", ");
  }
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
