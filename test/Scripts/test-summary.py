# scripts/test.sh's total: suites that did not report, a missing unit-test
# binary and non-zero exit codes are failures, not gaps in the sum; with
# --require-oracle (CI=true) tests skipped without torch fail too.
# RUN: rm -rf %t && mkdir -p %t && %python %s %t

# summarize_tests.py on crafted reports.
# RUN: %python %flow_src_root/scripts/summarize_tests.py lit:0:%t/lit-ok.xml pytest:0:%t/pytest-ok.xml | FileCheck %s --check-prefix=OK
# OK: {{^}}5 passed, 0 failed, 2 skipped
# RUN: not %python %flow_src_root/scripts/summarize_tests.py lit:0:%t/lit-ok.xml pytest:4:%t/missing.xml | FileCheck %s --check-prefix=NOREPORT
# NOREPORT: pytest: no test report (exit code 4; FileNotFoundError: {{.*}}missing.xml)
# NOREPORT-NEXT: {{^}}3 passed, 1 failed, 1 skipped
# RUN: not %python %flow_src_root/scripts/summarize_tests.py unit:0:%t/truncated.xml | FileCheck %s --check-prefix=TRUNC
# TRUNC: unit: no test report (exit code 0; ParseError: {{.*}}truncated.xml)
# TRUNC-NEXT: {{^}}0 passed, 1 failed, 0 skipped
# RUN: not %python %flow_src_root/scripts/summarize_tests.py lit:1:%t/lit-ok.xml | FileCheck %s --check-prefix=EXIT
# EXIT: lit: exit code 1 but no failed test in its report
# EXIT-NEXT: {{^}}3 passed, 1 failed, 1 skipped
# A non-zero exit code with failed tests counts those tests only.
# RUN: not %python %flow_src_root/scripts/summarize_tests.py lit:1:%t/lit-failed.xml | FileCheck %s --check-prefix=FAILED
# FAILED: {{^}}1 passed, 2 failed, 0 skipped
# RUN: not %python %flow_src_root/scripts/summarize_tests.py | FileCheck %s --check-prefix=NONE
# NONE: no test suite ran
# NONE-NEXT: {{^}}0 passed, 1 failed, 0 skipped

# Skipped for lack of torch (lit's feature, pytest.importorskip): fine
# outside CI, failures with --require-oracle; other skips stay skips.
# RUN: %python %flow_src_root/scripts/summarize_tests.py lit:0:%t/lit-notorch.xml pytest:0:%t/pytest-notorch.xml | FileCheck %s --check-prefix=NOTORCH
# NOTORCH: {{^}}1 passed, 0 failed, 4 skipped
# RUN: not %python %flow_src_root/scripts/summarize_tests.py --require-oracle lit:0:%t/lit-notorch.xml pytest:0:%t/pytest-notorch.xml | FileCheck %s --check-prefix=CI
# CI: lit: 1 test(s) skipped without torch, the numeric oracle (required in CI)
# CI-NEXT: pytest: 2 test(s) skipped without torch, the numeric oracle (required in CI)
# CI-NEXT: {{^}}1 passed, 3 failed, 4 skipped
# RUN: %python %flow_src_root/scripts/summarize_tests.py --require-oracle lit:0:%t/lit-ok.xml | FileCheck %s --check-prefix=CIOK
# CIOK: {{^}}3 passed, 0 failed, 1 skipped

