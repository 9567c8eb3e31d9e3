"""A file's bytes or text -> its Document and the loader's problems (NX001-NX004).

The steps, each in its own module: decoding.py (bytes -> text), builder.py (parser events ->
data, positions, NX002-NX004, the limits), scalars.py (what a plain scalar means in YAML 1.2),
parse_errors.py (a syntax error -> its NX001, imported only then) and comments.py (the text's comments).
"""

from __future__ import annotations

from nexlayer_lint import builder
from nexlayer_lint.builder import MAX_ALIAS_EXPANSION, MAX_DEPTH
from nexlayer_lint.comments import comments
from nexlayer_lint.decoding import decode, text_of
from nexlayer_lint.model import Document, Problem, Span, span_at, syntax_problem

__all__ = ["DEFAULT_MAX_BYTES", "MAX_ALIAS_EXPANSION", "MAX_DEPTH", "decode", "load"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def load(
    source: str | bytes, path: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[Document | None, list[Problem]]:
    """Parse `source`; return the Document (None when there is nothing to lint) and the problems."""
    size = len(source.encode("utf-8", "surrogatepass")) if isinstance(source, str) else len(source)
    if size > max_bytes:
        return None, [
            syntax_problem(
                f"file is larger than the limit of {max_bytes:,} bytes; not parsed",
                Span(1, 1, 1, 1),
                "raise the limit with --max-file-size if this file is really meant to be this big",
            )
        ]
    text, problem = text_of(source)
    if text is None:
        return None, [problem] if problem else []
    decoded = [problem] if problem else []  # a UTF-32 file: linted, but refused all the same
    try:
        built = builder.build(text)
    except builder.Refused as refused:
        return None, decoded + [_within(text, problem) for problem in refused.problems]
    except builder.PARSE_ERRORS as exc:
        from nexlayer_lint.parse_errors import problem_for  # only a file that is not YAML needs its wording

        return None, [*decoded, problem_for(exc, text)]
    if built.data is None:
        return None, decoded + built.problems
    document = Document(
        path=path,
        text=text,
        data=built.data,
        positions=built.positions,
        comments=comments(text, built.string_spans),
        plain_scalars=tuple(built.plain_scalars),
        plain_keys=tuple(built.plain_keys),
        unheld=tuple(built.unheld),
        multiline_scalars=tuple(built.multiline),
    )
    return document, decoded + built.problems


def _within(text: str, problem: Problem) -> Problem:
    """`problem` ending no later than the text does: libyaml's mark after a collection that the
    file's end closes is on the line after the last, which a file without a final line break
    does not have."""
    span = problem.span
    if span is None:
        return problem
    end = span_at(text, len(text))
    if (span.end_line, span.end_col) <= (end.line, end.col):
        return problem
    return problem._replace(span=span._replace(end_line=end.line, end_col=end.col))
