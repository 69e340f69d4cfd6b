//===- fma_peak.cpp - Measured FP32 FMA peak of this machine --------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// fma-peak [--threads=T] [--seconds=S]
//
// Runs independent chains of packed FP32 fused multiply-adds (the widest
// vectors the compiler targets: AVX-512, else AVX2) on T threads and prints
//   peak: gflops=G threads=T vector_bits=B cpu_gflops=C
// (G by wall clock; C per CPU-second of the threads, load-independent)
// using the best of several timed rounds. Each thread keeps 12 accumulators
// in flight, enough to cover the FMA latency of two FMA pipes.
//
//===----------------------------------------------------------------------===//

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <time.h>
#include <vector>

#if defined(__AVX512F__)
using vec = __m512;
static constexpr int kLanes = 16;
static inline vec vset(float v) { return _mm512_set1_ps(v); }
static inline vec vfma(vec a, vec b, vec c) { return _mm512_fmadd_ps(a, b, c); }
static inline float vsum(vec v) { return _mm512_reduce_add_ps(v); }
#elif defined(__AVX2__) && defined(__FMA__)
using vec = __m256;
static constexpr int kLanes = 8;
static inline vec vset(float v) { return _mm256_set1_ps(v); }
static inline vec vfma(vec a, vec b, vec c) { return _mm256_fmadd_ps(a, b, c); }
static inline float vsum(vec v) {
  alignas(32) float f[8];
  _mm256_store_ps(f, v);
  float s = 0;
  for (float x : f)
    s += x;
  return s;
}
#else
#error "fma-peak needs AVX2+FMA or AVX-512 (build with -march=native)"
#endif

static constexpr int kChains = 12;

/// `iters` rounds of kChains independent FMAs; returns a value that depends
/// on all of them so the compiler keeps the work.
__attribute__((noinline)) static float fmaLoop(long iters, float seed) {
  vec acc[kChains];
  for (int i = 0; i < kChains; ++i)
    acc[i] = vset(seed + i);
  vec a = vset(0.999999f), b = vset(1e-7f);
  for (long it = 0; it < iters; ++it) {
#pragma GCC unroll 12
    for (int i = 0; i < kChains; ++i)
      acc[i] = vfma(acc[i], a, b);
  }
  float total = 0;
  for (int i = 0; i < kChains; ++i)
    total += vsum(acc[i]);
  return total;
}

int main(int argc, char **argv) {
  int threads = 2;
  double seconds = 0.3;
  for (int i = 1; i < argc; ++i) {
    if (!std::strncmp(argv[i], "--threads=", 10))
      threads = std::atoi(argv[i] + 10);
    else if (!std::strncmp(argv[i], "--seconds=", 10))
      seconds = std::atof(argv[i] + 10);
    else {
      std::fprintf(stderr, "usage: fma-peak [--threads=T] [--seconds=S]\n");
      return 1;
    }
  }
  if (threads < 1)
    threads = 1;

  // Calibrate the iteration count to about `seconds` per round.
  long iters = 1 << 20;
  for (;;) {
    auto t0 = std::chrono::steady_clock::now();
    volatile float sink = fmaLoop(iters, 1.0f);
    (void)sink;
    double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                              t0)
                    .count();
    if (dt > seconds / 4 || iters > (1L << 40))
      break;
    iters *= 2;
  }

  double best = 0, bestCpu = 0;
  for (int round = 0; round < 7; ++round) {
    std::vector<std::thread> pool;
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<double> elapsed(threads), busy(threads);
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        ready.fetch_add(1);
        while (!go.load())
          ;
        timespec c0, c1;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
        auto t0 = std::chrono::steady_clock::now();
        volatile float sink = fmaLoop(iters, 1.0f + t);
        (void)sink;
        elapsed[t] = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - t0)
                         .count();
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
        busy[t] = (c1.tv_sec - c0.tv_sec) + 1e-9 * (c1.tv_nsec - c0.tv_nsec);
      });
    while (ready.load() < threads)
      ;
    go.store(true);
    for (std::thread &th : pool)
      th.join();
    double slowest = *std::max_element(elapsed.begin(), elapsed.end());
    double flops = 2.0 * kLanes * kChains * double(iters) * threads;
    best = std::max(best, flops / slowest / 1e9);
    double busiest = *std::max_element(busy.begin(), busy.end());
    bestCpu = std::max(bestCpu, flops / busiest / 1e9);
  }
  // gflops: wall-clock rate (what a program gets now, load included);
  // cpu_gflops: the rate per CPU-second of each thread, times the threads
  // (what the cores deliver while they run this code).
  std::printf("peak: gflops=%.1f threads=%d vector_bits=%d cpu_gflops=%.1f\n",
              best, threads, kLanes * 32, bestCpu);
  return 0;
}
