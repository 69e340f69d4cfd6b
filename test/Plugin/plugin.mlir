// The stock mlir-opt reads and lowers flow IR through FlowPlugin.so.

// Without the plugin the stock mlir-opt knows no flow dialect.
// RUN: not %stock_mlir_opt %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN
// NOPLUGIN: error: Dialect `flow' not found for custom op 'flow.conv_transpose2d'

// The dialect plugin alone: parse and print (round trip).
// RUN: %stock_mlir_opt %s --load-dialect-plugin=%flow_plugin \
// RUN:   | FileCheck %s --check-prefix=PARSE
// PARSE-LABEL: func.func @seed
// PARSE: flow.conv_transpose2d %{{.*}}, %{{.*}}, %{{.*}} {padding = array<i64: 4, 2>, stride = array<i64: 2, 1>}
// PARSE-LABEL: func.func @dynamic

// Both plugins: the conversion to linalg.
// RUN: %stock_mlir_opt %s --load-dialect-plugin=%flow_plugin \
// RUN:   --load-pass-plugin=%flow_plugin \
// RUN:   --pass-pipeline='builtin.module(func.func(convert-flow-to-linalg))' \
// RUN:   | FileCheck %s --check-prefix=LINALG
// LINALG-LABEL: func.func @seed
// LINALG-NOT: flow.
// LINALG: linalg.generic
// LINALG: tensor.insert_slice
// LINALG-LABEL: func.func @dynamic
// LINALG-NOT: flow.
// LINALG: linalg.generic

// Pass options go through too.
// RUN: %stock_mlir_opt %s --load-dialect-plugin=%flow_plugin \
// RUN:   --load-pass-plugin=%flow_plugin \
// RUN:   --pass-pipeline='builtin.module(func.func(convert-flow-to-linalg{strategy=zero-insert}))' \
// RUN:   | FileCheck %s --check-prefix=ZERO
// ZERO-LABEL: func.func @seed
// ZERO-NOT: flow.
// ZERO: linalg.generic

// flow-infer-shapes.
// RUN: %stock_mlir_opt %s --load-dialect-plugin=%flow_plugin \
// RUN:   --load-pass-plugin=%flow_plugin \
// RUN:   --pass-pipeline='builtin.module(flow-infer-shapes)' \
// RUN:   | FileCheck %s --check-prefix=SHAPES
// SHAPES-LABEL: func.func @seed
// SHAPES-SAME: -> tensor<20x33x93x100xf32>

// The CPU pipeline, down to the LLVM dialect.
// RUN: %stock_mlir_opt %s --load-dialect-plugin=%flow_plugin \
// RUN:   --load-pass-plugin=%flow_plugin \
// RUN:   --pass-pipeline='builtin.module(flow-lower-to-cpu)' \
// RUN:   | FileCheck %s --check-prefix=CPU
// CPU-NOT: flow.
// CPU-NOT: linalg.
// CPU: llvm.func @seed
// CPU: llvm.func @dynamic

// The pass plugin shows up in the stock mlir-opt's pass list.
// RUN: %stock_mlir_opt --load-pass-plugin=%flow_plugin --help \
// RUN:   | FileCheck %s --check-prefix=HELP
// HELP-DAG: --convert-flow-to-linalg
// HELP-DAG: --flow-infer-shapes
// HELP-DAG: --flow-lower-to-cpu

// The plugin uses mlir-opt's MLIR (libMLIR.so) instead of carrying its own.
// RUN: nm -D --defined-only %flow_plugin | FileCheck %s --check-prefix=SYMS
// SYMS-NOT: _ZN4mlir11MLIRContextC
// SYMS-NOT: _ZN4mlir12PassRegistry
// SYMS: mlirGetDialectPluginInfo
// SYMS-NOT: _ZN4mlir11MLIRContextC
// SYMS: mlirGetPassPluginInfo
// SYMS-NOT: _ZN4mlir11MLIRContextC
// RUN: readelf -d %flow_plugin | FileCheck %s --check-prefix=NEEDED
// NEEDED-DAG: Shared library: [libMLIR.so.22.1]
// NEEDED-DAG: Shared library: [libLLVM.so.22.1]

func.func @seed(%x: tensor<20x16x50x100xf32>, %w: tensor<16x33x3x5xf32>,
                %b: tensor<33xf32>) -> tensor<?x?x?x?xf32> {
  %y = flow.conv_transpose2d %x, %w, %b
         {stride = array<i64: 2, 1>, padding = array<i64: 4, 2>}
       : (tensor<20x16x50x100xf32>, tensor<16x33x3x5xf32>, tensor<33xf32>)
       -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

func.func @dynamic(%x: tensor<?x4x?x?xf64>, %w: tensor<4x2x3x3xf64>)
    -> tensor<?x2x?x?xf64> {
  %y = flow.conv_transpose2d %x, %w {stride = array<i64: 2, 2>}
       : (tensor<?x4x?x?xf64>, tensor<4x2x3x3xf64>) -> tensor<?x2x?x?xf64>
  return %y : tensor<?x2x?x?xf64>
}
