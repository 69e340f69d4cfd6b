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
#   scripts/test.sh --no-build  the suites on the existing build, unbuilt
#
# A suite that did not write its report, a missing unit-test binary and a
# non-zero exit code of lit or pytest count as failures
# (scripts/summarize_tests.py). With CI=true, tests skipped for lack of torch
# (the numeric oracle) fail the run. FLOW_LIT and FLOW_TEST_PYTHON replace
# lit and the Python that runs pytest.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${FLOW_TEST_PYTHON:-/usr/bin/python3}
lit=${FLOW_LIT:-/usr/lib/llvm-22/bin/lit}
sanitize=0
build_step=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sanitize) sanitize=1 ;;
    --no-build) build_step=0 ;;
    *) echo "scripts/test.sh: unknown option '$1'"; exit 2 ;;
  esac
  shift
done

reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT

if [ "$sanitize" = 1 ]; then
  build=${FLOW_BUILD_DIR:-$root/build-asan}
  source "$root/scripts/sanitize-env.sh" "$build" "$reports/sanitizer"
  if [ "$build_step" = 1 ]; then
    FLOW_BUILD_DIR=$build "$root/scripts/build.sh" "${sanitize_cmake_args[@]}" ||
      { echo "0 passed, 1 failed"; exit 1; }
  fi
elif [ "$build_step" = 1 ]; then
  build=${FLOW_BUILD_DIR:-$root/build}
  "$root/scripts/build.sh" || { echo "0 passed, 1 failed"; exit 1; }
else
  build=${FLOW_BUILD_DIR:-$root/build}
fi
# The fuzzers (test/Fuzz runs them) when clang-22's libFuzzer is here, in
# both modes (they carry their own sanitizers): built from this tree, never
# an older build-fuzz/. A failed fuzzer build fails those tests.
if [ "$build_step" = 1 ] && command -v clang++-22 >/dev/null &&
   [ -f "$(clang++-22 -print-file-name=libclang_rt.fuzzer-x86_64.a)" ]; then
  export FLOW_REQUIRE_FUZZER=1
  # A failed build must not leave older fuzzers to be run: point the tests
  # at an empty folder, so that they fail.
  "$root/scripts/fuzz.sh" --build-only >"$reports/fuzz-build.log" 2>&1 || {
    echo "fuzzer build failed:"; tail -20 "$reports/fuzz-build.log"
    export FLOW_FUZZ_BUILD_DIR="$reports/no-fuzzers"; }
fi

# "name:exit code:report" of each suite, for summarize_tests.py.
suites=()

echo "== unit tests =="
if [ -x "$build/bin/flow-unittests" ]; then
  "$build/bin/flow-unittests" --gtest_brief=1 --gtest_output="xml:$reports/unit.xml"
  suites+=("unit:$?:$reports/unit.xml")
else
  echo "$build/bin/flow-unittests is missing"
  suites+=("unit:127:$reports/unit.xml")
fi

echo "== lit =="
lit_args=()
if [ "$sanitize" = 1 ]; then
  # The full differential test is too slow with an instrumented flow-runner;
  # test/Sanitizers/differential-reduced.py runs it on 40 configurations.
  lit_args+=(--filter-out 'Integration/CPU/differential\.py')
fi
"$lit" -sv ${lit_args[@]+"${lit_args[@]}"} "$build/test" \
  --xunit-xml-output="$reports/lit.xml"
suites+=("lit:$?:$reports/lit.xml")

if [ -d "$root/python/tests" ]; then
  echo "== pytest =="
  PYTHONPATH="$build/python_packages${PYTHONPATH:+:$PYTHONPATH}" \
    ${pytest_env[@]+"${pytest_env[@]}"} $py -m pytest -q -p no:cacheprovider "$root/python/tests" \
    --junitxml="$reports/pytest.xml"
  suites+=("pytest:$?:$reports/pytest.xml")
fi

if [ "$sanitize" = 1 ]; then
  sanitizer_summary "$reports/sanitizer.xml"
  suites+=("sanitizer:0:$reports/sanitizer.xml")
fi

summary_args=()
if [ "${CI:-}" = true ]; then
  summary_args+=(--require-oracle)
fi
/usr/bin/python3 "$root/scripts/summarize_tests.py" \
  ${summary_args[@]+"${summary_args[@]}"} "${suites[@]}"
