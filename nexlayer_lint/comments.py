"""A YAML text's comments: a `#` at the start of a line or after a blank, outside any string."""

from __future__ import annotations

from collections.abc import Sequence

from nexlayer_lint.model import Comment, Span


def comments(text: str, string_spans: Sequence[Span]) -> tuple[Comment, ...]:
    """Every comment of `text`, in order. `string_spans`: the quoted, block and multi-line
    scalars in document order, as the parser found them; a `#` inside one is text."""
    if "#" not in text:
        return ()
    found: list[Comment] = []
    spans = iter(string_spans)
    span = next(spans, None)
    for number, line in enumerate(text.splitlines(), start=1):
        if "#" not in line:
            continue
        at = line.find("#")
        while at >= 0:
            if at == 0 or line[at - 1] in " \t":  # YAML's blanks: after a no-break space, `#` is text
                col = at + 1
                # the spans that end before this `#` cannot hold it, nor any later one
                while span is not None and (span.end_line, span.end_col) <= (number, col):
                    span = next(spans, None)
                if span is None or (number, col) < (span.line, span.col):
                    found.append(Comment(number, col, line[col:].strip(), own_line=not line[:at].strip()))
                    break  # the rest of the line is this comment
            at = line.find("#", at + 1)
    return tuple(found)
