/*===- flow-capi-test.c - Test of the flow C API -----------------*- C -*-===*\
|*                                                                            *|
|* Part of the flow-mlir project.                                             *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

/* RUN: flow-capi-test 2>&1 | FileCheck %s
 */

/* A C (not C++) client of the flow C API next to MLIR's own C API. Each
 * section prints what FileCheck looks for; the process exits non-zero when
 * a call that must succeed fails. */

#include "flow-c/Dialect.h"
#include "flow-c/Jit.h"
#include "flow-c/Passes.h"
#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/RegisterEverything.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void printToStdout(MlirStringRef s, void *userData) {
  (void)userData;
  fwrite(s.data, 1, s.length, stdout);
}

/* Collects the text an error callback receives (possibly in pieces). */
typedef struct ErrorBuffer {
  char text[4096];
  size_t length;
} ErrorBuffer;

static void collectError(MlirStringRef s, void *userData) {
  ErrorBuffer *buffer = (ErrorBuffer *)userData;
  size_t room = sizeof(buffer->text) - 1 - buffer->length;
  size_t n = s.length < room ? s.length : room;
  memcpy(buffer->text + buffer->length, s.data, n);
  buffer->length += n;
  buffer->text[buffer->length] = 0;
}

/* The error of the last call, printed as "<label>: <text>" on one line. */
static ErrorBuffer lastError;
static void *resetError(void) {
  lastError.length = 0;
  lastError.text[0] = 0;
  return &lastError;
}
static void printError(const char *label) {
  for (size_t i = 0; i < lastError.length; ++i)
    if (lastError.text[i] == '\n')
      lastError.text[i] = ' ';
  printf("%s: %s\n", label, lastError.text);
}

static MlirStringRef str(const char *s) {
  return mlirStringRefCreateFromCString(s);
}

#define EXPECT(cond)                                                           \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stdout, "FAILED: %s (line %d)\n", #cond, __LINE__);              \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

static const char *convModule =
    "func.func @main(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x2x2xf32>,\n"
    "                %b: tensor<1xf32>) -> tensor<?x?x?x?xf32> {\n"
    "  %y = flow.conv_transpose2d %x, %w, %b {stride = array<i64: 2, 2>}\n"
    "     : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1xf32>)\n"
    "     -> tensor<?x?x?x?xf32>\n"
    "  return %y : tensor<?x?x?x?xf32>\n"
    "}\n";

static MlirContext createContext(void) {
  MlirContext ctx = mlirContextCreate();
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  mlirRegisterAllDialects(registry);
  mlirDialectHandleInsertDialect(mlirGetDialectHandle__flow__(), registry);
  mlirContextAppendDialectRegistry(ctx, registry);
  mlirDialectRegistryDestroy(registry);
  return ctx;
}

/* Runs the textual pipeline `pipeline` on `module` and prints the result. */
static void runPipeline(MlirContext ctx, MlirModule module,
                        const char *pipeline) {
  MlirPassManager pm = mlirPassManagerCreate(ctx);
  MlirOpPassManager opm = mlirPassManagerGetAsOpPassManager(pm);
  if (mlirLogicalResultIsFailure(
          mlirParsePassPipeline(opm, str(pipeline), collectError, resetError())))
    printError("error");
  EXPECT(mlirLogicalResultIsSuccess(
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module))));
  mlirOperationPrint(mlirModuleGetOperation(module), printToStdout, NULL);
  fputc('\n', stdout);
  mlirPassManagerDestroy(pm);
}

static void testDialect(void) {
  printf("@dialect\n");
  MlirDialectHandle flow = mlirGetDialectHandle__flow__();
  MlirStringRef ns = mlirDialectHandleGetNamespace(flow);
  printf("namespace: %.*s\n", (int)ns.length, ns.data);

  MlirContext ctx = createContext();
  MlirDialect dialect = mlirDialectHandleLoadDialect(flow, ctx);
  EXPECT(!mlirDialectIsNull(dialect));
  MlirModule module = mlirModuleCreateParse(ctx, str(convModule));
  EXPECT(!mlirModuleIsNull(module));
  EXPECT(mlirOperationVerify(mlirModuleGetOperation(module)));
  mlirOperationPrint(mlirModuleGetOperation(module), printToStdout, NULL);
  fputc('\n', stdout);
  mlirModuleDestroy(module);
  mlirContextDestroy(ctx);
}
// CHECK-LABEL: @dialect
// CHECK: namespace: flow
// CHECK: func.func @main
// CHECK: flow.conv_transpose2d %{{.*}}, %{{.*}}, %{{.*}} {stride = array<i64: 2, 2>}

