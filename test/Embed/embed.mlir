// `cmake --install` this build into a fresh prefix, then build
// examples/embed (a downstream project: find_package(FlowMLIR CONFIG) and
// its own opt tool) against that prefix and LLVM/MLIR 22 alone.
// REQUIRES: cmake-ninja

// RUN: rm -rf %t && mkdir -p %t
// RUN: %cmake --install %flow_obj_root --prefix %t/prefix --component FlowMLIR > %t/install.log

// The installed layout: package, headers (hand-written and generated),
// libraries, tools, plugin.
// RUN: cd %t/prefix && find . -type f | sort | FileCheck %s --check-prefix=LAYOUT
// LAYOUT-DAG: ./bin/flow-opt
// LAYOUT-DAG: ./bin/flow-runner
// LAYOUT-DAG: ./include/flow-c/Dialect.h
// LAYOUT-DAG: ./include/flow-c/FlowPasses.capi.h.inc
// LAYOUT-DAG: ./include/flow-c/Jit.h
// LAYOUT-DAG: ./include/flow/Dialect/Flow/IR/FlowOps.h
// LAYOUT-DAG: ./include/flow/Dialect/Flow/IR/FlowOps.h.inc
// LAYOUT-DAG: ./include/flow/Dialect/Flow/IR/FlowOps.td
// LAYOUT-DAG: ./include/flow/Registration/Registration.h
// LAYOUT-DAG: ./lib/FlowPlugin.so
// LAYOUT-DAG: ./lib/cmake/FlowMLIR/FlowMLIRConfig.cmake
// LAYOUT-DAG: ./lib/cmake/FlowMLIR/FlowMLIRConfigVersion.cmake
// LAYOUT-DAG: ./lib/cmake/FlowMLIR/FlowMLIRTargets.cmake
// LAYOUT-DAG: ./lib/libFlowCAPI.a
// LAYOUT-DAG: ./lib/libFlowDialect.a
// LAYOUT-DAG: ./lib/libFlowPipelines.a
// LAYOUT-DAG: ./lib/libFlowRegistration.a
// LAYOUT-DAG: ./lib/libFlowToLinalg.a
// LAYOUT-NOT: CMakeLists.txt

// The installed tools and plugin run from the prefix.
// RUN: %t/prefix/bin/flow-opt %s --flow-infer-shapes | FileCheck %s --check-prefix=SHAPES
// RUN: %stock_mlir_opt %s --load-dialect-plugin=%t/prefix/lib/FlowPlugin.so \
// RUN:   --load-pass-plugin=%t/prefix/lib/FlowPlugin.so \
// RUN:   --pass-pipeline='builtin.module(flow-infer-shapes)' \
// RUN:   | FileCheck %s --check-prefix=SHAPES

// Build the downstream project with only the prefix.
// RUN: %cmake -G Ninja -S %flow_src_root/examples/embed -B %t/build \
// RUN:   -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=%t/prefix \
// RUN:   -DCMAKE_EXPORT_COMPILE_COMMANDS=ON %embed_cmake_args > %t/configure.log
// RUN: FileCheck %s --check-prefix=CONFIGURE < %t/configure.log
// CONFIGURE: Using FlowMLIRConfig.cmake in: {{.*}}/prefix/lib/cmake/FlowMLIR
// RUN: %cmake --build %t/build > %t/build.log

// Nothing of the flow-mlir source or build tree is used.
// RUN: not grep -e '%flow_src_root/include' -e '%flow_obj_root/include' \
// RUN:   -e '%flow_obj_root/lib' %t/build/compile_commands.json %t/build/build.ninja

// embed-opt: flow registered in a downstream tool.
// RUN: %t/build/bin/embed-opt %s --flow-infer-shapes | FileCheck %s --check-prefix=SHAPES
// SHAPES-LABEL: func.func @seed
// SHAPES-SAME: -> tensor<20x33x93x100xf32>
// SHAPES: flow.conv_transpose2d

// RUN: %t/build/bin/embed-opt %s \
// RUN:   --pass-pipeline='builtin.module(func.func(convert-flow-to-linalg{strategy=zero-insert}),canonicalize)' \
// RUN:   | FileCheck %s --check-prefix=LINALG
// LINALG-LABEL: func.func @seed
// LINALG-NOT: flow.
// LINALG: linalg.generic

// RUN: %t/build/bin/embed-opt %s --flow-lower-to-cpu | FileCheck %s --check-prefix=CPU
// CPU-NOT: flow.
// CPU: llvm.func @seed

// my-opt: README.md's example, verbatim (below the file banner), runs both
// pipelines with its one registration call. The CUDA one compiles only (it
// needs ptxas from a CUDA toolkit, no GPU).
// RUN: %python %S/Inputs/readme_snippet.py %flow_src_root/README.md %flow_src_root/examples/embed/my-opt.cpp
// RUN: %t/build/bin/my-opt %s --flow-lower-to-cpu | FileCheck %s --check-prefix=CPU
// RUN: %if cuda-toolkit %{ %t/build/bin/my-opt %s --flow-lower-to-cuda | FileCheck %s --check-prefix=CUDA %}
// RUN: %if cuda-toolkit %{ %t/build/bin/embed-opt %s --flow-lower-to-cuda | FileCheck %s --check-prefix=CUDA %}
// CUDA-NOT: flow.
// CUDA: llvm.func @seed
// CUDA: gpu.launch_func
// CUDA: gpu.binary @{{.*}} [#gpu.object<#nvvm.target

// embed-capi: a C program linking FlowMLIR::FlowCAPI.
// RUN: %t/build/bin/embed-capi %s | FileCheck %s --check-prefix=CAPI
// CAPI: flow.conv_transpose2d
// CAPI: ---
// CAPI-NOT: flow.conv_transpose2d
// CAPI: linalg.generic
// RUN: not %t/build/bin/embed-capi %s.missing 2>&1 | FileCheck %s --check-prefix=CAPI-ERR
// CAPI-ERR: embed-capi: cannot read {{.*}}.missing

func.func @seed(%x: tensor<20x16x50x100xf32>, %w: tensor<16x33x3x5xf32>,
                %b: tensor<33xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w, %b
         {stride = array<i64: 2, 1>, padding = array<i64: 4, 2>}
       : (tensor<20x16x50x100xf32>, tensor<16x33x3x5xf32>, tensor<33xf32>)
       -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
