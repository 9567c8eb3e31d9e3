"""JUnit XML: one testsuite per file, one testcase per rule that fired (or one passing case)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import groupby

from nexlayer_lint.model import Diagnostic, FileResult, RunInfo
from nexlayer_lint.reporters._common import TOOL_NAME, relative_posix, sorted_results

# Characters XML 1.0 cannot carry at all; a hostile file's value must not make the report unparsable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _line(diag: Diagnostic) -> str:
    text = f"{diag.file}:{diag.line}:{diag.col}: {diag.severity} {diag.code} {diag.message} [{diag.name}]"
    return text + (f"\n  help: {diag.hint}" if diag.hint else "")


def render(results: Sequence[FileResult], run: RunInfo, options: object) -> str:
    import xml.etree.ElementTree as ET  # only a JUnit run pays for the XML machinery

    root = ET.Element("testsuites", name=TOOL_NAME)
    total = {"tests": 0, "failures": 0, "errors": 0}
    for result in sorted_results(results):
        path = relative_posix(result.path)
        suite = ET.SubElement(root, "testsuite", name=_clean(path))
        tests = failures = errors = 0
        if result.error:
            case = ET.SubElement(suite, "testcase", name=TOOL_NAME, classname=_clean(path), file=_clean(path))
            ET.SubElement(case, "error", message=_clean(result.error), type="error").text = _clean(result.error)
            tests, errors = tests + 1, errors + 1
        by_code = sorted(result.diagnostics, key=lambda d: (d.code, d.sort_key))
        for code, group in groupby(by_code, key=lambda d: d.code):
            found = list(group)
            first = min(found, key=lambda d: d.sort_key)
            case = ET.SubElement(
                suite, "testcase", name=f"{code} {first.name}", classname=_clean(path),
                file=_clean(path), line=str(first.line),
            )
            more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
            failure = ET.SubElement(case, "failure", message=_clean(first.message + more), type=first.severity)
            failure.text = _clean("\n".join(_line(d) for d in sorted(found, key=lambda d: d.sort_key)))
            tests, failures = tests + 1, failures + 1
        if tests == 0:  # a clean file still shows up in the CI view, as a passing case
            ET.SubElement(suite, "testcase", name="no problems", classname=_clean(path), file=_clean(path))
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
    return ET.tostring(root, encoding="unicode", xml_declaration=True).replace(
        "<?xml version='1.0' encoding='utf-8'?>", '<?xml version="1.0" encoding="UTF-8"?>'
    ) + "\n"