static void testPasses(void) {
  printf("@passes\n");
  mlirRegisterFlowPassesAndPipelines();
  mlirRegisterFlowPassesAndPipelines(); /* idempotent */
  MlirContext ctx = createContext();

  /* A pass object from the generated C API: flow-infer-shapes. */
  MlirModule module = mlirModuleCreateParse(ctx, str(convModule));
  EXPECT(!mlirModuleIsNull(module));
  MlirPassManager pm = mlirPassManagerCreate(ctx);
  mlirPassManagerAddOwnedPass(pm, mlirCreateFlowFlowInferShapes());
  EXPECT(mlirLogicalResultIsSuccess(
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module))));
  mlirOperationPrint(mlirModuleGetOperation(module), printToStdout, NULL);
  fputc('\n', stdout);
  mlirPassManagerDestroy(pm);

  /* Registered passes and pipelines by name. */
  printf("@to-linalg\n");
  runPipeline(ctx, module, "builtin.module(func.func(convert-flow-to-linalg))");
  mlirModuleDestroy(module);

  printf("@to-cpu\n");
  module = mlirModuleCreateParse(ctx, str(convModule));
  runPipeline(ctx, module, "builtin.module(flow-lower-to-cpu)");
  mlirModuleDestroy(module);

  printf("@bad-pipeline\n");
  MlirPassManager bad = mlirPassManagerCreate(ctx);
  EXPECT(mlirLogicalResultIsFailure(mlirParsePassPipeline(
      mlirPassManagerGetAsOpPassManager(bad),
      str("builtin.module(flow-lower-to-cpu{strategy=diagonal})"),
      collectError, resetError())));
  printError("error");
  mlirPassManagerDestroy(bad);
  mlirContextDestroy(ctx);
}
// CHECK-LABEL: @passes
// CHECK: func.func @main({{.*}}) -> tensor<1x1x4x4xf32>
// CHECK: flow.conv_transpose2d {{.*}} -> tensor<1x1x4x4xf32>
// CHECK-LABEL: @to-linalg
// CHECK-NOT: flow.conv_transpose2d
// CHECK: linalg.generic
// CHECK-LABEL: @to-cpu
// CHECK-NOT: flow.
// CHECK: llvm.func @main
// CHECK-LABEL: @bad-pipeline
// CHECK: error: failed to add `flow-lower-to-cpu` with options `strategy=diagonal`

static void printArray(const char *name, FlowArray a) {
  int64_t count = 1;
  printf("%s: dtype=%d shape=", name, (int)a.dtype);
  for (intptr_t i = 0; i < a.rank; ++i) {
    printf("%s%lld", i ? "x" : "", (long long)a.shape[i]);
    count *= a.shape[i];
  }
  printf(" data=");
  for (int64_t i = 0; i < count; ++i)
    printf("%s%g", i ? " " : "", ((const float *)a.data)[i]);
  printf("\n");
}

/* A run that must fail: prints "<label>: <error>". */
static void expectRunFails(const char *label, FlowJitModule m, intptr_t n,
                           const FlowArray *inputs) {
  FlowJitResults r = flowJitRun(m, n, inputs, collectError, resetError());
  EXPECT(flowJitResultsIsNull(r));
  printError(label);
}

/* A compilation that must fail: prints "<label>: <error>". */
static void expectCompileFails(const char *label, MlirStringRef source,
                               MlirStringRef entry, MlirStringRef target) {
  FlowJitModule m =
      flowJitCompile(source, entry, target, collectError, resetError());
  EXPECT(flowJitModuleIsNull(m));
  printError(label);
}

