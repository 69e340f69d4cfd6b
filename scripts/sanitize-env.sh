# Sourced by scripts/test.sh --sanitize: the ASan + UBSan build and the
# environment its tests run in.
#   source scripts/sanitize-env.sh BUILD_DIR REPORT_DIR
# Defines sanitize_cmake_args (CMake configure arguments), pytest_env (a
# command prefix for the Python suite) and sanitizer_summary (writes a JUnit
# report with one test case per sanitizer report, or one passing case).
_san_build=$1
_san_reports=$2
_san_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$_san_reports"

# Every part uses the shared ASan runtime (it carries UBSan's handlers too):
# the Python extension cannot carry its own, so python3 preloads the same
# one, and executables started from Python then agree with it.
_san_rt=$(clang++-22 -print-file-name=libclang_rt.asan-x86_64.so)
_san_rtdir=$(dirname "$_san_rt")
_san_flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -gline-tables-only"
_san_link="-fsanitize=address,undefined -shared-libsan -Wl,-rpath,$_san_rtdir"
sanitize_cmake_args=(
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22
  -DCMAKE_BUILD_TYPE=RelWithDebInfo
  "-DCMAKE_C_FLAGS=$_san_flags" "-DCMAKE_CXX_FLAGS=$_san_flags"
  "-DCMAKE_EXE_LINKER_FLAGS=$_san_link"
  "-DCMAKE_SHARED_LINKER_FLAGS=$_san_link"
  "-DCMAKE_MODULE_LINKER_FLAGS=$_san_link"
)

# Reports go to files (one per process), counted at the end; the first
# error stops a process (so its test fails too).
#  allocator_may_return_null=1: a request too large for any machine gets
#    null from malloc, as without ASan, so the code's own handling of it
#    runs (ASan would stop the process instead);
#  detect_leaks=1: LeakSanitizer at every instrumented process's exit, with
#    the suppressions in scripts/lsan.supp (each one justified there).
export ASAN_OPTIONS="log_path=$_san_reports/asan:allocator_may_return_null=1:detect_leaks=1:detect_stack_use_after_return=0:strict_init_order=1"
export UBSAN_OPTIONS="log_path=$_san_reports/ubsan:print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$_san_root/scripts/lsan.supp:print_suppressions=0"
export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-22/bin/llvm-symbolizer

# python3 itself is not instrumented and keeps objects alive at exit by
# design, so leak checking is off in the Python suite's processes; the
# module's own growth is measured by python/tests/test_rss.py instead.
pytest_env=(env "LD_PRELOAD=$_san_rt"
            "ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0")

sanitizer_summary() { # JUNIT_XML
  local out=$1 n=0 f
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<testsuites><testsuite name="sanitizers">'
    for f in "$_san_reports"/*; do
      [ -s "$f" ] || continue
      n=$((n + 1))
      echo "<testcase classname=\"sanitizers\" name=\"$(basename "$f")\"><failure/></testcase>"
    done
    [ "$n" = 0 ] && echo '<testcase classname="sanitizers" name="no-reports"/>'
    echo '</testsuite></testsuites>'
  } >"$out"
  echo "== sanitizers: $n report(s) =="
  for f in "$_san_reports"/*; do
    [ -s "$f" ] && { echo "--- $f"; head -60 "$f"; }
  done
  return 0
}
