#!/usr/bin/env bash
# Builds flow-mlir and runs every test suite (lit, then pytest), ending with
# one line "N passed, N failed, N skipped" summed over all suites. The exit
# code is non-zero when anything failed.
#
#   scripts/test.sh             the build in build/ (and the fuzzers of
#                               fuzz/ in build-fuzz/, run by test/Fuzz)
#   scripts/test.sh --sanitize  the same suites on an ASan + UBSan build
#                               (clang-22) in build-asan/; every sanitizer
#                               report counts as a failed test
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=/usr/bin/python3
sanitize=0
if [ "${1:-}" = "--sanitize" ]; then
  sanitize=1
  shift
fi

reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT

if [ "$sanitize" = 1 ]; then
  build=${FLOW_BUILD_DIR:-$root/build-asan}
  source "$root/scripts/sanitize-env.sh" "$build" "$reports/sanitizer"
  FLOW_BUILD_DIR=$build "$root/scripts/build.sh" "${sanitize_cmake_args[@]}" ||
    { echo "0 passed, 1 failed"; exit 1; }
else
  build=${FLOW_BUILD_DIR:-$root/build}
  "$root/scripts/build.sh" || { echo "0 passed, 1 failed"; exit 1; }
fi
# The fuzzers (test/Fuzz runs them) when clang-22's libFuzzer is here, in
# both modes (they carry their own sanitizers): built from this tree, never
# an older build-fuzz/. A failed fuzzer build fails those tests.
if command -v clang++-22 >/dev/null &&
   [ -f "$(clang++-22 -print-file-name=libclang_rt.fuzzer-x86_64.a)" ]; then
  export FLOW_REQUIRE_FUZZER=1
  # A failed build must not leave older fuzzers to be run: point the tests
  # at an empty folder, so that they fail.
  "$root/scripts/fuzz.sh" --build-only >"$reports/fuzz-build.log" 2>&1 || {
    echo "fuzzer build failed:"; tail -20 "$reports/fuzz-build.log"
    export FLOW_FUZZ_BUILD_DIR="$reports/no-fuzzers"; }
fi

if [ -x "$build/bin/flow-unittests" ]; then
  echo "== unit tests =="
  "$build/bin/flow-unittests" --gtest_brief=1 --gtest_output="xml:$reports/unit.xml"
fi

echo "== lit =="
lit_args=()
if [ "$sanitize" = 1 ]; then
  # The full differential test is too slow with an instrumented flow-runner;
  # test/Sanitizers/differential-reduced.py runs it on 40 configurations.
  lit_args+=(--filter-out 'Integration/CPU/differential\.py')
fi
/usr/lib/llvm-22/bin/lit -sv ${lit_args[@]+"${lit_args[@]}"} "$build/test" \
  --xunit-xml-output="$reports/lit.xml"

if [ -d "$root/python/tests" ]; then
  echo "== pytest =="
  PYTHONPATH="$build/python_packages${PYTHONPATH:+:$PYTHONPATH}" \
    ${pytest_env[@]+"${pytest_env[@]}"} $py -m pytest -q -p no:cacheprovider "$root/python/tests" \
    --junitxml="$reports/pytest.xml"
fi

if [ "$sanitize" = 1 ]; then
  sanitizer_summary "$reports/sanitizer.xml"
fi

$py "$root/scripts/summarize_tests.py" "$reports"/*.xml