# scripts/test.sh itself (--no-build) on a fake build: no unit-test binary,
# a lit that fails in its configuration without a report, a pytest that
# exits 4 without one: three failures, exit code 1.
# RUN: env FLOW_BUILD_DIR=%t/build FLOW_LIT=%t/bin/lit FLOW_TEST_PYTHON=%t/bin/python CI= \
# RUN:   not %flow_src_root/scripts/test.sh --no-build > %t/test-sh.log 2>&1
# RUN: FileCheck %s --check-prefix=SCRIPT < %t/test-sh.log
# SCRIPT: flow-unittests is missing
# SCRIPT: lit.cfg.py: error: fake configuration failure
# SCRIPT: unit: no test report (exit code 127;
# SCRIPT-NEXT: lit: no test report (exit code 2;
# SCRIPT-NEXT: pytest: no test report (exit code 4;
# SCRIPT-NEXT: {{^}}0 passed, 3 failed, 0 skipped
# The same fake suites that do report and pass: exit code 0; with CI=true
# and a torch-less skip, exit code 1.
# RUN: mkdir -p %t/build/bin && cp %t/bin/unittests %t/build/bin/flow-unittests
# RUN: env FLOW_BUILD_DIR=%t/build FLOW_LIT=%t/bin/lit-ok FLOW_TEST_PYTHON=%t/bin/python-ok CI= \
# RUN:   %flow_src_root/scripts/test.sh --no-build | tail -1 | FileCheck %s --check-prefix=GREEN
# GREEN: {{^}}6 passed, 0 failed, 2 skipped
# RUN: env FLOW_BUILD_DIR=%t/build FLOW_LIT=%t/bin/lit-notorch FLOW_TEST_PYTHON=%t/bin/python-ok CI=true \
# RUN:   not %flow_src_root/scripts/test.sh --no-build | tail -1 | FileCheck %s --check-prefix=RED
# RED: {{^}}4 passed, 1 failed, 3 skipped
"""Writes the crafted reports and fake tools into the folder argv[1]."""
import os
import stat
import sys

out = sys.argv[1]


def write(name, text, executable=False):
    path = os.path.join(out, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    if executable:
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)


def junit(*cases):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>'
            '<testsuite name="s">' + "".join(cases) +
            "</testsuite></testsuites>\n")


PASS = '<testcase classname="c" name="p"/>'
FAIL = '<testcase classname="c" name="f"><failure>boom</failure></testcase>'
SKIP_GPU = ('<testcase classname="c" name="g"><skipped message="Missing '
            'required feature(s): cuda-device"/></testcase>')
SKIP_LIT_TORCH = ('<testcase classname="c" name="t"><skipped message="Missing'
                  ' required feature(s): torch"/></testcase>')
SKIP_PY_TORCH = ('<testcase classname="c" name="t"><skipped type="pytest.skip"'
                 ' message="could not import \'torch\': No module named '
                 '\'torch\'">flowref.py:20: could not import \'torch\''
                 '</skipped></testcase>')

write("lit-ok.xml", junit(PASS, PASS, PASS, SKIP_GPU))
write("pytest-ok.xml", junit(PASS, PASS, SKIP_GPU))
write("lit-failed.xml", junit(PASS, FAIL, FAIL))
write("truncated.xml", junit(PASS)[:60])
write("lit-notorch.xml", junit(PASS, SKIP_LIT_TORCH, SKIP_GPU))
write("pytest-notorch.xml", junit(SKIP_PY_TORCH, SKIP_PY_TORCH))


def report_arg(flag):
    """Shell that copies a crafted report to the path given as FLAG=PATH."""
    return ('for a in "$@"; do case "$a" in ' + flag +
            '=*) cp "$SRC" "${a#*=}";; esac; done\n')


write("bin/lit", "#!/bin/sh\necho 'lit.cfg.py: error: fake configuration "
      "failure' >&2\nexit 2\n", executable=True)
write("bin/python", "#!/bin/sh\necho 'pytest: usage error' >&2\nexit 4\n",
      executable=True)
write("bin/lit-ok", "#!/bin/sh\nSRC=" + os.path.join(out, "lit-ok.xml") +
      "\n" + report_arg("--xunit-xml-output"), executable=True)
write("bin/lit-notorch", "#!/bin/sh\nSRC=" +
      os.path.join(out, "lit-notorch.xml") + "\n" +
      report_arg("--xunit-xml-output"), executable=True)
write("bin/python-ok", "#!/bin/sh\nSRC=" + os.path.join(out, "pytest-ok.xml")
      + "\n" + report_arg("--junitxml"), executable=True)
write("bin/unittests", "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in "
      "--gtest_output=xml:*) printf '%s' '" + junit(PASS) +
      "' > \"${a#--gtest_output=xml:}\";; esac; done\n", executable=True)
