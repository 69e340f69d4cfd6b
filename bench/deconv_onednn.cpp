//===- deconv_onednn.cpp - oneDNN deconvolution_forward benchmark ---------===//
//
// Part of the flow-mlir project.
//
//===----------------------------------------------------------------------===//
//
// deconv-onednn N Cin H W Cout kH kW sH sW pH pW opH opW dH dW groups
//               [--runs=R] [--warmup=W] [--layout=auto|nchw|any] [--check]
//
// Times oneDNN's deconvolution_forward (forward_inference, f32, with bias)
// for one ConvTranspose2d configuration with PyTorch's conventions: input
// N x Cin x H x W (NCHW), weight Cin x Cout/groups x kH x kW, output NCHW.
// The weights are reordered into the primitive's format once, outside the
// timing. With --layout=any the primitive picks its source/destination
// formats and the NCHW -> chosen and chosen -> NCHW reorders are timed with
// it; --layout=nchw forces plain NCHW; auto (default) times both and reports
// the faster. The thread count is OpenMP's (OMP_NUM_THREADS). Prints
//   onednn: median_ms=M min_ms=M gflops=G runs=R layout=L impl=NAME
// --check compares one run at batch min(N, 2) against a naive reference.
//
//===----------------------------------------------------------------------===//

#include "Timing.h"

#include "oneapi/dnnl/dnnl.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