static void testJit(void) {
  printf("@jit\n");
  FlowJitModule m = flowJitCompile(str(convModule), str("main"), str("cpu"),
                                   collectError, resetError());
  if (flowJitModuleIsNull(m))
    printError("error");
  EXPECT(!flowJitModuleIsNull(m));
  printf("inputs=%d results=%d\n", (int)flowJitModuleGetNumInputs(m),
         (int)flowJitModuleGetNumResults(m));
  printf("input 0: ");
  flowJitModulePrintInputType(m, 0, printToStdout, NULL);
  printf("\nresult 0: ");
  flowJitModulePrintResultType(m, 0, printToStdout, NULL);
  printf("\n");

  /* Each input pixel scatters x * w into a 2x2 block (stride 2), plus bias. */
  float x[4] = {1, 2, 3, 4}, w[4] = {1, 10, 100, 1000}, b[1] = {0.5f};
  int64_t xs[4] = {1, 1, 2, 2}, bs[1] = {1};
  FlowArray inputs[3] = {{FLOW_DTYPE_F32, 4, xs, x},
                         {FLOW_DTYPE_F32, 4, xs, w},
                         {FLOW_DTYPE_F32, 1, bs, b}};
  FlowJitResults r = flowJitRun(m, 3, inputs, collectError, resetError());
  if (flowJitResultsIsNull(r))
    printError("error");
  EXPECT(!flowJitResultsIsNull(r));
  EXPECT(flowJitResultsGetNumResults(r) == 1);
  printArray("y", flowJitResultsGetResult(r, 0));
  EXPECT(flowJitResultsGetResult(r, 1).data == NULL);
  flowJitResultsDestroy(r);

  /* Bad inputs: errors, and the module stays usable. */
  printf("@jit-errors\n");
  /* x holds 4 elements, not the 6 of this shape: flowJitRun reads no data
   * when a shape is not the signature's (the sanitizer build checks it). */
  int64_t wrong[4] = {1, 1, 3, 2};
  FlowArray bad[3] = {{FLOW_DTYPE_F32, 4, wrong, x},
                      {FLOW_DTYPE_F32, 4, xs, w},
                      {FLOW_DTYPE_F32, 1, bs, b}};
  expectRunFails("shape", m, 3, bad);
  expectRunFails("count", m, 2, inputs);
  bad[0].shape = xs;
  bad[0].dtype = FLOW_DTYPE_F64;
  expectRunFails("dtype", m, 3, bad);
  bad[0].dtype = (FlowDType)42;
  expectRunFails("enum", m, 3, bad);
  bad[0].dtype = FLOW_DTYPE_F32;
  bad[0].rank = -1;
  expectRunFails("rank", m, 3, bad);
  bad[0].rank = 4;
  bad[0].data = NULL;
  expectRunFails("null-data", m, 3, bad);
  expectRunFails("null", m, 3, NULL);
  /* No error callback: still no crash. */
  EXPECT(flowJitResultsIsNull(flowJitRun(m, 3, bad, NULL, NULL)));
  r = flowJitRun(m, 3, inputs, collectError, resetError());
  EXPECT(!flowJitResultsIsNull(r));
  printArray("again", flowJitResultsGetResult(r, 0));
  flowJitResultsDestroy(r);
  flowJitModuleDestroy(m);

  FlowJitModule null = {NULL};
  expectRunFails("null-module", null, 3, inputs);
  EXPECT(flowJitModuleGetNumInputs(null) == 0);
  EXPECT(flowJitResultsGetNumResults((FlowJitResults){NULL}) == 0);
  flowJitModuleDestroy(null);
  flowJitResultsDestroy((FlowJitResults){NULL});

  /* Bad modules and options. */
  expectCompileFails("target", str(convModule), str("main"), str("tpu"));
  expectCompileFails("entry", str(convModule), str("nope"), str("cpu"));
  expectCompileFails("parse", str("func.func @main( {"), str("main"),
                     str("cpu"));
  expectCompileFails(
      "verify",
      str("func.func @main(%x: tensor<1x2x3x3xf32>, %w: tensor<3x1x3x3xf32>)"
          " -> tensor<?x?x?x?xf32> {\n"
          "  %y = flow.conv_transpose2d %x, %w : (tensor<1x2x3x3xf32>,"
          " tensor<3x1x3x3xf32>) -> tensor<?x?x?x?xf32>\n"
          "  return %y : tensor<?x?x?x?xf32>\n}\n"),
      str("main"), str("cpu"));
  MlirStringRef empty = {NULL, 0};
  expectCompileFails("empty", empty, empty, str("cpu"));
  EXPECT(flowJitModuleIsNull(
      flowJitCompile(str(convModule), str("main"), empty, NULL, NULL)));
  printf("sizes: %d %d %d %d %d\n", (int)flowDTypeGetSize(FLOW_DTYPE_F16),
         (int)flowDTypeGetSize(FLOW_DTYPE_BF16),
         (int)flowDTypeGetSize(FLOW_DTYPE_F32),
         (int)flowDTypeGetSize(FLOW_DTYPE_F64),
         (int)flowDTypeGetSize((FlowDType)7));
}
// CHECK-LABEL: @jit
// CHECK-NOT: error
// CHECK: inputs=3 results=1
// CHECK: input 0: tensor<1x1x2x2xf32>
// CHECK: result 0: tensor<?x?x?x?xf32>
// CHECK: y: dtype=2 shape=1x1x4x4 data=1.5 10.5 2.5 20.5 100.5 1000.5 200.5 2000.5 3.5 30.5 4.5 40.5 300.5 3000.5 400.5 4000.5
// CHECK-LABEL: @jit-errors
// CHECK: shape: argument 0: expected shape {{.*}}(tensor<1x1x2x2xf32>), got
// CHECK: count: @main takes 3 argument(s), got 2
// CHECK: dtype: argument 0: expected dtype float32 (tensor<1x1x2x2xf32>), got float64
// CHECK: enum: input #0: unknown dtype 42
// CHECK: rank: input #0: negative rank -1
// CHECK: null-data: input #0: null data
// CHECK: null: flowJitRun: no input array
// CHECK: again: dtype=2 shape=1x1x4x4 data=1.5 10.5 2.5 20.5
// CHECK: null-module: flowJitRun: null module
// CHECK: target: unknown target 'tpu' (expected cpu or cuda)
// CHECK: entry: <source>: no function 'nope'
// CHECK: parse: <source>:1:{{[0-9]+}}: {{.*}}expected
// CHECK: verify: <source>:2:{{[0-9]+}}: {{.*}}'flow.conv_transpose2d' op {{.*}}channels
// CHECK: empty: <source>: no function 'main'
// CHECK: sizes: 2 2 4 8 0

