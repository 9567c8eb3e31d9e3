"""A file's bytes (or a str) -> the text to parse, or the NX001 that says why there is none."""

from __future__ import annotations

import codecs

from nexlayer_lint.model import Problem, Span, span_at, syntax_problem

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16's: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY = "the file contains a NUL byte; it looks binary, not YAML"
_RESAVE = "nexlayer.yaml must be text: re-save it as UTF-8 (or check that this is the file you meant)"


# YAML 1.2 names UTF-32, but libyaml, PyYAML and Go's yaml.v2/v3 (which Nexlayer's tools are
# written with) read only UTF-8 and UTF-16: such a file is linted, and refused (hunt 209 F2)
_UTF32 = syntax_problem(
    "the file is UTF-32, which libyaml and Go's YAML parsers (Nexlayer's tools) cannot read",
    Span(1, 1, 1, 1),
    "re-save it as UTF-8",
)


def decode(raw: bytes) -> tuple[str | None, Problem | None]:
    """Bytes -> text. UTF-8 with or without BOM; UTF-16/32 only when a BOM says so, UTF-32 with
    the NX001 that says a parser would refuse it (the text is linted all the same)."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec), _UTF32 if codec == "utf-32" else None
            except UnicodeDecodeError as exc:  # at the code unit it could not read, not 1:1
                before = raw[: exc.start].decode(codec, errors="replace").removeprefix("\ufeff")
                where = span_at(before, len(before))
                return None, syntax_problem(f"invalid {codec.upper()} text ({exc.reason})", where, _RESAVE)
    # The UTF-8 BOM is cut here rather than by the "utf-8-sig" codec: that codec is written in
    # Python (the plain one is not), and its errors count positions after the BOM.
    raw = raw.removeprefix(codecs.BOM_UTF8)
    nul = raw.find(b"\x00")
    if nul >= 0:  # checked before decoding, so a binary file is called binary, not "invalid UTF-8"
        before = raw[:nul].decode("utf-8", errors="replace")
        return None, syntax_problem(_BINARY, span_at(before, len(before)), _RESAVE)
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", errors="replace")
        return None, syntax_problem(
            f"invalid UTF-8: byte 0x{raw[exc.start]:02x} cannot start a character here",
            span_at(before, len(before)),
            "nexlayer.yaml must be UTF-8; re-save the file as UTF-8",
        )


def text_of(source: str | bytes) -> tuple[str | None, Problem | None]:
    """The text to parse: decoded, without a byte order mark, and holding no NUL; or None and the
    NX001 that says why there is none. A UTF-32 file's text comes with its NX001 (decode)."""
    problem = None
    if isinstance(source, bytes):
        text, problem = decode(source)
        if text is None:
            return None, problem
    else:
        text = source
        if not text.isascii():  # a str from an editor may hold half of a pair, which no file can
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as exc:
                return None, syntax_problem(
                    f"the text contains U+{ord(text[exc.start]):04X}, half of a surrogate pair, which is no character",
                    span_at(text, exc.start),
                    "remove it: a character was cut in half",
                )
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        return None, syntax_problem(_BINARY, span_at(text, nul), _RESAVE)
    return text, problem


def readable(raw: bytes) -> str:
    """The text of a file `decode` refused, for its code frames, where secrets are starred by
    their shape: decoded by its byte-order mark, else in the encoding its first bytes read best
    in, with replacement characters for what cannot be read. Read as UTF-8, a UTF-16 file's
    `P\\x00W\\x00:` hid a password's `key: value` shape (hunt 120 F1)."""
    codec = next((codec for bom, codec in _BOMS if raw.startswith(bom)), None) or _likely_codec(raw[:4096])
    return raw.decode(codec, errors="replace").removeprefix("\ufeff")


_GUESSED = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")


def _likely_codec(head: bytes) -> str:
    """The encoding in which the first bytes of a file without a byte-order mark read as the most
    ASCII text (YAML's keys and punctuation are ASCII), each NUL or unreadable character counted
    against it: a share of NUL bytes failed on a Japanese comment, and took UTF-8 text that NUL
    bytes pad for UTF-32 (hunts 122 F6, 123 F3, F10). The bytes from a run of eight NULs on are
    left out: text in none of these encodings has one but for U+0000 (UTF-32 has runs of up to
    five, `x` then U+10000; four cut `x😀` short: hunt 124 F1)."""
    run = head.find(b"\0" * 8)
    head = head if run < 0 else head[:run]

    def score(codec: str) -> int:
        text = head.decode(codec, errors="replace")
        ascii_text = sum(1 for char in text if " " <= char <= "~" or char in "\t\n\r")
        return ascii_text - text.count("\0") - text.count("\ufffd")

    return max(_GUESSED, key=score)  # UTF-8 first: it wins a tie
