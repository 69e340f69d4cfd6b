"""Sums the suites' JUnit XML reports (lit's, pytest's, GoogleTest's) into
one line "N passed, N failed, N skipped" and exits 1 when anything failed.

    summarize_tests.py [--require-oracle] NAME:EXIT_CODE:REPORT ...

Each argument is one suite: its name, the exit code of its command and the
report it should have written. Besides the failed test cases, each of these
counts as one failure (and is named on a line before the total):
  - a report that is missing or unreadable (the suite did not run or did not
    finish: pytest missing, lit failing in its configuration, no unit-test
    binary);
  - a non-zero exit code with no failed test case in the report;
  - no suite at all;
  - with --require-oracle (scripts/test.sh passes it when CI=true): each
    test skipped for lack of torch, the numeric oracle.
"""
import re
import sys
import xml.etree.ElementTree as ET

#: Skip messages that mean "torch is missing": lit's "Missing required
#: feature(s): torch" and pytest.importorskip's "could not import 'torch'".
ORACLE_MISSING = re.compile(r"\btorch\b")


def summarize(suites, require_oracle):
    passed = failed = skipped = 0
    problems = []
    for name, code, path in suites:
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as err:
            failed += 1
            problems.append(f"{name}: no test report (exit code {code}; "
                            f"{err.__class__.__name__}: {path})")
            continue
        suite_failed = oracle_missing = 0
        for case in root.iter("testcase"):
            skip = case.find("skipped")
            if case.find("failure") is not None or \
                    case.find("error") is not None:
                suite_failed += 1
            elif skip is not None:
                skipped += 1
                reason = (skip.get("message") or "") + (skip.text or "")
                if ORACLE_MISSING.search(reason):
                    oracle_missing += 1
            else:
                passed += 1
        failed += suite_failed
        if code != 0 and suite_failed == 0:
            failed += 1
            problems.append(f"{name}: exit code {code} but no failed test in "
                            "its report")
        if require_oracle and oracle_missing:
            failed += oracle_missing
            problems.append(f"{name}: {oracle_missing} test(s) skipped "
                            "without torch, the numeric oracle (required "
                            "in CI)")
    if not suites:
        failed += 1
        problems.append("no test suite ran")
    return passed, failed, skipped, problems


def parse_suite(arg):
    name, code, path = arg.split(":", 2)
    return name, int(code), path


def main(argv):
    require_oracle = "--require-oracle" in argv
    suites = [parse_suite(a) for a in argv if a != "--require-oracle"]
    passed, failed, skipped, problems = summarize(suites, require_oracle)
    for problem in problems:
        print(problem)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
