//===- Timing.h - Wall and CPU time of repeated calls -----------*- C++ -*-===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The timing loop of the benchmark drivers (flow-bench, deconv-onednn), so
// that every system is measured the same way: warm-up calls, then `runs`
// timed calls; the median and minimum wall time per call and the process's
// CPU time per call (all threads), in milliseconds.
//
//===----------------------------------------------------------------------===//

#ifndef FLOW_BENCH_TIMING_H
#define FLOW_BENCH_TIMING_H

#include <algorithm>
#include <chrono>
#include <sys/resource.h>
#include <vector>

namespace flow_bench {

struct Timing {
  double medianMs = 0, minMs = 0, cpuMsPerRun = 0;
};

/// User plus system CPU seconds of this process so far.
inline double cpuSeconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
         1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

inline double medianOf(std::vector<double> v) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

template <typename Call>
Timing timeCalls(Call &&once, int warmup, int runs) {
  for (int i = 0; i < warmup; ++i)
    once();
  std::vector<double> times;
  double cpu0 = cpuSeconds();
  for (int i = 0; i < runs; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    once();
    times.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - t0)
                        .count());
  }
  Timing t;
  if (runs > 0) {
    t.cpuMsPerRun = (cpuSeconds() - cpu0) * 1e3 / runs;
    t.medianMs = medianOf(times);
    t.minMs = *std::min_element(times.begin(), times.end());
  }
  return t;
}

} // namespace flow_bench

#endif // FLOW_BENCH_TIMING_H
