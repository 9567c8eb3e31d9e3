"""JUnit XML: one testsuite per file, one testcase per rule that fired (or one passing case).

A rule's case fails only when one of its findings reaches its file's fail level (`--fail-on`, or
the file's config's `fail-on`, error by default), as the exit code judges it, so a run that exits
0 never shows a failing test: findings below the level pass, and are listed in the case's
system-out. Paths are relative to the repository root.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import groupby

from nexlayer_lint.model import SEVERITY_RANK, Diagnostic, FileResult, RunInfo
from nexlayer_lint.reporters._common import TOOL_NAME, ci_paths, sorted_results
from nexlayer_lint.reporters.printable import at_line_start, printable


def _line(diag: Diagnostic, path: str) -> str:
    # every value made printable: XML 1.0 cannot carry most control characters at all, and the
    # report may be printed in a CI log
    text = (
        f"{at_line_start(printable(path))}:{diag.line}:{diag.col}: {diag.severity} {diag.code} "
        f"{printable(diag.message)} [{diag.name}]"
    )
    return text + (f"\n  help: {printable(diag.hint)}" if diag.hint else "")


def render(results: Sequence[FileResult], run: RunInfo, options: object) -> str:
    import xml.etree.ElementTree as ET  # only a JUnit run pays for the XML machinery

    run_fail_on = getattr(options, "fail_on", "error")
    fail_on_of = getattr(options, "fail_on_of", None) or {}
    ci_path: Callable[[str], str] = ci_paths()
    root = ET.Element("testsuites", name=TOOL_NAME)
    total = {"tests": 0, "failures": 0, "errors": 0}
    for result in sorted_results(results):
        path = ci_path(result.path)
        shown = printable(path)
        suite = ET.SubElement(root, "testsuite", name=shown)
        tests = failures = errors = 0
        fail_rank = SEVERITY_RANK[fail_on_of.get(result.path, run_fail_on)]
        if result.error:
            case = ET.SubElement(suite, "testcase", name=TOOL_NAME, classname=shown, file=shown)
            ET.SubElement(case, "error", message=printable(result.error), type="error").text = printable(result.error)
            tests, errors = tests + 1, errors + 1
        by_code = sorted(result.diagnostics, key=lambda d: (d.code, d.sort_key))
        for code, group in groupby(by_code, key=lambda d: d.code):
            found = list(group)  # in sort_key order, as by_code is
            first = found[0]
            case = ET.SubElement(
                suite, "testcase", name=f"{code} {first.name}", classname=shown, file=shown, line=str(first.line)
            )
            listing = "\n".join(_line(d, path) for d in found)
            failing = [d for d in found if SEVERITY_RANK[d.severity] >= fail_rank]
            if not failing:
                ET.SubElement(case, "system-out").text = listing
            else:
                more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
                failure = ET.SubElement(
                    case, "failure", message=printable(failing[0].message) + more, type=failing[0].severity
                )
                failure.text = listing
                failures += 1
            tests += 1
        if tests == 0:  # a clean file still shows up in the CI view, as a passing case
            ET.SubElement(suite, "testcase", name="no problems", classname=shown, file=shown)
            tests = 1
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        suite.set("skipped", "0")
        total["tests"] += tests
        total["failures"] += failures
        total["errors"] += errors
    for key, value in total.items():
        root.set(key, str(value))
    ET.indent(root)
    return (
        ET.tostring(root, encoding="unicode", xml_declaration=True).replace(
            "<?xml version='1.0' encoding='utf-8'?>", '<?xml version="1.0" encoding="UTF-8"?>'
        )
        + "\n"
    )