/* A dynamic bias: its length must be the output channels (1), checked
 * before the call (the CPU kernels read one element). */
static void testDynamicBias(void) {
  printf("@dynamic-bias\n");
  const char *source =
      "func.func @main(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x2x2xf32>,\n"
      "                %b: tensor<?xf32>) -> tensor<?x?x?x?xf32> {\n"
      "  %y = flow.conv_transpose2d %x, %w, %b {stride = array<i64: 2, 2>}\n"
      "    : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<?xf32>)\n"
      "    -> tensor<?x?x?x?xf32>\n"
      "  return %y : tensor<?x?x?x?xf32>\n"
      "}\n";
  FlowJitModule m = flowJitCompile(str(source), str("main"), str("cpu"),
                                   collectError, resetError());
  if (flowJitModuleIsNull(m))
    printError("error");
  EXPECT(!flowJitModuleIsNull(m));
  float x[4] = {1, 2, 3, 4}, w[4] = {1, 10, 100, 1000}, b[2] = {0.5f, 7};
  int64_t xs[4] = {1, 1, 2, 2}, bs[1] = {1}, bs2[1] = {2};
  FlowArray inputs[3] = {{FLOW_DTYPE_F32, 4, xs, x},
                         {FLOW_DTYPE_F32, 4, xs, w},
                         {FLOW_DTYPE_F32, 1, bs, b}};
  FlowJitResults r = flowJitRun(m, 3, inputs, collectError, resetError());
  if (flowJitResultsIsNull(r))
    printError("error");
  EXPECT(!flowJitResultsIsNull(r));
  printArray("y", flowJitResultsGetResult(r, 0));
  flowJitResultsDestroy(r);
  inputs[2].shape = bs2;
  expectRunFails("bias", m, 3, inputs);
  flowJitModuleDestroy(m);
}
// CHECK-LABEL: @dynamic-bias
// CHECK-NOT: error
// CHECK: y: dtype=2 shape=1x1x4x4 data=1.5 10.5 2.5 20.5 100.5 1000.5 200.5 2000.5
// CHECK: bias: @main: argument 2 (the bias of the conv_transpose2d at <source>:3:8): dim 0 is 2, expected 1 (the output channels (weight dim 1))
// CHECK: @done

int main(void) {
  testDialect();
  testPasses();
  testJit();
  testDynamicBias();
  printf("@done\n");
  return 0;
}