struct Config {
  long n, cin, h, w, cout, kh, kw, sh, sw, ph, pw, oph, opw, dh, dw, groups;
  long oh() const { return (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1; }
  long ow() const { return (w - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1; }
  double flops() const {
    return 2.0 * n * cin * (cout / groups) * h * w * kh * kw;
  }
};

struct Result {
  double median = 0, min = 0, cpu = 0;
  std::string impl;
};


/// Runs the deconvolution of `c` on x/w/b (PyTorch layouts) into y (NCHW).
/// With `timed`, repeats it and returns the timing; the weight reorder is
/// done once before.
Result run(const Config &c, bool anyLayout, const std::vector<float> &x,
           const std::vector<float> &w, const std::vector<float> &b,
           std::vector<float> &y, int warmup, int runs) {
  engine eng(engine::kind::cpu, 0);
  stream strm(eng);
  long cig = c.cin / c.groups, cog = c.cout / c.groups;
  memory::dims src{c.n, c.cin, c.h, c.w}, dst{c.n, c.cout, c.oh(), c.ow()};
  memory::dims wdims = c.groups == 1
                           ? memory::dims{c.cout, c.cin, c.kh, c.kw}
                           : memory::dims{c.groups, cog, cig, c.kh, c.kw};
  // PyTorch's weight is (g, cig, cog, kh, kw): "iohw" / "giohw".
  tag userWTag = c.groups == 1 ? tag::iohw : tag::giohw;
  memory::desc userSrc(src, dt::f32, tag::nchw), userDst(dst, dt::f32, tag::nchw);
  memory::desc userW(wdims, dt::f32, userWTag), biasMd({c.cout}, dt::f32, tag::x);
  memory::desc srcMd(src, dt::f32, anyLayout ? tag::any : tag::nchw);
  memory::desc dstMd(dst, dt::f32, anyLayout ? tag::any : tag::nchw);
  memory::desc wMd(wdims, dt::f32, tag::any);
  // oneDNN counts dilation from 0; its right padding absorbs output_padding.
  deconvolution_forward::desc desc(
      prop_kind::forward_inference, algorithm::deconvolution_direct, srcMd,
      wMd, biasMd, dstMd, {c.sh, c.sw}, {c.dh - 1, c.dw - 1}, {c.ph, c.pw},
      {c.ph - c.oph, c.pw - c.opw});
  deconvolution_forward::primitive_desc pd(desc, eng);

  memory userSrcMem(userSrc, eng, const_cast<float *>(x.data()));
  memory userWMem(userW, eng, const_cast<float *>(w.data()));
  memory biasMem(biasMd, eng, const_cast<float *>(b.data()));
  memory userDstMem(userDst, eng, y.data());

  memory wMem = userWMem;
  if (pd.weights_desc() != userW) {
    wMem = memory(pd.weights_desc(), eng);
    reorder(userWMem, wMem).execute(strm, userWMem, wMem);
    strm.wait();
  }
  bool srcReorder = pd.src_desc() != userSrc;
  bool dstReorder = pd.dst_desc() != userDst;
  memory srcMem = srcReorder ? memory(pd.src_desc(), eng) : userSrcMem;
  memory dstMem = dstReorder ? memory(pd.dst_desc(), eng) : userDstMem;
  reorder toSrc, toDst;
  if (srcReorder)
    toSrc = reorder(userSrcMem, srcMem);
  if (dstReorder)
    toDst = reorder(dstMem, userDstMem);
  deconvolution_forward prim(pd);

  auto once = [&] {
    if (srcReorder)
      toSrc.execute(strm, userSrcMem, srcMem);
    prim.execute(strm, {{DNNL_ARG_SRC, srcMem},
                        {DNNL_ARG_WEIGHTS, wMem},
                        {DNNL_ARG_BIAS, biasMem},
                        {DNNL_ARG_DST, dstMem}});
    if (dstReorder)
      toDst.execute(strm, dstMem, userDstMem);
    strm.wait();
  };
  flow_bench::Timing t = flow_bench::timeCalls(once, warmup, runs);
  Result r;
  r.cpu = t.cpuMsPerRun;
  r.median = t.medianMs;
  r.min = t.minMs;
  const char *impl = pd.impl_info_str();
  r.impl = impl ? impl : "?";
  return r;
}

/// The direct definition: each input pixel scatters into the output.
std::vector<float> reference(const Config &c, const std::vector<float> &x,
                             const std::vector<float> &w,
                             const std::vector<float> &b) {
  long oh = c.oh(), ow = c.ow(), cig = c.cin / c.groups,
       cog = c.cout / c.groups;
  std::vector<double> y(c.n * c.cout * oh * ow);
  for (long n = 0; n < c.n; ++n)
    for (long co = 0; co < c.cout; ++co)
      for (long i = 0; i < oh * ow; ++i)
        y[(n * c.cout + co) * oh * ow + i] = b[co];
  for (long n = 0; n < c.n; ++n)
    for (long ci = 0; ci < c.cin; ++ci) {
      long g = ci / cig;
      for (long co = 0; co < cog; ++co)
        for (long ih = 0; ih < c.h; ++ih)
          for (long iw = 0; iw < c.w; ++iw) {
            double xv = x[((n * c.cin + ci) * c.h + ih) * c.w + iw];
            for (long kh = 0; kh < c.kh; ++kh)
              for (long kw = 0; kw < c.kw; ++kw) {
                long oy = ih * c.sh - c.ph + kh * c.dh;
                long ox = iw * c.sw - c.pw + kw * c.dw;
                if (oy < 0 || oy >= oh || ox < 0 || ox >= ow)
                  continue;
                double wv = w[((ci * cog + co) * c.kh + kh) * c.kw + kw];
                y[((n * c.cout + g * cog + co) * oh + oy) * ow + ox] += xv * wv;
              }
          }
    }
  return std::vector<float>(y.begin(), y.end());
}

} // namespace

int main(int argc, char **argv) {
  std::vector<long> v;
  int runs = 20, warmup = 3;
  std::string layout = "auto";
  bool check = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strncmp(argv[i], "--runs=", 7))
      runs = std::atoi(argv[i] + 7);
    else if (!std::strncmp(argv[i], "--warmup=", 9))
      warmup = std::atoi(argv[i] + 9);
    else if (!std::strncmp(argv[i], "--layout=", 9))
      layout = argv[i] + 9;
    else if (!std::strcmp(argv[i], "--check"))
      check = true;
    else
      v.push_back(std::atol(argv[i]));
  }
  if (v.size() != 16 || (layout != "auto" && layout != "any" &&
                         layout != "nchw")) {
    std::fprintf(stderr,
                 "usage: deconv-onednn N Cin H W Cout kH kW sH sW pH pW opH "
                 "opW dH dW groups [--runs=R] [--warmup=W] "
                 "[--layout=auto|nchw|any] [--check]\n");
    return 1;
  }
  Config c{v[0], v[1], v[2],  v[3],  v[4],  v[5],  v[6],  v[7],
           v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]};
  try {
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    auto fill = [&](long count) {
      std::vector<float> a(count);
      for (float &e : a)
        e = u(rng);
      return a;
    };
    if (check) {
      Config small = c;
      small.n = std::min<long>(c.n, 2);
      std::vector<float> x = fill(small.n * c.cin * c.h * c.w);
      std::vector<float> w =
          fill(c.cin * (c.cout / c.groups) * c.kh * c.kw);
      std::vector<float> b = fill(c.cout);
      std::vector<float> ref = reference(small, x, w, b);
      for (const char *l : {"any", "nchw"}) {
        std::vector<float> y(ref.size());
        run(small, std::string(l) == "any", x, w, b, y, /*warmup=*/0,
            /*runs=*/1);
        double err = 0;
        for (size_t i = 0; i < y.size(); ++i)
          err = std::max(err, double(std::fabs(y[i] - ref[i])) /
                                  (1.0 + std::fabs(ref[i])));
        std::printf("check: layout=%s max_rel_err=%.3g %s\n", l, err,
                    err < 1e-4 ? "ok" : "FAILED");
        if (err >= 1e-4)
          return 1;
      }
      return 0;
    }
    std::vector<float> x = fill(c.n * c.cin * c.h * c.w);
    std::vector<float> w = fill(c.cin * (c.cout / c.groups) * c.kh * c.kw);
    std::vector<float> b = fill(c.cout);
    std::vector<float> y(c.n * c.cout * c.oh() * c.ow());
    Result best;
    std::string bestLayout;
    for (const char *l : {"any", "nchw"}) {
      if (layout != "auto" && layout != l)
        continue;
      Result r = run(c, std::string(l) == "any", x, w, b, y, warmup, runs);
      if (bestLayout.empty() || r.median < best.median) {
        best = r;
        bestLayout = l;
      }
    }
    std::printf("onednn: median_ms=%.4f min_ms=%.4f gflops=%.3f runs=%d "
                "layout=%s impl=%s cpu_ms_per_run=%.4f\n",
                best.median, best.min, c.flops() / (best.median * 1e-3) / 1e9,
                runs, bestLayout.c_str(), best.impl.c_str(), best.cpu);
  } catch (dnnl::error &e) {
    std::fprintf(stderr, "deconv-onednn: error: %s (status %d)\n", e.what(),
                 int(e.status));
    return 1;
  }
  return 0;
}
