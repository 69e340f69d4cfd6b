//===- StridePhasesTest.cpp - the stride-phase decomposition --------------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Checks the decomposition against the direct scatter definition of a 1-D
// transposed convolution: input i and kernel tap k contribute to output
// o = i*s - p + k*d when 0 <= o < O.
//
//===----------------------------------------------------------------------===//

#include "flow/Dialect/Flow/Utils/StridePhases.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <tuple>

using namespace mlir;
using namespace mlir::flow;

namespace {

using Contribution = std::tuple<int64_t, int64_t, int64_t>; // (o, i, k)

std::set<Contribution> scatter(const ConvTransposeDim &d, int64_t in) {
  std::set<Contribution> result;
  int64_t out = d.outputSize(in);
  for (int64_t i = 0; i < in; ++i)
    for (int64_t k = 0; k < d.kernel; ++k) {
      int64_t o = i * d.stride - d.padding + k * d.dilation;
      if (o >= 0 && o < out)
        result.insert({o, i, k});
    }
  return result;
}

/// The contributions the decomposition describes; also checks that the
/// class sizes partition the output and that `tapped` lists exactly the
/// classes with taps.
std::set<Contribution> byPhases(const ConvTransposeDim &d, int64_t in) {
  std::set<Contribution> result;
  SmallVector<PhaseDim> phases = decomposeStridePhases({d});
  const PhaseDim &pd = phases.front();
  EXPECT_EQ(static_cast<int64_t>(pd.taps.size()), d.stride);
  int64_t total = 0;
  SmallVector<int64_t> withTaps;
  for (int64_t c = 0; c < d.stride; ++c) {
    const PhaseTaps &t = pd.taps[c];
    int64_t size = phaseSize(d, c, in);
    total += size;
    if (t.count == 0)
      continue;
    withTaps.push_back(c);
    EXPECT_EQ(t.kStride, d.tapPeriod());
    EXPECT_LE(t.step, 0);
    for (int64_t q = 0; q < size; ++q)
      for (int64_t m = 0; m < t.count; ++m) {
        int64_t i = q + t.base + m * t.step;
        int64_t k = t.kFirst + m * t.kStride;
        EXPECT_LT(k, d.kernel);
        if (i >= 0 && i < in)
          result.insert({d.stride * q + c, i, k});
      }
    if (size > 0) {
      EXPECT_LE(t.lowestRead(), t.highestRead(size));
    }
  }
  EXPECT_EQ(total, d.outputSize(in));
  EXPECT_EQ(withTaps, pd.tapped);
  return result;
}

TEST(StridePhases, MatchesScatterOnRandomConfigs) {
  std::mt19937_64 rng(20261204);
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  int checked = 0;
  while (checked < 4000) {
    ConvTransposeDim d;
    d.stride = pick(1, 6);
    d.dilation = pick(1, 5);
    d.kernel = pick(1, 6);
    d.padding = pick(0, 5);
    d.outputPadding = pick(0, std::max(d.stride, d.dilation) - 1);
    int64_t in = pick(1, 9);
    if (d.outputSize(in) < 1)
      continue;
    ++checked;
    SCOPED_TRACE(testing::Message()
                 << "s=" << d.stride << " d=" << d.dilation
                 << " K=" << d.kernel << " p=" << d.padding
                 << " op=" << d.outputPadding << " in=" << in);
    ASSERT_EQ(byPhases(d, in), scatter(d, in));
  }
}

TEST(StridePhases, SeedHeight) {
  // The seed's height: stride 2, padding 4, kernel 3.
  ConvTransposeDim d{/*kernel=*/3, /*stride=*/2, /*padding=*/4,
                     /*outputPadding=*/0, /*dilation=*/1};
  PhaseTaps even = phaseTaps(d, 0), odd = phaseTaps(d, 1);
  EXPECT_EQ(even.kFirst, 0);
  EXPECT_EQ(even.count, 2);
  EXPECT_EQ(even.base, 2);
  EXPECT_EQ(even.step, -1);
  EXPECT_EQ(odd.kFirst, 1);
  EXPECT_EQ(odd.count, 1);
  EXPECT_EQ(phaseSize(d, 0, 50) + phaseSize(d, 1, 50), 93);
}

TEST(StridePhases, HugeStrideVisitsOnlyTappedClasses) {
  ConvTransposeDim d{/*kernel=*/3, /*stride=*/1000000000, /*padding=*/0,
                     /*outputPadding=*/0, /*dilation=*/1};
  SmallVector<PhaseDim> phases = decomposeStridePhases({d});
  EXPECT_TRUE(phases[0].taps.empty());
  EXPECT_EQ(phases[0].tapped, (SmallVector<int64_t>{0, 1, 2}));
}

} // namespace
