#!/usr/bin/env bash
# Builds flow-mlir and runs every test suite (lit, then pytest), ending with
# one line "N passed, N failed, N skipped" summed over all suites. The exit
# code is non-zero when anything failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FLOW_BUILD_DIR:-$root/build}
py=/usr/bin/python3

"$root/scripts/build.sh" || { echo "0 passed, 1 failed"; exit 1; }

reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT

if [ -x "$build/bin/flow-unittests" ]; then
  echo "== unit tests =="
  "$build/bin/flow-unittests" --gtest_brief=1 --gtest_output="xml:$reports/unit.xml"
fi

echo "== lit =="
/usr/lib/llvm-22/bin/lit -sv "$build/test" --xunit-xml-output="$reports/lit.xml"

if [ -d "$root/python/tests" ]; then
  echo "== pytest =="
  PYTHONPATH="$build/python_packages${PYTHONPATH:+:$PYTHONPATH}" \
    $py -m pytest -q -p no:cacheprovider "$root/python/tests" \
    --junitxml="$reports/pytest.xml"
fi

$py "$root/scripts/summarize_tests.py" "$reports"/*.xml
