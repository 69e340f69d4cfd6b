// RUN: flow-opt %s --resolve-ranked-shaped-type-result-dims --canonicalize | FileCheck %s

// tensor.dim of a dynamic result is computed from the operands at run time:
// Hout = (H-1)*2 - 2*1 + 1*(3-1) + 1 + 1 = 2*H, clamped at 0.
// CHECK-LABEL: func.func @dynamic_dims
// CHECK-SAME: (%[[X:.*]]: tensor<?x4x?x7xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[N:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK-DAG: %[[H:.*]] = tensor.dim %[[X]], %[[C2]]
// CHECK: %[[HM1:.*]] = arith.subi %[[H]], %[[C1]]
// CHECK: %[[S:.*]] = arith.muli %[[HM1]], %[[C2]]
// CHECK: %[[E:.*]] = arith.addi %[[S]], %[[C2]]
// CHECK: %[[HOUT:.*]] = arith.maxsi %[[E]], %[[C0]]
// CHECK: return %[[N]], %[[HOUT]]
func.func @dynamic_dims(%x: tensor<?x4x?x7xf32>, %w: tensor<4x2x3x3xf32>) -> (index, index) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %y = flow.conv_transpose2d %x, %w
         {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
          output_padding = array<i64: 1, 1>}
       : (tensor<?x4x?x7xf32>, tensor<4x2x3x3xf32>) -> tensor<?x2x?x14xf32>
  %n = tensor.dim %y, %c0 : tensor<?x2x?x14xf32>
  %h = tensor.dim %y, %c2 : tensor<?x2x?x14xf32>
  return %n, %h : index, index
}
