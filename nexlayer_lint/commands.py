"""Secrets inside a command written as one string (`command: "..."`, `sh -c "..."`, a var that
holds a command line): the value of a secret option (`--password x`, `-storepass x`, after a
here-string), mysql's attached `-ppw`, curl's `-u user:pw`, a program's own password option
(redis-cli's `-a`, `docker login -p`...), a secret header (`-H "X-Api-Key: x"`), a JSON body in
quotes, a config command's secret key (`aws configure set ...`), SQL's `PASSWORD 'x'`, sqlplus'
`user/pw@db`, and a password given as a program's word (`htpasswd -nb user pw`, `rabbitmqctl
add_user user pw`, `redis-cli AUTH pw`, `echo user:pw | chpasswd`).

secrets.parts_in asks `command_parts` for these; a command list's items are judged in
secrets.py (`follows_secret_flag`), by the same tables. This module compiles its patterns when
first imported, which most files never need. Every scan reads each character a bounded number of
times: each loop goes on after the value it read.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.secrets import (
    ATTACHED_PASSWORD_PROGRAMS,
    CONFIG_OPTIONS,
    CONFIG_TOOLS,
    ENDS_A_JOIN,
    HERE_STRING,
    HEREDOC_QUOTING,
    LOGIN_PROGRAMS,
    MORE_PASSWORD_OPTIONS,
    OPENSSL_OPTIONS,
    OPENSSL_PASS,
    OPENSSL_SOURCE,
    PASSWORD_OPTIONS,
    POSITIONAL_PASSWORD_PROGRAMS,
    SHELL_WORD_STOP,
    SQL_DOUBLE_QUOTE,
    TEMPLATE_AT,
    WORD_STOP,
    Part,
    config_tool_secrets,
    entry_parts,
    escaped,
    flow_close,
    follows_secret_flag,
    is_doc_placeholder,
    is_secret_config_key,
    is_secret_flag,
    is_secret_var_name,
    literal_parts,
    not_an_option_value,
    reads_stdin,
    user_colon,
    value_from,
)


def command_parts(text: str, *, list_words: bool = False) -> list[Part]:
    """The secrets of the commands in `text` (unsorted; parts_in keeps the telling one of two);
    `list_words`: `text` is a list's words (_list_words), whose positional passwords are read
    already, with the list's end ending its command."""
    found: list[Part] = []
    strings = _Strings([], set())
    if "[" in text:
        found += _array_parts(text, strings)
    if "\\" in text and text.lstrip()[:1] in ("[", "{"):
        # `{"cmd": "curl -H \\"X-Api-Key: x\\""}`: every other string read decoded. The arrays'
        # own items are read by _array_parts: a stray quote before them pairs these quotes wrongly
        # (`[a"b] ["sh", ...]`: hunt 125 F2); read twice, a string nested in a string in ... was
        # read 2**depth times (hunt 126 F3)
        found += _escaped_strings_parts(text, strings.decoded)
    if (HERE_STRING in text or "|" in text) and ("-" in text or "secret" in text):
        found += _stdin_parts(text)  # a here-string's word, or what a pipe brings
    if "-" in text:
        found += _option_parts(text)
        if "secret" in text or "put-parameter" in text:
            found += _store_option_parts(text)
        if "-p" in text:
            found += _attached_parts(text)
        if "curl" in text or "etcdctl" in text:
            found += _curl_user_parts(text)
        found += _program_option_parts(text)
        if "-H" in text or "eader" in text or "EADER" in text:  # `--header`, git's `extraHeader`
            found += _header_parts(text)
        if "--arg" in text:
            found += _jq_arg_parts(text)
    if "Basic" in text and "base64" in text:
        found += _basic_built_parts(text)
    if "{" in text:
        found += _quoted_object_parts(text)
    if "mysqlsh" in text:
        found += _mysqlsh_parts(text)
    if "changeUserPassword" in text or ".auth(" in text:
        found += _mongo_password_parts(text)
    if "config" in text or "npm" in text:
        found += _config_parts(text)
        if "rclone" in text or "composer" in text or "poetry" in text:
            found += _config_tool_parts(text)
    if "http" in text or "xh" in text:
        found += _httpie_auth_parts(text)
    if "'" in text or SQL_DOUBLE_QUOTE.search(text):  # `IDENTIFIED BY "x"` too
        found += _sql_parts(text)
    if _ORACLE_TOOL_HINT.search(text):
        found += _sqlplus_parts(text)
    # `htpasswd -nb user pw`, `redis-cli AUTH pw`...: a text with none of these names has none
    if not list_words and _first_of(text, POSITIONAL_PASSWORD_PROGRAMS) >= 0:
        found += _positional_password_parts(text)
        # a list's items as words, at their places (`["redis-cli", "AUTH", "pw"]`, `# command:
        # [redis-cli, AUTH, pw]`: hunt 153 F10), also in an object (`{"test": ["CMD", ...]}`)
        if "[" in text:
            found += _positional_password_parts(_list_words(text), listed=True)
    if "[" in text and '"' not in text and " " in text:
        # a list written out as YAML does (`# command: [redis-cli, -a, pw]`, `[curl, -u, u:pw,
        # url]`: hunts 179 F3, 181 F5), read as the command its words make; a JSON array's
        # strings are _array_parts'. (The words have no `[`: read once.)
        found += command_parts(_list_words(text, ends_command=False), list_words=True)
    if strings.closed_items:
        found = _within_items(found, strings.closed_items)
    return found


class _Strings(NamedTuple):
    """What _array_parts read of a text's JSON strings."""

    closed_items: list[tuple[int, int]]  # the insides of the string items of arrays read to their `]`
    decoded: set[int]  # where each string it read decoded (one with escapes) starts


def _within_items(found: list[Part], string_items: list[tuple[int, int]]) -> list[Part]:
    """`found`, each part that starts inside a string item of a JSON array ended at that item's
    closing quote: an argument ends there (`"--requirepass x"]` starred `x"]`: hunt 123 F9).
    `string_items` is in order and without overlaps."""
    from bisect import bisect_right

    starts = [start for start, _ in string_items]
    clipped: list[Part] = []
    for part in found:
        index = bisect_right(starts, part.start) - 1
        if index >= 0 and part.start < string_items[index][1] < part.end:
            part = part._replace(end=string_items[index][1])
        clipped.append(part)
    return clipped


def _array_parts(text: str, strings: _Strings) -> list[Part]:
    """The items after a secret option (or a config command's secret key) in each JSON array in
    `text`: a command in Docker's exec form written as one string (`'["redis-server",
    "--requirepass", "x"]'`), judged as a YAML list of its items is (follows_secret_flag; hunt 113
    F3); its items may be any JSON value (`-1`, `true`, `null` before a `--password`: hunt 118
    F1). A string item with escapes has its own secrets read as JSON decodes it (`"sh", "-c",
    "curl -H \\"X-Api-Key: x\\""`: hunt 122 F2). Each array is read once, the next looked for
    after it, or inside its first array or object item (`[["redis-server", "--requirepass",
    "x"]]`: hunt 126 F1). What it read of the strings goes to `strings`."""
    from json import JSONDecodeError, JSONDecoder

    read_value = JSONDecoder().raw_decode

    found: list[Part] = []
    # what reading nested arrays and objects may cost, in characters: each `[` of a run left open
    # read the rest of the text again (900 of them before a 1 MB string took 10 s: hunt 123 F7)
    budget = 4 * len(text) + 4096
    last_quote = text.rfind('"')  # a string that starts after it is left open
    opening = text.find("[")
    while opening >= 0:
        items: list[Any] = []
        spans: list[tuple[int, int]] = []
        first_nested = -1
        pos = opening + 1
        while True:
            pos = _json_blanks_after(text, pos)
            if pos >= len(text) or text[pos] in ",]":
                break
            nested = text[pos] in "[{"
            # no JSON value starts here (`[ -f x ]`, `[x`; `[[ -n "$V" ]]`, bash's test: hunts 128 F3,
            # 132 F5): not decoded, as json's error counts the line breaks before it
            if not (_opens_json_value(text, pos, last_quote) if nested else _starts_json_value(text, pos, last_quote)):
                break
            try:  # any JSON value, read once: a string, a number (`12345678`: hunt 117 F2), ...
                item, after = read_value(text, pos)
            except JSONDecodeError as error:
                # charged for what decoding read: to where it failed, or, for a string left open
                # (the error names its start), to the text's end (for what it might have read, ten
                # small `[[1]` spent it all: hunt 124 F5); and a sixteenth of the error's place, for
                # its count of the line breaks before it, in C (in full, ten bash `[[ -n "$V" ]]`
                # spent it all: hunt 131 F3)
                read = len(text) if error.msg.startswith("Unterminated string") else error.pos + 1
                budget -= (read - pos if nested else 0) + error.pos // 16
                if budget < 0:
                    return found
                break
            except ValueError:  # a number past 4,300 digits
                break
            except RecursionError:  # arrays nested a thousand deep (hunt 122 F1): no command
                return found
            if nested:
                budget -= after - pos
                if budget < 0:  # an array nested in each item is read again at each level (hunt 128 F4)
                    return found
                first_nested = pos if first_nested < 0 else first_nested
            items.append(item)
            quoted = isinstance(item, str)
            spans.append((pos + quoted, after - quoted))
            if quoted and "\\" in text[pos:after] and pos not in strings.decoded:
                strings.decoded.add(pos)
                found += _escaped_item_parts(text, pos, after)
            pos = after
            pos = _json_blanks_after(text, pos)
            if not text.startswith(",", pos):
                break
            pos += 1
        if text.startswith("]", pos):
            strings.closed_items.extend(span for span, item in zip(spans, items, strict=True) if isinstance(item, str))
        for index in range(1, len(items)):
            if follows_secret_flag(items, index):
                found += literal_parts(text, *spans[index], "option", str(items[index - 1]))
        opening = text.find("[", first_nested if first_nested >= 0 else max(pos, opening + 1))
    return found


def _starts_json_value(text: str, pos: int, last_quote: int) -> bool:
    """Whether a JSON string (one closed before the text ends), number or literal starts at text[pos]."""
    char = text[pos]
    if char == '"':
        return pos < last_quote
    if char == "-":
        return text[pos + 1 : pos + 2] in _DIGITS or text.startswith("-Infinity", pos)
    return char in _DIGITS or text.startswith(("true", "false", "null", "NaN", "Infinity"), pos)


def _opens_json_value(text: str, pos: int, last_quote: int) -> bool:
    """Whether the `[` or `{` at text[pos] may open a JSON array or object: what follows it (and
    blanks) may start an item, or a key, or close it."""
    inner = _json_blanks_after(text, pos + 1)
    if inner == len(text):
        return False
    if text[pos] == "{":
        return text[inner] == "}" or (text[inner] == '"' and inner < last_quote)
    return text[inner] in "[{]" or _starts_json_value(text, inner, last_quote)


_DIGITS = frozenset("0123456789")


def _json_blanks_after(text: str, at: int) -> int:
    """Where the JSON text after text[at] goes on, past its blanks."""
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _escaped_strings_parts(text: str, decoded: set[int]) -> list[Part]:
    """The secrets of each double-quoted string with an escape in `text`, a JSON value written as
    one string, read as JSON decodes it: inside an object too (hunt 123 F4). Each character is
    read for one string; one that starts where a string `decoded` says was read is not read again."""
    from nexlayer_lint.secrets import escaped

    found: list[Part] = []
    start = text.find('"')
    while start >= 0:
        end = text.find('"', start + 1)
        while end > 0 and escaped(text, end):
            end = text.find('"', end + 1)
        if end < 0:
            break
        if "\\" in text[start:end] and start not in decoded:
            found += _escaped_item_parts(text, start, end + 1)
        start = text.find('"', end + 1)
    return found


def _escaped_item_parts(text: str, start: int, end: int) -> list[Part]:
    """The secrets of the JSON string written at text[start:end] (its quotes included), read as
    JSON decodes it, at the places they were written."""
    from nexlayer_lint.secrets import parts_in
    from nexlayer_lint.value_map import read_leniently

    mapped = read_leniently(text, start, end)  # YAML's double-quoted escapes hold JSON's
    return [
        part._replace(start=mapped.lo[part.start], end=mapped.hi[part.end - 1])
        for part in parts_in(mapped.value)
        if part.end > part.start
    ]


# `--password hunter2` as words of a string (a command written as one string): an option starts
# a word, so each character is tried as a start once, and its name is at most 128 characters. The
# word may be quoted, as the shell takes it (`"--password" hunter2`: hunt 128 F2): a second
# pattern, asked only when a quote opens an option, as the first's `-` is found fast.
_OPTION_WORD = lazy(r"(?P<option>-(?<![^\s'\"]-)-?[A-Za-z][A-Za-z0-9_.-]{0,127})[ \t]+")
_QUOTED_OPTION_WORD = lazy(  # a word's start: after a blank, `(` (a bash array), `;`, ...
    r"(?<![^\s(`;|&{\[=])(?P<quote>['\"])(?P<option>--?[A-Za-z][A-Za-z0-9_.-]{0,127})(?P=quote)[ \t]+"
)


# A JSON object that starts a quoted word of a command (`curl -d '{"password": "x"}'`,
# `--data "{\"token\": \"x\"}"`), or an array (`'[{"password": "x"}]'`, `'["a", {...}]'`), or a
# call's argument (`db.createUser({...})`): its entries are read as a JSON value's are.
_QUOTED_OBJECT = lazy(r"""['"][\[{]|[(,][ \t]*\{""")


def _quoted_object_parts(text: str) -> list[Part]:
    """The secret entries of each JSON object in quotes in `text` (_QUOTED_OBJECT). The next
    object is looked for after the closing quote: each character is read for one object (linear)."""
    found: list[Part] = []
    in_jq = _Within(text, _JQ) if "jq" in text else None
    pos = 0
    while (match := _QUOTED_OBJECT.search(text, pos)) is not None:
        call = match.group()[0] in "(,"
        if call:
            # a call's object, to its closing brace (MongoDB's `db.createUser({user: 'app', pwd:
            # 'x'})` in `mongosh --eval "..."`, a later argument's, `db.updateUser('app', {pwd:
            # 'x'})`: hunts 199 F4, 201 F4)
            start = match.end() - 1
            end = pos = flow_close(text, start, 0)[0]
        else:
            start, end = value_from(text, match.start(), WORD_STOP)
            pos = end + 1
        # jq's filter is a program: an unquoted value is a path or an expression (`{password: .x}`),
        # a string literal may still be a secret
        jq = in_jq is not None and in_jq(match.start())
        parts = entry_parts(text[start:end], quoted_only=jq)
        if call:  # a script's: a value in quotes or digits; not `pwd: passwordPrompt()`, `process.env.PW`
            parts = [part for part in parts if _quoted_or_digits(text, start + part.start, start + part.end)]
        found += [part._replace(start=start + part.start, end=start + part.end) for part in parts]
    return found


# MongoDB's `db.changeUserPassword('app', 'x')` (hunt 201 F4) and `db.auth('app', 'x')` (hunt
# 226 F5): the second argument, a string
_CHANGE_PASSWORD = lazy(r"""(changeUserPassword|auth)\([ \t]*(?:'[^'\n]*'|\\?"[^"\n]*")[ \t]*,[ \t]*(?=\\?['"])""")


# MySQL Shell's connection given without a scheme, `mysqlsh root:pw@db:3306` (`--uri`, `-u`...):
# what follows the user's `:` up to the last `@` of the word (hunt 226 F5)
_MYSQLSH = lazy(r"(?<![^\s'\"/;|&(`])mysqlsh(?=[ \t])")


def _mysqlsh_parts(text: str) -> list[Part]:
    found: list[Part] = []
    pos = 0
    while (program := _MYSQLSH.search(text, pos)) is not None:
        words, pos = _command_words(text, program.end())
        pos = max(pos, program.end())  # each command's words read once (linear)
        for index, (start, end) in enumerate(words):
            word = text[start:end]
            if word.startswith(("-e", "--execute")) or (
                index and text[words[index - 1][0] : words[index - 1][1]] in ("-e", "--execute")
            ):
                continue  # code (`-e "util.dumpInstance('s3:b@x')"`, `--execute=...`: hunts 230 F3, 231 F8)
            at = text.rfind("@", start, end)
            colon = text.find(":", start, at) if at > start else -1
            if colon <= start or "/" in text[start:colon] or text.startswith("//", colon + 1):
                continue  # no user, or a URL (read as URLs are)
            if not not_an_option_value(text, colon + 1, at):
                found += literal_parts(text, colon + 1, at, "url", "password")
    return found


def _mongo_password_parts(text: str) -> list[Part]:
    found: list[Part] = []
    for match in _CHANGE_PASSWORD.finditer(text):
        if match.group(1) == "auth" and not text.endswith(".", 0, match.start()):
            continue  # `db.auth(...)`, a method; not another function named `auth`
        start, end = value_from(text, match.end(), WORD_STOP)
        if end > start and not not_an_option_value(text, start, end):
            found += literal_parts(text, start, end, "option", match.group(1))
    return found


def _quoted_or_digits(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1] in "'\"") or text[start:end].isdigit()


_JQ = lazy(r"(?<![^\s'\"/;|&(`])jq(?=[ \t])")
# jq's `--arg NAME VALUE` (and `--argjson`): VALUE is what the filter's `$NAME` holds
_JQ_ARG = lazy(r"(?<![^\s'\"])--arg(?:json)?[ \t]+")


def _jq_arg_parts(text: str) -> list[Part]:
    """The VALUE of each `--arg NAME VALUE` whose NAME looks secret (`--arg password x`); each
    name and value is read once (linear)."""
    found: list[Part] = []
    pos = 0
    while (match := _JQ_ARG.search(text, pos)) is not None:
        name_start, name_end, at = _word_and_next(text, match.end(), WORD_STOP)
        start, end = value_from(text, at, WORD_STOP)
        pos = max(end, at)
        name = text[name_start:name_end]
        if end > start and is_secret_var_name(name) and not not_an_option_value(text, start, end):
            found += literal_parts(text, start, end, "option", name)
    return found


class _Within:
    """Whether a place in `text` is inside a command that a word of `pattern` starts, from that
    word to the command's end (_COMMAND_END). Asked of places in increasing order: each such
    command is found once, however often it is asked (linear)."""

    def __init__(self, text: str, pattern: re.Pattern[str]) -> None:
        self.text, self.pattern = text, pattern
        self.next = pattern.search(text)
        self.start = self.end = -1

    def __call__(self, at: int) -> bool:
        while self.next is not None and self.next.start() < at:
            self.start = self.next.start()
            command_end = _COMMAND_END.search(self.text, self.next.end())
            self.end = command_end.start() if command_end else len(self.text)
            self.next = self.pattern.search(self.text, max(self.next.end(), self.end))
        return self.start < at < self.end


# `< file`, `<file`, `<<EOF`: the option's value comes from a file or a here-document, not this
# text; `<your-token>` (a placeholder, which ends in `>`) is not one.
_REDIRECTION = lazy(r"<[^\s>]*\Z")


def _option_parts(text: str) -> list[Part]:
    """The values of `--password hunter2` words (is_secret_flag): the next word, or the quoted
    text that starts it, unless it is another option or a reference (follows_secret_flag)."""
    found: list[Part] = []
    words: Iterable[re.Match[str]] = _OPTION_WORD.finditer(text)
    if "'-" in text or '"-' in text:
        words = heapq.merge(words, _QUOTED_OPTION_WORD.finditer(text), key=lambda match: match.start())
    for match in words:
        option = match.group("option")
        at = match.end()
        here = text.startswith(HERE_STRING, at)
        if not (is_secret_flag(option) or (here and reads_stdin(option))):
            continue
        if at == len(text):
            break
        if here:  # the value is the word after the here-string's `<<<`
            at += len(HERE_STRING)
            while at < len(text) and text[at] in " \t":
                at += 1
        start, end = _command_word(text, at)
        # `--with-token < token.txt`: a file gives the value, and only its name is here
        named = start == match.end() and _REDIRECTION.match(text, start, end) is not None
        if option in OPENSSL_OPTIONS:  # `-passin pass:x`; not `env:VAR`, `file:path`, `fd:3`, `stdin`
            named = named or OPENSSL_SOURCE.match(text, start, end) is not None
            start += len(OPENSSL_PASS) if text.startswith(OPENSSL_PASS, start, end) else 0
        if not named and not not_an_option_value(text, start, end):
            found += literal_parts(text, start, end, "option", option)
        if end == len(text):
            break  # an unclosed quote runs to the end: no later option is read again (linear)
    return found


def _stdin_parts(text: str) -> list[Part]:
    """What a command whose secret option reads standard input (reads_stdin) is given there:
    the here-string's word, wherever the `<<<` is in that command (`docker login -u me
    --password-stdin reg.io <<< x`), or what an echo or printf writes into a single `|` before
    it (`echo x | docker login --password-stdin`). Each command (to _COMMAND_END) is read once
    for a here-string, and each echo's words and the command after them once: linear."""
    found: list[Part] = []
    start = 0 if HERE_STRING in text else len(text) + 1  # (asked once: per command, it was n² steps: hunt 200 F2)
    while start <= len(text):
        command_end = _COMMAND_END.search(text, start)
        end = command_end.start() if command_end else len(text)
        here = text.find(HERE_STRING, start, end)
        reader = _stdin_reader(text, start, here) if here >= 0 else None
        if reader is not None:
            at = _blanks_after(text, here + len(HERE_STRING))
            value_start, value_end = value_from(text, min(at, end), _KEY_STOP)
            if value_end > value_start and not not_an_option_value(text, value_start, value_end):
                found += literal_parts(text, value_start, value_end, "option", reader)
        if command_end is None:
            break
        start = command_end.end()
    pos = 0
    while (echo := _ECHO.search(text, pos)) is not None:
        spans, stop = _echoed(text, echo)
        pos = max(stop, echo.end())
        if not text.startswith("|", stop) or text.startswith("||", stop):
            continue  # no single pipe after echo's words (a quoted `|` in them is one of them)
        after = stop + (2 if text.startswith("|&", stop) else 1)  # `|&` pipes standard error too
        while after < len(text) and text[after] in " \t\r\n":
            after += 1  # `echo x |` then the next line: a pipe goes on over a line break
        command_end = _COMMAND_END.search(text, after)
        reader = _stdin_reader(text, after, command_end.start() if command_end else len(text))
        if reader is not None:
            for word_start, word_end in spans:
                found += literal_parts(text, word_start, word_end, "option", reader)
    return found


# an option word, its name only (as _OPTION_WORD, with nothing needed after it)
_OPTION_NAME = lazy(r"-(?<![^\s'\"]-)-?[A-Za-z][A-Za-z0-9_.-]{0,127}")


def _command_word(text: str, at: int) -> tuple[int, int]:
    """The word of a command that starts at text[at] (value_from), less the `;`, `&` or `|`
    that ends an unquoted one before the next command: in `-pHunter2x; echo ok` the shell ends
    the password at the `;`. Not at the text's end (a command list's item, `["mysql", "-px;"]`,
    is no shell's) unless what it ends is a reference, not escaped (`\\;`), and not inside the
    word (`pa;ss`): starring all of it hides a password written unquoted."""
    start, end = value_from(text, at, SHELL_WORD_STOP)
    # quoted: what follows its closing quote is joined to the word by the shell (`-a 'x'y`,
    # `'x'"y"`: hunt 153 F8), unless it ends an item or the command (`["-a", "x", "-v"]`); a
    # quoted part only when it closes before the next blank (else the quotes pair otherwise)
    blank = -1  # the first blank after the word's first part: a quoted part closes before it
    while start > at and text[end : end + 1] in ("'", '"') and text[end + 1 : end + 2] not in ENDS_A_JOIN:
        after = end + 1
        if blank < 0:  # found once (hunt 158 F4: a search per part was quadratic)
            found = SHELL_WORD_STOP.search(text, after)
            blank = found.start() if found else len(text)
        if text[after] in ("'", '"'):
            close = text.find(text[after], after + 1, blank)
            if close < 0:
                break
            end = close
        else:
            end = max(value_from(text, after, SHELL_WORD_STOP)[1], after + 1)
    if start == at:
        stop = end
        while stop - start > 1 and text[stop - 1] in ";&|" and text[stop - 2] != "\\":
            stop -= 1
        # a reference keeps its meaning at the text's end too (`-p$MYSQL_PWD;`: no literal)
        if end < len(text) or text.startswith("$", start):
            end = stop
        # a quote that ends the word and pairs with none in it closes the quotes the command is in
        # (`sh -c 'redis-server --requirepass $REDIS_PASSWORD'`: hunt 199 F7)
        if end - start > 1 and text[end - 1] in "'\"" and text.count(text[end - 1], start, end) % 2 == 1:
            end -= 1
    return start, end


def _stdin_reader(text: str, start: int, end: int) -> str | None:
    """The first option in text[start:end] that reads a secret from standard input, if any; for
    a command that starts with sudo, its `-S` too (`echo pw | sudo -S apt-get update`: hunt 188 F5);
    for a secret store's command that reads its secret there, the command (_SECRET_STORE)."""
    sudo = _SUDO.match(text, start, end)  # (within the command: once a command, hunt 270 F3)
    if sudo is not None and (option := _sudo_stdin(text, sudo.end(), end)) is not None:
        return option
    store = _SECRET_STORE.match(text, start, end)
    if store is not None and _store_reads_stdin(text, store, end):
        return " ".join(store.group(1).split())
    return next((m.group() for m in _OPTION_NAME.finditer(text, start, end) if reads_stdin(m.group())), None)


# A secret store's command that may read the secret from standard input (hunt 226 F4): `docker
# secret create NAME -` (podman's too), `gcloud secrets create NAME --data-file=-` (`versions
# add`), `wrangler secret put NAME` (also run by npx...), `gh secret set NAME` (without `--body`
# or `--env-file`); `rclone obscure -` and `vault login -` (hunt 227 F7)
_SECRET_STORE = lazy(
    r"[ \t]*(?:(?:npx|bunx|pnpm(?:[ \t]+(?:--filter|-F|--dir|-C)(?:=|[ \t]+)[^\s-]\S{0,127})*[ \t]+(?:dlx|exec)"
    r"|npm[ \t]+exec|yarn)"
    # the launcher's options, one that names a package or workspace with its value (`npx --package
    # wrangler wrangler ...`); a value never starts with `-`, so each word is read one way (linear)
    r"(?:[ \t]+(?:--package|-p|--workspace|-w)(?:=|[ \t]+)[^\s-]\S{0,127}|[ \t]+-[-\w]{1,32})*[ \t]+(?:--[ \t]+)?)?"
    r"(?:[^\s/]*/)*((?:docker|podman)[ \t]+secret[ \t]+create"
    r"|rclone[ \t]+obscure|vault[ \t]+login|doppler[ \t]+secrets[ \t]+set"
    r"|gcloud[ \t]+secrets[ \t]+(?:create|versions[ \t]+add)"
    r"|wrangler(?:@[\w.^~-]{1,32})?[ \t]+secret[ \t]+put|gh[ \t]+secret[ \t]+set)(?=[ \t]|$)"
)
_GCLOUD_STDIN = lazy(r"(?<![^\s'\"])--data-file(?:=|[ \t]+)-(?![^\s'\"])")
_GH_GIVEN = frozenset({"--body", "-b", "--env-file", "-f"})  # gh's options that give the secret another way


def _store_reads_stdin(text: str, store: re.Match[str], end: int) -> bool:
    """Whether the secret store's command `store` matched, to text[end], reads standard input."""
    command = store.group(1)
    spans: list[tuple[int, int]] = []
    for start, stop in _shell_words(text, store.end(), end):
        if text.startswith("#", start):
            break  # `# or pass --body` is no option (hunts 230 F7, 231 F10); a quoted ` #` is (231 F6)
        spans.append((start, stop))
    words = [text[start:stop] for start, stop in spans]
    end = spans[-1][1] if spans else store.end()
    if command.startswith("vault"):  # `-` or a `key=-` for standard input (`password=-`)
        return any(word == "-" or word.endswith("=-") for word in words)
    if command.startswith(("docker", "podman", "rclone")):  # `-` for standard input (hunt 227 F7)
        return "-" in words
    if command.startswith("gcloud"):
        return _GCLOUD_STDIN.search(text, store.end(), end) is not None
    if command.startswith("gh"):
        return not any(word.split("=")[0] in _GH_GIVEN or word.startswith("-b") for word in words)
    if command.startswith("doppler"):  # `secrets set NAME [options]`, its value on standard input
        _, names = _arguments(text, spans, _POSITIONAL_PROGRAMS["doppler"])
        return len(names) == 1 and "=" not in text[names[0][0] : names[0][1]]
    return True  # wrangler's `secret put` always does


# What may end a command, or start a quoted part, an escape or a comment (_command_stop)
_COMMAND_STOP = lazy(r"[;&|\n'\"\\#]")


def _command_stop(text: str, at: int) -> int:
    """Where the command that goes on at text[at] ends: its first `;`, `&`, `|` or line break
    outside quotes and not escaped, not a redirection's (`2>&1`, `&>f`, `<&3`, `>|f`): a URL's
    `?a=1&b=2` in quotes is one word of it (hunt 227 F1). A comment is read to its line's end,
    its `it's` opening no quote (hunt 229 F1), and the command goes on past a line break when the
    comment's line ends with a `\\` (a commented-out line in a continued command: hunt 230 F5, as
    read before). Each character is read once (linear)."""
    pos = at
    while (found := _COMMAND_STOP.search(text, pos)) is not None:
        mark, where = found.group(), found.start()
        if mark == "#":
            if where > 0 and (text[where - 1] not in " \t\n" or escaped(text, where - 1)):
                pos = where + 1  # inside a word (`a#b`, a URL's fragment, `a\ #b`: hunt 230 F1)
                continue
            line_end = text.find("\n", where)
            if line_end < 0 or (text[line_end - 1 : line_end] != "\\" and text[line_end - 2 : line_end] != "\\\r"):
                return where  # the comment's words are no options of the command (hunt 231 F7)
            pos = line_end + 1
        elif mark == "\\":
            pos = where + 2
        elif mark in "'\"":
            close = text.find(mark, where + 1)
            while close > 0 and mark == '"' and escaped(text, close):
                close = text.find(mark, close + 1)
            if close < 0:
                return len(text)
            pos = close + 1
        elif (mark == "&" and (text[where - 1 : where] in (">", "<") or text[where + 1 : where + 2] == ">")) or (
            mark == "|" and text[where - 1 : where] == ">"
        ):
            pos = where + 1
        else:
            return where
    return len(text)


# A secret store's command given the secret as an option's value (hunt 226 F4): `gh secret set
# NAME --body x` (`-b x`), `az keyvault secret set ... --value x`, `aws ssm put-parameter ...
# --type SecureString --value x` (a String or StringList parameter is no secret)
_STORE_COMMAND = lazy(
    r"(?<![^\s'\"/;|&(`])(?:(gh)[ \t]+secret[ \t]+set|(az)[ \t]+keyvault[ \t]+secret[ \t]+set"
    # aws's global options before its service (`aws --region eu-west-1 ssm ...`: hunt 227 F8)
    r"|(aws)[ \t]+(?:--?[A-Za-z][\w-]{0,32}(?:=[^\s;&|]*|[ \t]+(?!-)[^\s;&|]+)?[ \t]+){0,6}?"
    r"ssm[ \t]+put-parameter)(?=[ \t])"
)
_STORE_VALUE_OPTION = {
    "gh": lazy(r"(?<![^\s'\"])(--body|-b)(?:[ \t]+|=|(?<=-b)(?=[^\s=-]))"),  # `-bTOKEN` too
    "az": lazy(r"(?<![^\s'\"])(--value)(?:[ \t]+|=)"),
    "aws": lazy(r"(?<![^\s'\"])(--value)(?:[ \t]+|=)"),
}
_SECURE_STRING = lazy(r"(?<![^\s'\"])--type(?:[ \t]+|=)['\"]?SecureString")


def _store_option_parts(text: str) -> list[Part]:
    """The secret a store's command is given as an option's value (_STORE_COMMAND). Each command
    (to _command_stop) is read once (linear)."""
    found: list[Part] = []
    pos = 0
    while (command := _STORE_COMMAND.search(text, pos)) is not None:
        program = ("gh", "az", "aws")[(command.lastindex or 1) - 1]
        stop = _command_stop(text, command.end())
        pos = max(stop, command.end())
        if program == "aws" and _SECURE_STRING.search(text, command.end(), stop) is None:
            continue
        option = _STORE_VALUE_OPTION[program].search(text, command.end(), stop)
        if option is None:
            continue
        start, end = _command_word(text, option.end())
        pos = max(pos, end)
        if end > start and not not_an_option_value(text, start, end):
            found += literal_parts(text, start, end, "option", option.group(1))
    return found


_SUDO = lazy(r"[ \t]*(?:[^\s/]*/)*sudo(?=[ \t])")
# sudo's options that take the next word: short (last in a group) and long
_SUDO_VALUED = frozenset("CcDghpRrtTuU")
_SUDO_LONG_VALUED = frozenset(
    {"--user", "--group", "--prompt", "--chdir", "--chroot", "--close-from", "--host", "--role", "--type"}
    | {"--command-timeout", "--other-user", "--login-class"}
)


def _sudo_stdin(text: str, at: int, end: int) -> str | None:
    """sudo's own `-S` or `--stdin` (`-kS` too), among its options before the program it runs:
    `sudo pacman -S git` is pacman's (hunt 189 F6, F7)."""
    takes_value = False
    at = _blanks_after(text, at)
    while at < end:
        start, stop, after = _word_and_next(text, at, WORD_STOP)  # a quoted word whole (`-p 'Pw: '`: hunt 191 F1)
        word, at = text[start:stop], max(after, at + 1)
        if takes_value:
            takes_value = False
        elif word == "--stdin":
            return word
        elif word.startswith("--"):
            takes_value = word in _SUDO_LONG_VALUED
        elif word[:1] == "-":
            # a group of flags: `S` among them, before one that takes a value (`-kS`); that one's
            # value is the rest of the group (`-uSam`, `-uroot`: hunt 193 F4, F5) or the next word
            for index, letter in enumerate(word[1:], 1):
                if letter == "S":
                    return word
                if letter in _SUDO_VALUED:
                    takes_value = index == len(word) - 1
                    break
        else:
            return None  # the program sudo runs: its options are its own
    return None


# echo and printf write their words: `echo pw |`, `printf '%s' pw |`, `printf pw |`
_ECHO = lazy(r"(?<![^\s'\"/;|&(`])(echo|printf)[ \t]+")


def _echoed(text: str, echo: re.Match[str]) -> tuple[list[tuple[int, int]], int]:
    """Where the literal words are that the echo or printf `echo` matched writes, and where its
    words end (at a `;`, `&`, `|` or line break outside quotes, or the text's end): echo's words
    after its options (`-n`, `-e`), printf's after its format when it has more than one word
    (`printf '%s\\n' pw`), else its format (`printf pw`). A quoted word is read whole (`'pa;ss'`).
    No reference (`"$PW"`) nor a command's output (`"$(cat f)"`); a `${X}` inside a word is no
    literal either (literal_parts)."""
    words = []
    at = echo.end()
    while at < len(text) and text[at] not in ";&|\n":
        word_start, word_end, after = _word_and_next(text, at, _KEY_STOP)
        if word_start == at + 1 and text[at] in "'\"" and word_end == len(text):
            break  # a quote never closed: no word of echo's (the commands after it are read on)
        words.append((word_start, word_end))
        if after <= at:
            break  # a character no word starts with (a lone CR): the words end
        at = after
    if echo.group(1) == "echo":
        while words and text.startswith("-", words[0][0]):
            words.pop(0)
    elif len(words) > 1:
        words.pop(0)
    # the words echoed are one line of standard input, one secret: adjacent ones are one span
    # (so thousands of words are one finding, not thousands)
    spans: list[tuple[int, int]] = []
    for a, b in words:
        if b <= a or not_an_option_value(text, a, b):
            continue
        if spans and not text[spans[-1][1] : a].strip(" \t'\""):
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return spans, at


# `-pHunter2x`: mysql's (and sshpass's) `-p` with its password attached, at a word's start.
_ATTACHED = lazy(r"-(?<![^\s'\"]-)p(?=[^\s])")
# What follows `-p` that is no password: a port or an address (`ssh -p22`, `-p8080:80`), or a
# Go-style option's name (`-port`, `-profile`); unless a program whose `-p` takes a password is
# named before it in the same text (`mysql -uroot -proot`, `mysql -p123456`).
# A published port may name its protocol (`docker run -p0.0.0.0:8080:80/tcp`); MSBuild's
# `-p:Name=Value` sets a property (a secret one is still a `NAME=value`: `-p:DbPassword=x`).
_NOT_ATTACHED = lazy(r"[0-9.:/]+(?:/(?:tcp|udp|sctp))?|[a-z][a-z_.-]*|:[A-Za-z_][A-Za-z0-9_.-]*=[^\n]*")
# Short options run together (`cp -pR`, `ls -pAh`) are shorter: without a program named, a
# shorter attached value is no password.
_SHORTEST_ATTACHED = 6


def _attached_parts(text: str) -> list[Part]:
    """The passwords attached to a `-p` (_ATTACHED): the rest of its word, or the quoted text
    that starts there (`-p"my pass"`), unless a reference (`-p$MYSQL_PWD`) or _NOT_ATTACHED."""
    found: list[Part] = []
    program = _first_of(text, ATTACHED_PASSWORD_PROGRAMS)  # where the first program named that takes `-p<password>` is
    listed = "[" in text and '"' not in text  # a YAML list written out, whose `,` parts items (hunt 184)
    depth, counted = 0, 0  # the list brackets open before a `-p`, counted on from the last (linear)
    pos = 0
    while (match := _ATTACHED.search(text, pos)) is not None:
        start, end = _command_word(text, match.end())
        pos = max(end, start)  # the next `-p` starts after this value: each character is read once
        if listed:
            depth += text.count("[", counted, match.start()) - text.count("]", counted, match.start())
            counted = match.start()
        while end > start and text[end - 1] in ",]" and listed and depth > 0:
            end -= 1  # inside a list written out (`[mysql, -u, root, -p, mydb]`): its `,` ends the item
        if end == start or not_an_option_value(text, start, end):
            continue
        word = text[match.start() : end]
        named = 0 <= program < match.start()
        if is_secret_flag(word) or (
            (end - start < _SHORTEST_ATTACHED or _NOT_ATTACHED.fullmatch(text, start, end) is not None) and not named
        ):
            continue  # `-password x`: an option (its value is the next word); `-port`, `-p22`, `cp -pR`
        found += literal_parts(text, start, end, "option", "-p")
    return found


def _first_of(text: str, names: tuple[str, ...]) -> int:
    """Where the first of `names` is in `text`, or -1 (each found once: linear)."""
    found = [at for at in map(text.find, names) if at >= 0]
    return min(found, default=-1)


# curl's `-u user:password` / `--user user:password` (also `-uuser:password`, `--user=...`).
_USER_OPTION = lazy(r"(?<![^\s'\"])(-u|--user|-U|--proxy-user)(?:[ \t]+|=|(?=[^\s=-]))")  # -U: the proxy's


_USER_PROGRAM = lazy(r"(?<![^\s'\"/;|&(`])(curl|etcdctl)(?=[ \t'\"]|\Z)")


def _curl_user_parts(text: str) -> list[Part]:
    """The password of each `-u user:password` in a `curl` command in `text` (etcd's `etcdctl
    --user root:password` too: hunt 226 F5): what follows the first `:` of its value. Only in
    their command: `docker run -u 1000:1000` names a user and a group. Each command is read once
    (linear)."""
    found: list[Part] = []
    pos = 0
    while (program := _USER_PROGRAM.search(text, pos)) is not None:
        stop = _command_stop(text, program.end())
        pos = program.end()
        while (match := _USER_OPTION.search(text, pos, stop)) is not None:
            start, end = _command_word(text, match.end())
            pos = max(end, match.end())  # each character is read for one value at most (linear)
            if program.group(1) == "etcdctl" and match.group(1) != "--user":
                continue
            colon = user_colon(text, start, end)
            if colon >= 0 and not not_an_option_value(text, colon + 1, end):
                found += literal_parts(text, colon + 1, end, "option", match.group(1))
        if program.group(1) == "curl":
            found += _cookie_parts(text, program.end(), stop)
        pos = max(pos, stop)
    return found


# curl's cookies given as `name=value` pairs (`-b 'sessionid=x; csrftoken=y'`; a word without
# `=` names a file): each value is a session's credential, whatever its name (hunt 226 F7)
_COOKIE_OPTION = lazy(r"(?<![^\s'\"])(?:-b|--cookie)(?:[ \t]+|=)")


def _cookie_parts(text: str, start: int, stop: int) -> list[Part]:
    """The values of the cookies a curl command (text[start:stop]) is given by `-b`/`--cookie`:
    each `name=value` between `;`s, its name maybe quoted (`"session"=x`: hunt 233 F2)."""
    found: list[Part] = []
    for option in _COOKIE_OPTION.finditer(text, start, stop):
        value_start, value_end = _command_word(text, option.end())
        if "=" not in text[value_start:value_end]:
            continue  # a cookie file
        at = value_start
        while at < value_end:
            end = text.find(";", at, value_end)
            end = value_end if end < 0 else end
            sign = text.find("=", at, end)
            name = text[at:sign].strip(" \t'\"") if sign >= 0 else ""
            if name and not not_an_option_value(text, sign + 1, end):
                found += literal_parts(text, sign + 1, end, "option", name)
            at = end + 1
    return found


# httpie's `http -a user:password URL` (`--auth user:password`, `--auth=...`; also `https`,
# `python -m httpie`, and xh's `xh`, `xhs`, which take httpie's options): what follows the first
# `:`, the user name being no secret; with `-A bearer` (`--auth-type=bearer`) the value is a
# token, whole. Only after one of those words (a URL's `http://` is none).
_HTTPIE = lazy(r"(?<![^\s'\"/;|&(`])(?:https?|httpie|xhs?)(?=[ \t'\"]|\Z)")
_HTTPIE_AUTH = lazy(r"(?<![^\s'\"])(-a|--auth)(?:[ \t]+|=|(?<=-a)(?=[^\s=-]))")  # `-aUSER:PW` too
# `-A bearer`, `-Abearer`, `-A=bearer` (hunt 225 F2), `--auth-type=bearer`
_HTTPIE_BEARER = lazy(r"(?<![^\s'\"])(?:-A(?:[ \t]*|=)|--auth-type(?:[ \t]+|=))['\"]?bearer")


def _httpie_auth_parts(text: str) -> list[Part]:
    """The password (or bearer token) of each `-a`/`--auth` in an httpie command in `text`, to
    the command's end (`pip install httpie && rsync -a host:/srv` gives rsync's `-a`: hunt 225
    F4). Each command is read once (linear)."""
    found: list[Part] = []
    pos = 0
    while (program := _HTTPIE.search(text, pos)) is not None:
        stop = _command_stop(text, program.end())
        bearer = _HTTPIE_BEARER.search(text, program.end(), stop) is not None
        pos = program.end()
        while (match := _HTTPIE_AUTH.search(text, pos, stop)) is not None:
            start, end = _command_word(text, match.end())
            pos = max(end, match.end())  # each character is read for one value at most (linear)
            colon = user_colon(text, start, end)
            if colon >= 0:
                start = colon + 1
            elif not bearer:
                continue  # `-a user`: httpie asks for the password
            if end > start and not not_an_option_value(text, start, end):
                found += literal_parts(text, start, end, "option", match.group(1))
        found += _httpie_item_parts(text, program.end(), stop)
        pos = max(pos, stop)  # the words read for items are not read again (hunt 227 F5)
    return found


# httpie's request items named like a secret: a header `X-Api-Key:x`, a JSON field
# `password:=x`, a query parameter `api_key==x`, a form field `password=x` (hunt 226 F7; here
# too, for a quoted item's blanks: `'password=a b'`, which the assignment reader ends at its blank)
# (its name maybe quoted, `"X-Api-Key":x`, as a shell drops the quotes: hunt 230 F8)
_HTTPIE_ITEM = lazy(r"(['\"]?)([A-Za-z0-9_.-]{1,128})(?:\1)?(:=|==|=|:)")


def _shell_words(text: str, start: int, stop: int) -> Iterator[tuple[int, int]]:
    """The words of text[start:stop] as a shell splits them: at blanks outside quotes and not
    escaped; each character read once (linear)."""
    at = start
    while at < stop:
        while at < stop and text[at] in " \t\r\n":
            at += 1
        if at >= stop:
            return
        begin, quote = at, ""
        while at < stop and (quote or text[at] not in " \t\r\n"):
            if quote and text[at] == quote and not (quote == '"' and escaped(text, at)):
                quote = ""
            elif not quote and text[at] in "'\"":
                quote = text[at]
            elif not quote and text[at] == "\\":
                at += 1
            at += 1
        yield begin, min(at, stop)


def _httpie_item_parts(text: str, at: int, stop: int) -> list[Part]:
    """The secrets of the request items of the httpie command whose words start at text[at] and
    end at `stop`. (Prose naming http with a `token:word` in it has
    the word starred: telling prose from a command missed real ones, hunt 231 F1, F2.)"""
    found: list[Part] = []
    for start, end in _shell_words(text, at, stop):  # (`name='John Doe'` is one: hunt 229 F8)
        quote = text[start]
        if (
            end - start > 1
            and quote in ("'", '"')
            and text[end - 1] == quote
            and text.count(quote, start + 1, end - 1) == 0
        ):
            start, end = start + 1, end - 1  # `'Authorization:Bearer x'`, quoted whole (not `"A":"x"`: hunt 231 F9)
        if text.startswith(('\\"', "\\'"), start):
            start += 1  # `\"password:=x\"` in a double-quoted `sh -c "..."`
        item = _HTTPIE_ITEM.match(text, start, end)
        if item is None or text.startswith("//", item.end()) or item.group(2).startswith("-"):
            continue  # (`https://x`: a URL; `--auth=x`: an option, read as one)
        if not is_secret_var_name(item.group(2)):
            continue
        # the value without the quotes a shell drops (`X-Api-Key:'x'`, `"X-Api-Key:x"'` in `sh -c '...'`)
        value_start, value_end = item.end(), end
        while value_start < value_end and text[value_start] in "'\"":
            value_start += 1
        while value_end > value_start and text[value_end - 1] in "'\"\\":
            value_end -= 1
        value = text[value_start:value_end]
        if not value or value.startswith("@") or is_doc_placeholder(value):
            continue  # `password:=@/run/secrets/pw`: a file gives it (hunt 227 F10); `YOUR_API_KEY`
        if item.group(3) == ":":
            scheme = _AUTH_SCHEME.match(text, value_start, value_end)
            value_start = scheme.end() if scheme else value_start
        if not not_an_option_value(text, value_start, value_end):
            found += literal_parts(text, value_start, value_end, "option", item.group(2))
    return found


# Config commands that take a key and its value as two words (no `set`): rclone's `config create
# NAME TYPE KEY VALUE...`, Composer's and Poetry's `config http-basic.HOST USER PASSWORD`; which
# words are secret is secrets.config_tool_secrets' to say, for a string's words as for a list's items.
_CONFIG_TOOL = lazy(rf"(?<![^\s'\"/;|&(`])(?:{'|'.join(map(re.escape, CONFIG_TOOLS))})(?=[ \t])")


def _config_tool_parts(text: str) -> list[Part]:
    """The secrets rclone's and Composer's config commands are given (_CONFIG_TOOL). Each
    command's words are read once, the next command looked for from its end (linear)."""
    found: list[Part] = []
    pos = 0
    while (match := _CONFIG_TOOL.search(text, pos)) is not None:
        words, end = _command_words(text, match.end())
        pos = max(end, match.end())
        for index, label, skip in config_tool_secrets([match.group(), *(text[a:b] for a, b in words)]):
            start, stop = words[index - 1]
            if not not_an_option_value(text, start + skip, stop):
                found += literal_parts(text, start + skip, stop, "option", label)
    return found


# An HTTP header given to `-H` or `--header` (curl, wget, httpie's `--header`): `-H "X-Api-Key: x"`.
HEADER_OPTIONS = ("-H", "--header")
_HEADER_OPTION = lazy(  # `-HX-Key:x` too; and git's `-c http.extraHeader=...` (`http.<url>.extraheader`: hunt 226 F2)
    r"(?<![^\s'\"])(?:-H(?:[ \t]+|(?=\S))|--header(?:[ \t]+|=|(?=['\"]))"
    r"|(?i:http\.(?:[^\s='\"]{1,256}\.)?extraheader)(?:=|[ \t]+(?=['\"])))"
)
_HEADER_NAME = lazy(r"[ \t]*([A-Za-z0-9_-]{1,128})[ \t]*:[ \t]*")
# An Authorization header's scheme is shown, as the token shape shows it (`Bearer ***`).
_AUTH_SCHEME = lazy(r"(?i:Basic|Bearer|Token|Digest|Negotiate)[ \t]+")  # in any case, as HTTP reads it


_NOT_JOINED = frozenset(" \t\r\n;&|)`")  # what ends a shell word after a closing quote


def _value_follows(text: str, at: int) -> bool:
    """Whether anything follows the blanks at text[at] on its line (a quote there may open a
    value: `X-Api-Key:" "x`, `X-Api-Key:" ;x"`; hunt 235 F1)."""
    while at < len(text) and text[at] in " \t":
        at += 1
    return at < len(text) and text[at] not in "\r\n"


def _header_parts(text: str) -> list[Part]:
    """The value of each header given to `-H`, `--header` or git's `http.extraHeader` whose name
    looks secret (`X-Api-Key`, `X-Auth-Token`, `Authorization`): what follows the `Name:`."""
    found: list[Part] = []
    pos = 0
    while (match := _HEADER_OPTION.search(text, pos)) is not None:
        start, end = value_from(text, match.end(), SHELL_WORD_STOP)  # `X-Api-Key:\ x` is one word (hunt 233 F5)
        joined_at = -1  # the closing quote the value is joined after, if any
        quote = text[match.start() - 1 : match.start()]
        in_quotes = quote in ("'", '"') and text[match.end() : match.end() + 1] != quote
        opening = -1
        if start == match.end() and not in_quotes:  # (in quotes, the value ends at theirs: below)
            opening = next((at for at in range(start, end) if text[at] in "'\""), -1)
        opens = 0 <= opening < end - 1 and text[opening + 1] not in ";&|)`"
        if opens or (opening == end - 1 > start and text[opening - 1] in ":=" and _value_follows(text, end)):
            # a quote that opens inside the word (`Authorization:"Bearer x"`: hunt 230 F9; `X-Api-Key:"
            # x"`: hunt 232 F1), not one that closes what the command is in (`bash -c "curl -H
            # Accept:json"`: hunt 231 F3; `ssh gw "curl -H Authorization:"` then a line: hunt 233 F1)
            end = max(end, next(_shell_words(text, start, len(text)), (start, end))[1])
        elif text[end : end + 1] in ("'", '"') and end + 1 < len(text) and text[end + 1] not in _NOT_JOINED:
            # the shell joins what follows the closing quote (`-H "X-Api-Key: "x`: hunt 233 F5)
            joined_at, end = end, next(_shell_words(text, end + 1, len(text)), (end, end))[1]
        if in_quotes:
            # the option in the quotes of its word (`"-HX-Api-Key: x"`, `'http.extraheader=Name: x'`):
            # the value runs to their end, blanks and all
            close = text.find(quote, match.end())
            end = len(text) if close < 0 else close
        pos = max(end, match.end())  # each character is read for one value at most (linear)
        found += header_parts(text, start, end, joined_at)
    return found


# Basic credentials built by the shell: `Basic $(echo -n user:password | base64)` (a git
# `http.extraHeader`, a curl header: hunt 199 F5)
_BASIC_BUILT = lazy(
    r"Basic[ \t]+['\"]{0,2}(?:\$\(|`)(?:echo(?:[ \t]+-[neE]{1,3}){0,3}|printf(?:[ \t]+(?:'%s'|\"%s\"|%s))?)[ \t]+"
)
_TO_BASE64 = lazy(r"[ \t]*\|[ \t]*base64")
_BASIC_PRINTF = lazy(r"Basic[ \t]+['\"]{0,2}(?:\$\(|`)printf[ \t]+(?:--[ \t]+)?(['\"])")


def _basic_built_parts(text: str) -> list[Part]:
    """The password of each `user:password` an echo pipes into base64 for a Basic credential:
    what follows the first `:` of its word (_BASIC_BUILT)."""
    found: list[Part] = []
    for match in _BASIC_BUILT.finditer(text):
        start, end = _command_word(text, match.end())
        pipe = text.find("|", start, end)
        end = pipe if pipe >= 0 and text[match.end()] not in "'\"" else end  # `u:pw|base64` (hunt 201 F7)
        colon = user_colon(text, start, end)
        after = end + 1 if text[end : end + 1] in ("'", '"') else end
        if colon >= 0 and _TO_BASE64.match(text, after) and not not_an_option_value(text, colon + 1, end):
            found += literal_parts(text, colon + 1, end, "option", "Authorization")
    pos = 0
    while (printf := _BASIC_PRINTF.search(text, pos)) is not None:
        # a format with the `:` in it (`printf '%s:%s' user pw`, `printf 'user:%s' pw`: hunt 233
        # F3): what follows the colon, whose conversions secrets._printf_arguments gives their words
        close = text.find(printf.group(1), printf.end())
        pos = len(text) if close < 0 else close
        colon = text.find(":", printf.end(), pos)
        if colon >= 0 and colon + 1 < pos and not not_an_option_value(text, colon + 1, pos):
            found += literal_parts(text, colon + 1, pos, "option", "Authorization")
    return found


def _past_a_closing_quote(text: str, at: int, end: int, joined_at: int) -> int:
    """`at`, past the quote there when it is the one the shell joins the value after
    (`joined_at`), or when no other of its kind follows it before `end`."""
    if at < end and (at == joined_at or (text[at] in "'\"" and text.find(text[at], at + 1, end) < 0)):
        return at + 1
    return at


def header_parts(text: str, start: int, end: int, joined_at: int = -1) -> list[Part]:
    """The secret in the header text[start:end] (`X-Api-Key: x`, the word after `-H`, or the
    list item after it): what follows its `Name:` when the name looks secret; `joined_at`: where
    the quote is that closes a string the value is joined to (`'Bearer '"$TOKEN"`)."""
    name = _HEADER_NAME.match(text, start, end)
    if name is None or not is_secret_var_name(name.group(1)):
        return []
    value = name.end()
    quote = text[value : value + 1]
    if (
        quote in ("'", '"')
        and end - value > 1
        and text[end - 1] == quote
        and text.find(quote, value + 1, end) == end - 1
    ):
        value, end = value + 1, end - 1  # httpie's `Authorization:'Bearer x'`, quoted whole (hunts 228 F4, 229 F4)
    while value < end and text[value] in " \t":
        value += 1  # `Authorization:" Bearer x"`
    before = value
    value = _past_a_closing_quote(text, value, end, joined_at)  # `-H "X-Api-Key: "x` (hunt 233 F1, F5)
    scheme = _AUTH_SCHEME.match(text, value, end)
    if scheme:  # and after the scheme (`'Authorization: Bearer '"$TOKEN"`: hunt 235 F4)
        before = scheme.end()
        value = _past_a_closing_quote(text, before, end, joined_at)
    if not_an_option_value(text, value, end, joined=value > before):
        return []
    return literal_parts(text, value, end, "option", name.group(1))


# A config-setting command and the key it sets: `aws configure set KEY VALUE`, `npm config set
# KEY VALUE` (yarn's, pnpm's, kubectl's...; npm's alias `npm set`), `git config KEY VALUE` (also
# git's `config set`). A command starts a word, or follows a shell's `;`, `|`, `&`, `(` or backtick
# with no space (`true;git config ...`). Only the verb is matched here: the options around it are
# read word by word (_config_key), each once.
_CONFIG_SET = lazy(r"(?<![^\s'\"/;|&(`])(?:(git)|config(?:ure)?[ \t]+set|npm[ \t]+(?:c[ \t]+)?set)(?=[ \t])")
# Options whose value is the next word: git's before its `config` (`git -C /repo config`), and
# the config commands' own (`git config --file f KEY`, `aws configure set --profile p KEY`).
_GIT_OPTIONS = frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env"})

# git config's options that read, remove or rename: no value is set after them (`--get x.token`)
_CONFIG_READS = frozenset({"--list", "--edit", "-l", "-e"})
_CONFIG_READ_PREFIXES = ("--get", "--unset", "--remove-section", "--rename-section")


_KEY_STOP = lazy(r"[\s;&|]")  # a key or value ends at a blank or its command's end (`x.token; ...`)


def _config_parts(text: str) -> list[Part]:
    """The value a config-setting command (_CONFIG_SET) gives a key named like a secret, whole
    or by its last segment (`aws_secret_access_key`, `npmAuthToken`, `x.token`), past the
    options before the key (`npm config set -g KEY`, `git config --file f KEY`)."""
    found: list[Part] = []
    pos = 0
    while (match := _CONFIG_SET.search(text, pos)) is not None:
        at = match.end()
        if match.group(1):  # `git`: its own options, then `config` (and git 2.46's `config set`)
            at = _after_options(text, at, _GIT_OPTIONS)
            if _word_at(text, at) != "config":
                pos = at  # no config command: the next is looked for from here, each word read once
                continue
            at = _blanks_after(text, at + len("config"))
            at += len("set") if _word_at(text, at) == "set" else 0
        at = _after_options(text, at, CONFIG_OPTIONS)
        key_start, key_end, at = _word_and_next(text, at, _KEY_STOP)
        key = text[key_start:key_end]
        start, end = value_from(text, at, _KEY_STOP)
        if end > start and text[end - 1] in "'\"" and text[start] not in "'\"":
            end -= 1  # `echo 'git config x.token v' >> f`: the quote closes echo's word, not the value
        # the next command is looked for from the value on (`x;git config ...`, a word with no
        # blank before its command): a value is read again by that search only (linear)
        pos = at
        # `git config --get x.token`: an option left before the key reads it, sets nothing
        if text.startswith("-", key_start) or not is_secret_config_key(key):
            continue
        # `git config x.token && ...` reads the key: the next command is no value
        if end > start and text[start] not in ";&|<>" and not not_an_option_value(text, start, end):
            found += literal_parts(text, start, end, "option", key)
    return found


def _after_options(text: str, at: int, with_value: frozenset[str]) -> int:
    """Where the first word from text[at] that is not an option starts: past blanks and option
    words (and the word after an option of `with_value`), but not past an option of
    _CONFIG_READS, which sets nothing."""
    while True:
        at = _blanks_after(text, at)
        word = _word_at(text, at)
        if not word.startswith("-") or word == "-" or word in _CONFIG_READS or word.startswith(_CONFIG_READ_PREFIXES):
            return at
        at += len(word)
        if word in with_value:
            at = _blanks_after(text, at)
            at += len(_word_at(text, at))


def _word_and_next(text: str, at: int, stop: re.Pattern[str]) -> tuple[int, int, int]:
    """The word at text[at] (what its quotes hold, or the text to `stop`: value_from), and where
    the next word starts: past its closing quote and the blanks after it."""
    start, end = value_from(text, at, stop)
    closed = end < len(text) and start > at  # a quoted word: its closing quote
    return start, end, _blanks_after(text, end + closed)


def _word_at(text: str, at: int) -> str:
    found = WORD_STOP.search(text, at)
    return text[at : found.start() if found else len(text)]


def _blanks_after(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t":
        at += 1
    return at


# SQL that sets a password, in any case: `CREATE USER app WITH PASSWORD 'x'`, `ALTER USER app
# PASSWORD 'x'`, MySQL's and Oracle's `IDENTIFIED BY 'x'` (MySQL 8's `IDENTIFIED WITH
# caching_sha2_password BY 'x'` too: hunt 148 F4); the literal is single-quoted, or after
# IDENTIFIED double-quoted (MySQL's default mode), maybe escaped in a shell's string (`\"x\"`),
# as the plugin's name may be (hunt 153 F9).
# (SQL Server's `PASSWORD = 'x'` is an assignment, read as any `NAME = value`.)
_SQL_PASSWORD = lazy(
    r"(?i)(?<![A-Za-z0-9_])(?:(password)\s*(')"
    r"|identified\s+(?:with\s+\\?[\x22'`]?[A-Za-z0-9_]{1,64}\\?[\x22'`]?\s+)?by\s*(\\?[\x22'])"
    # MariaDB's `IDENTIFIED VIA ed25519 USING PASSWORD('x')`
    r"|identified\s+via\s+[A-Za-z0-9_]{1,64}\s+using\s+password\s*\(\s*(')"
    # MySQL's `SET PASSWORD FOR 'app'@'%' = 'x'`: the account, at most 200 characters, then `=`;
    # MySQL 5 wrote the literal inside `PASSWORD('x')`
    r"|set\s+password(?:\s+for\s[^=]{0,200}|\s*)=\s*(?:password\s*\(\s*)?(\\?[\x22']))"
)
# `PASSWORD 'x'` and `IDENTIFIED BY "x"` are SQL only after a user, role or login is named in the
# text (`ALTER ROLE a PASSWORD 'x'`); alone they are more often words (`echo password 'x'`)
_SQL_ACCOUNT = lazy(r"(?i)(?<![A-Za-z0-9_])(?:user|role|login)(?![A-Za-z0-9_])")
# `TO 'app'@'%' ` before IDENTIFIED, or `, 'b'@'%' ` (a GRANT's second account), the account maybe
# with blanks around its `@` (`"app" @ "%"`: hunt 167 F8)
_TO_ACCOUNT = lazy(
    r"(?i)(?:(?<![A-Za-z0-9_])to\s+|,\s*)"
    r"(?:\S{1,200}|\\?[\"'`][^\"'`\n]{0,100}\\?[\"'`]\s*@\s*\\?[\"'`][^\"'`\n]{0,100}\\?[\"'`])\s+\Z"
)
_GRANTS = lazy(r"(?i)(?<![A-Za-z0-9_])(?:grant|connect)(?![A-Za-z0-9_])")
_GRANT_READ = 2_000  # how far back a statement's GRANT is looked for


def _sql_parts(text: str) -> list[Part]:
    """The literal after each SQL `PASSWORD` (once a user is named) or `IDENTIFIED BY`, to its
    closing quote (`''` is a quote inside it) or the end of the text; the next is looked for
    after it."""
    found: list[Part] = []
    account = _SQL_ACCOUNT.search(text)
    named = account.start() if account else len(text)  # where the first user, role or login is named
    grants: list[int] | None = None  # where each GRANT or CONNECT is, found once when first asked
    pos = 0
    while (match := _SQL_PASSWORD.search(text, pos)) is not None:
        # `PASSWORD 'x'`, and `IDENTIFIED BY "x"` (prose's `identified by "QA team"`: hunt 162 F7),
        # only once a user, role or login is named, or for `IDENTIFIED BY` an account right before
        # it (`GRANT ... TO 'app'@'%' IDENTIFIED BY`, Oracle's `CONNECT TO app`: hunt 163 F3)
        quoted_by = match.group(3) and match.group(3)[-1] == '"'
        if (match.group(1) or quoted_by) and named > match.start():
            # an account right before, in a `GRANT` or `CONNECT` (hunt 164 F7), which a long list of
            # privileges may put far back (hunt 166 F2)
            granted = quoted_by and _TO_ACCOUNT.search(text, max(0, match.start() - 200), match.start())
            if granted:
                grants = [grant.start() for grant in _GRANTS.finditer(text)] if grants is None else grants
                last = bisect.bisect_left(grants, match.start()) - 1
                granted = last >= 0 and grants[last] >= match.start() - _GRANT_READ
            if not granted:
                pos = match.end()
                continue
        start = match.end()
        quote = match.group(2) or match.group(3) or match.group(4) or match.group(5)  # `'`, `"` or `\"`
        close = text.find(quote, start)
        while close >= 0 and text.startswith(quote, close + len(quote)):  # `''` is a quote inside
            close = text.find(quote, close + 2 * len(quote))
        end = len(text) if close < 0 else close
        pos = end + 1
        if not not_an_option_value(text, start, end):
            found += literal_parts(text, start, end, "option", "PASSWORD")
    return found


# `sqlplus [-S] user/password@db`: the password between the word's first `/` and its last `@`.
# Oracle's other tools take the same logon word: Data Pump's and the old export's (`expdp
# system/pw@orcl directory=...`), SQL*Loader's; any of them also as `userid=system/pw@orcl`
# anywhere in the command; RMAN's after `target`, `catalog` or `auxiliary` (any case, anywhere in
# the command: `rman log=x nocatalog TARGET sys/pw@db`). `exp` and `imp` are words too (a JWT's
# `exp`, a folder `exp runs/x`): theirs is a logon only with an `@` or after `userid=`, its user a
# name (hunt 169 F4).
_ORACLE_TOOL = lazy(  # as _PROGRAM: also after `;`, `&`, `(`, a folder's `/`
    r"(?<![^\s'\"/;|&(`])(sqlplus|expdp|impdp|exp|imp|sqlldr|rman)[ \t]+"
)
_ORACLE_LOGON_AFTER = lazy(r"(?<![^\s'\"])(?:(?i:userid)=|(?i:target|catalog|auxiliary)[ \t]+)")
_ORACLE_TOOL_HINT = lazy(r"sqlplus|expdp|impdp|sqlldr|rman|exp[ \t]|imp[ \t]")
_PARAMETER = lazy(r"[A-Za-z_]{1,64}=")  # a tool's `name=value` parameter
_ORACLE_USER = lazy(r"(?:[Cc]##)?[A-Za-z][A-Za-z0-9_$#]{0,127}")


def _sqlplus_parts(text: str) -> list[Part]:
    """The password of the logon word of each `sqlplus` or other Oracle tool (_ORACLE_TOOL): after
    `userid=` (or RMAN's keywords) in its command, else its first word past its options (`-S`,
    `-L`); not `/ as sysdba` (no password), nor `scott@orcl` (it asks for one). Each command is
    read once (linear)."""
    found: list[Part] = []
    pos = 0
    while (match := _ORACLE_TOOL.search(text, pos)) is not None:
        tool, at = match.group(1), match.end()
        command_end = _COMMAND_END.search(text, at)
        end = len(text) if command_end is None else command_end.start()
        pos = max(end, at)  # the next tool after this command
        worded = tool in ("exp", "imp")
        keyworded = [
            keyword.end()
            for keyword in _ORACLE_LOGON_AFTER.finditer(text, at, end)
            if keyword.group()[0] in "uU" or tool == "rman"
        ]
        if tool != "rman":  # its first word past its options, also with a `userid=` later (hunt 170 F10)
            while text.startswith("-", at):  # the tool's own options, each read once
                blank = WORD_STOP.search(text, at)
                at = len(text) if blank is None else blank.start()
                while at < len(text) and text[at] in " \t":
                    at += 1
            if not _PARAMETER.match(text, at):  # not `dumpfile=nightly/x@2024.dmp` (hunt 172 F8)
                found += _logon_password(text, at, worded=worded)
        for logon in keyworded:
            found += _logon_password(text, logon)
    return found


def _logon_password(text: str, at: int, *, worded: bool = False) -> list[Part]:
    """The password of an Oracle logon word at text[at], `user/password@db`: none in `/nolog`,
    `/ as sysdba` (no user before the `/`). `worded`: after a tool whose name is a word too, only
    a logon with an `@` whose user is a name."""
    start, end = value_from(text, at, WORD_STOP)
    slash = text.find("/", start, end)
    if slash <= start:
        return []
    sign = text.rfind("@", slash + 1, end)
    if worded and (sign < 0 or _ORACLE_USER.fullmatch(text, start, slash) is None):
        return []
    stop = end if sign < 0 else sign
    if not_an_option_value(text, slash + 1, stop):
        return []
    return literal_parts(text, slash + 1, stop, "option", "sqlplus")


# Oracle's logon in a URL: `jdbc:oracle:thin:user/password@host:1521:SID`, and EZConnect's
# `user/password@//host:1521/service` as a word (hunt 154 F4): read as sqlplus' logon word is.
_ORACLE_LOGON = lazy(r"jdbc:oracle:[a-z0-9]{1,8}:|(?<![^\s'\"=])(?=[^\s/@'\"]{1,128}/[^\s/@'\"]{1,256}@//)")


def oracle_logon_parts(text: str) -> list[Part]:
    """The password of each Oracle logon written as a URL or an EZConnect word."""
    found: list[Part] = []
    pos = 0
    while (match := _ORACLE_LOGON.search(text, pos)) is not None:
        start, end = value_from(text, match.end(), WORD_STOP)
        pos = max(end, match.end() + 1)  # each character is read for one logon at most (linear)
        slash = text.find("/", start, end)
        sign = text.rfind("@", slash + 1, end) if slash > start else -1  # `user/`, and `@` after it
        if sign > slash + 1 and not not_an_option_value(text, slash + 1, sign):
            found += literal_parts(text, slash + 1, sign, "url", "password")
    return found


# a program's name as a word (maybe after a folder: `/usr/bin/redis-cli`); one of LOGIN_PROGRAMS
# counts only when its verb is `login` (_past_login); also right after a separator or a
# substitution's start: `a;redis-cli`, `$(sshpass`
_PROGRAM_NAMES = "|".join(map(re.escape, sorted((set(PASSWORD_OPTIONS) - {"login"}) | LOGIN_PROGRAMS)))
_PROGRAM = lazy(rf"(?<![^\s'\"/;|&(`])({_PROGRAM_NAMES})(?=[\s'\"]|\Z)")
_LOGIN = lazy(r"login(?=[\s'\"]|\Z)")
# `a && b`, `a; b`, `a | b`, a new line: the next command; not a line continued by a backslash
_COMMAND_END = lazy(r"[;&|]|(?<!\\)\n")
# Where each option of PASSWORD_OPTIONS gives its value: the next word; for getopt's `-P`, `-w`
# and `-U` also attached (`sqlcmd -Pxyz`, `ldapsearch -wxyz`), smbclient's also as `--user=`.
_SHORT_OPTION = {
    "-a": lazy(r"(?<![^\s'\"])-a[ \t]+"),
    "-p": lazy(r"(?<![^\s'\"])-p[ \t]+"),
    # also last of a group of flags (`zip -rP pw`, `zip -rPpw`): the first `P` of the group
    "-P": lazy(r"(?<![^\s'\"])-[A-Za-z]{0,16}?P(?:[ \t]+|(?=\S))"),
    "-w": lazy(r"(?<![^\s'\"])-w(?:[ \t]+|(?=\S))"),
    "-U": lazy(r"(?<![^\s'\"])(?:-U|--user)(?:[ \t]+|=|(?=[^\s=]))"),
    "-u": lazy(r"(?<![^\s'\"])(?:-u|--user)(?:[ \t]+|=)"),
    "password": lazy(r"(?<![^\s'\"])password[ \t]+"),
    "-N": lazy(r"(?<![^\s'\"])-N(?:[ \t]+|(?=\S))"),  # ssh-keygen's new passphrase, `-N pw`, `-Npw`
    "--plaintext": lazy(r"(?<![^\s'\"])--plaintext(?:[ \t]+|=)"),
    "-k": lazy(r"(?<![^\s'\"])-k[ \t]+"),  # `openssl enc -k PASSWORD`
    "-s": lazy(r"(?<![^\s'\"])-s[ \t]+"),  # ldappasswd's new password
    "-t": lazy(r"(?<![^\s'\"])-t[ \t]+"),  # influx's token
}
_OPTIONS_USED = {*PASSWORD_OPTIONS.values(), *(option for more in MORE_PASSWORD_OPTIONS.values() for option in more)}
assert _OPTIONS_USED.issubset(_SHORT_OPTION), "every program's option has its pattern"


def _program_option_parts(text: str) -> list[Part]:
    """The password after a PASSWORD_OPTIONS option, within the command of the program it
    belongs to (`redis-cli -h db -a hunter2 ping`, `sh -c "docker login -p x reg.io && ..."`)."""
    found: list[Part] = []
    pos = 0
    while (program := _PROGRAM.search(text, pos)) is not None:
        name = program.group(1)
        at = program.end()
        if name in LOGIN_PROGRAMS:
            at, login = _past_login(text, at)
            if not login:  # `docker run -p 80:80`: the next program is looked for from here on
                pos = at
                continue
        first = PASSWORD_OPTIONS["login" if name in LOGIN_PROGRAMS else name]
        command_end = _COMMAND_END.search(text, at)
        end_of_command = command_end.start() if command_end else len(text)
        pos = end_of_command
        for option in (first, *MORE_PASSWORD_OPTIONS.get(name, ())):
            match = _SHORT_OPTION[option].search(text, at, end_of_command)
            if match is None:
                continue
            start, end = _command_word(text, match.end())
            pos = max(pos, end)  # each character is read for one command at most (linear)
            if option == "-U":  # smbclient's `-U user%password`: only what follows the `%`
                start = text.find("%", start, end) + 1 or end
            elif option == "-u":  # lftp's `-u user,password`: what follows the `,`
                start = text.find(",", start, end) + 1 or end
            if end > start and not text.startswith("-", start) and not not_an_option_value(text, start, end):
                found += literal_parts(text, start, end, "option", option)
    return found


def _past_login(text: str, at: int) -> tuple[int, bool]:
    """Where a registry login program's command goes on after its `login`, and True; past the
    program's global options first (`docker -H tcp://h login`, `--host=tcp://h`, `--config /x`,
    `-D`). An option may take the next word as its value, unless that is `login` or an option:
    each program has its own list, and a word is read once either way. When the first other
    word is not `login` (`docker run`): where it is, and False."""
    while True:
        at = _blanks_after(text, at)
        if _LOGIN.match(text, at):
            return at + len("login"), True
        word = _word_at(text, at)
        if not word.startswith("-") or _COMMAND_END.search(word):
            return at, False
        at += len(word)
        if "=" not in word:
            value_at = _blanks_after(text, at)
            value = _word_at(text, value_at)
            if value and not value.startswith("-") and not _LOGIN.match(text, value_at):
                at = value_at + len(value)


# --- passwords given as a program's words --------------------------------------------------------
# Programs that take a password as a positional word (`htpasswd -nb USER PASSWORD`), and how each
# reads its options, to tell its words from them: `with_value`, its options whose value is the
# next word (also last in a group of flags, `htpasswd -bC 10`); `options_first`, getopt's way: its
# options come before its words, so after its first word `-x` is a word too. Which of its words
# is the password: _password_at.
class _Reads(NamedTuple):
    with_value: frozenset[str]
    options_first: bool


_POSITIONAL_PROGRAMS = {
    "htpasswd": _Reads(frozenset({"-C", "-r"}), options_first=True),
    "mosquitto_passwd": _Reads(frozenset({"-H", "-I"}), options_first=True),
    # Elixir's parser: options may come after the command too (`add_user a b --node n`)
    "rabbitmqctl": _Reads(
        frozenset({"-n", "--node", "-t", "--timeout", "-p", "--vhost", "--erlang-cookie", "--formatter"}),
        options_first=False,
    ),
    "redis-cli": _Reads(
        frozenset(
            {"-h", "-p", "-s", "-a", "-u", "-n", "-t", "-r", "-i", "-d", "-D", "-X", "--user", "--pass", "--sni"}
            | {"--cacert", "--cacertdir", "--cert", "--key", "--tls-ciphers", "--tls-ciphersuites", "--eval"}
        ),
        options_first=True,
    ),
    # MinIO's client: `mc alias set ALIAS URL ACCESS_KEY SECRET_KEY [--api S3v4]` (hunt 154 F9)
    "mc": _Reads(frozenset({"--api", "--path", "--config-dir", "-C"}), options_first=False),
    # Cloud Foundry's `cf auth USER PASSWORD` (or `CLIENT_ID CLIENT_SECRET --client-credentials`: hunt 189 F6)
    "cf": _Reads(frozenset({"--origin"}), options_first=False),
    # `openssl passwd -apr1 PASSWORD` (nginx's basic auth: hunt 199 F5); no password with `-stdin` or `-in FILE`
    "openssl": _Reads(frozenset({"-salt", "-in"}), options_first=False),
    # Grafana's `grafana cli admin reset-admin-password PASSWORD`, `grafana-cli admin ...`
    "grafana-cli": _Reads(frozenset({"--homepath", "--config", "--pluginsDir", "--repo", "--pluginUrl"}), False),
    "grafana": _Reads(frozenset({"--homepath", "--config", "--pluginsDir", "--repo", "--pluginUrl"}), False),
    # HashiCorp Vault's `vault login TOKEN` (its options are written `-address=...`: hunt 203 F4),
    # `vault operator unseal KEY` (hunt 226 F4)
    "vault": _Reads(
        frozenset({"-address", "-namespace", "-ns", "-path", "-ca-cert", "-ca-path", "-client-cert", "-client-key"})
        | frozenset({"-tls-server-name", "-format", "-field", "-method"}),
        options_first=False,
    ),
    # hunt 226 F4, F5: Doppler's `secrets set NAME VALUE`, Neo4j's `dbms set-initial-password PW`,
    # rclone's `obscure PW`, unixODBC's `isql DSN USER PW`
    "doppler": _Reads(  # its command's options and the global ones that take a value (hunt 233 F4, F6)
        frozenset(
            {"-p", "--project", "-c", "--config", "--scope", "--type", "-t", "--token", "--visibility"}
            | {"--api-host", "--dashboard-host", "--config-dir", "--configuration", "--timeout", "--attempts"}
            | {"--dns-resolver-address", "--dns-resolver-proto", "--dns-resolver-timeout"}
        ),
        options_first=False,
    ),
    "neo4j-admin": _Reads(frozenset({"--additional-config"}), options_first=False),
    "rclone": _Reads(frozenset({"--config", "--log-file", "--log-level"}), options_first=False),
    "isql": _Reads(frozenset(), options_first=False),
}
# one character for one, so the places stay; a list's end ends its command (`[redis-cli, AUTH,
# u], "interval": 5`: no second word for AUTH after it)
_LIST_PUNCTUATION = str.maketrans("[],", " ; ")
_LIST_BLANKS = str.maketrans("[],", "   ")
# an object's braces are no words either (`["redis-cli", "AUTH"]}`: no password `}`); a
# reference's stay, so that `${REDIS_PASSWORD}` is read as one
_OBJECT_BRACE = lazy(r"\$\{[^{}\s]*\}|[{}]")


def _list_words(text: str, *, ends_command: bool = True) -> str:
    """`text` with a list's and an object's punctuation as blanks, one character for one; a
    list's `]` as a `;` that ends its command, unless `ends_command` is False."""
    if "{" in text or "}" in text:
        text = _OBJECT_BRACE.sub(lambda brace: brace.group() if len(brace.group()) > 1 else " ", text)
    return text.translate(_LIST_PUNCTUATION if ends_command else _LIST_BLANKS)


# `echo 'user:PASSWORD' | chpasswd`: read from the echo (_ECHO), whose pipe gives chpasswd the line
_CHPASSWD = "chpasswd"
# and chpasswd given its line by a here-string, after its words: options, maybe with values
# (`-c SHA512`, `-R /mnt`: hunt 166 F3), redirections (`2>&1`, `&>/dev/null`, `</dev/null`), a
# line continued (hunt 167 F3)
_BLANK = r"(?:[ \t]|\\\r?\n)"  # a blank, or a line continued
_CHPASSWD_WORDS = (
    rf"(?<![^\s'\"/;|&(`])chpasswd(?:{_BLANK}+"
    r"(?:[0-9]*(?:>>?|<(?!<))&?[^\s<>;&|]{0,64}|&>>?[^\s<>;&|]{0,64}|[^\s<>;&|]{1,64})){0,16}" + _BLANK + "*"
)
_CHPASSWD_HERE = lazy(_CHPASSWD_WORDS + r"<<<[ \t]*")
# or by a heredoc, a `user:PASSWORD` a line up to its closing line (_closing_line), the
# delimiter any word (`END-USERS`, `users.txt`: hunt 169 F6, F7), quoted in part too (`E"OF"`)
_HEREDOC_DELIMITER = r"<<-?[ \t]*([^\s<>|&;()]{1,64})"
_CHPASSWD_HEREDOC = lazy(_CHPASSWD_WORDS + _HEREDOC_DELIMITER)
# also a heredoc piped into it (`cat <<EOF | chpasswd`, maybe through other filters first), the
# rest of its line read up to the next `<`; chpasswd run by itself (`/usr/sbin/chpasswd`) or by a
# program that runs another (`sudo -n chpasswd`, `docker exec -i db chpasswd`, `ssh h 'chpasswd'`,
# `busybox chpasswd`, `timeout 10 chpasswd`: hunt 181 F6), not a word given to a program that
# reads text (`| sudo tee /etc/sudoers.d/chpasswd`, `| logger -t chpasswd`: hunt 178 F4)
_READERS = "tee|e?grep|fgrep|rg|logger|sed|awk|cat|echo|printf|wc|sort|head|tail|cut"
_TEXT_READERS = rf"(?:sudo(?:[ \t]+-[^\s|;&<]{{1,64}})*[ \t]+)?(?:{_READERS})(?![^\s|;&<])"
_PIPED_HEREDOC = lazy(
    r"(?<!<)" + _HEREDOC_DELIMITER + r"[^\n<|;&]*(?:\|[^\n<|;&]*){0,3}?\|[ \t]*(?!" + _TEXT_READERS + ")"
    rf"(?:[^\s|;&<]{{1,256}}{_BLANK}+){{0,16}}?['\"]?(?:[^\s|;&<'\"]*/)?chpasswd(?=[\s'\"]|\Z)"
)
# a program's name as a word, maybe after a folder (`/usr/bin/htpasswd`), also right after a
# separator or a substitution's start (as _PROGRAM)
_POSITIONAL_NAMES = "|".join(map(re.escape, _POSITIONAL_PROGRAMS))
_POSITIONAL_PROGRAM = lazy(rf"(?<![^\s'\"/;|&(`])({_POSITIONAL_NAMES})(?=[\s'\"]|\Z)")
_RABBITMQ_PASSWORD_COMMANDS = frozenset({"add_user", "change_password", "authenticate_user"})  # `... USER PASSWORD`
_REDIS_PASSWORD_KEYS = frozenset({"requirepass", "masterauth"})  # `CONFIG SET requirepass PASSWORD`


# programs whose password is their command's last word, and whose names prose and docs mention
# (`# use openssl passwd -apr1 for nginx`, `grafana cli admin reset-admin-password then restart`:
# hunt 201 F8)
_LAST_WORD_PROGRAMS = frozenset(
    {"openssl", "grafana", "grafana-cli", "mc"}
)  # (`mc admin user add then ...`: hunt 205 F4)
# a placeholder: in brackets, dots, `YOUR_PASSWORD` (capitals, no digit: not `P4SS_W0RD`: hunt 202 F3)
_PLACEHOLDER_WORD = lazy(r"\[[^\]]*\]|<[^>]*>|\.{2,}|[A-Z]+(?:_[A-Z]+)+")
_PLACEHOLDER_NAMES = frozenset({"password", "passwd", "pass", "newpassword", "yourpassword", "mypassword", "secret"})


def _prose_or_placeholder(text: str, arguments: list[tuple[int, int]], index: int) -> bool:
    """Whether the word at arguments[index] is a placeholder (`[password]`, `<pw>`, `...`,
    `YOUR_PASSWORD`, `password`, `mypassword`) or a lower-case word that other words follow
    (prose)."""
    start, end = arguments[index]
    word = text[start:end]
    if _PLACEHOLDER_WORD.fullmatch(word) or word in _PLACEHOLDER_NAMES:
        return True
    return index + 1 < len(arguments) and word.isalpha() and word.islower()


def _positional_password_parts(text: str, *, listed: bool = False) -> list[Part]:
    """The password each command of a _POSITIONAL_PROGRAMS program is given as a word (`htpasswd
    -bc FILE USER PASSWORD`, `rabbitmqctl add_user USER PASSWORD`, `redis-cli AUTH PASSWORD`...),
    and what an echo pipes into chpasswd after its `user:`. Each command's words are read once,
    and the next program is looked for from its end; each echo's words once (linear)."""
    found: list[Part] = []
    last_closer = {")": text.rfind(")"), "`": text.rfind("`")}  # what may close a substitution
    pos = 0
    while (program := _POSITIONAL_PROGRAM.search(text, pos)) is not None:
        name = program.group(1)
        at = program.end()
        if listed and text[at : at + 1] in ("'", '"') and text[program.start() - 1 : program.start()] == text[at]:
            at += 1  # a list's item: the program's name quoted as a word of its own (`"redis-cli" "AUTH" "pw"`)
        words, end = _command_words(text, at)
        pos = max(end, at)
        letters, arguments = _arguments(text, words, _POSITIONAL_PROGRAMS[name])
        for index in _password_at(name, letters, [text[start:stop] for start, stop in arguments]):
            if index >= len(arguments) or _no_literal(text, *arguments[index], last_closer):
                continue
            if text[arguments[index][0] : arguments[index][1]] == "-":
                continue  # standard input gives it (`echo x | rclone obscure -`: _stdin_parts)
            if name in _LAST_WORD_PROGRAMS and _prose_or_placeholder(text, arguments, index):
                continue
            found += literal_parts(text, *arguments[index], "option", name)
    pos = 0 if _CHPASSWD in text else len(text)
    while (echo := _ECHO.search(text, pos)) is not None:
        spans, stop = _echoed(text, echo)  # its literal words, adjacent ones joined
        pos = max(stop, echo.end())
        colon = text.find(":", *spans[0]) if spans and _pipes_into_chpasswd(text, stop) else -1
        if colon >= 0 and not _no_literal(text, colon + 1, spans[0][1], last_closer):
            found += literal_parts(text, colon + 1, spans[0][1], "option", _CHPASSWD)
    for here in _CHPASSWD_HERE.finditer(text) if _CHPASSWD in text else ():  # `chpasswd <<< 'root:pw'`
        start, end = _command_word(text, here.end())
        colon = text.find(":", start, end)
        if colon >= 0 and not _no_literal(text, colon + 1, end, last_closer):
            found += literal_parts(text, colon + 1, end, "option", _CHPASSWD)
    heredoc_ends = _HeredocEnds(text)
    for heredocs in (_CHPASSWD_HEREDOC, _PIPED_HEREDOC) if _CHPASSWD in text else ():
        pos = 0
        while (heredoc := heredocs.search(text, pos)) is not None:
            end = heredoc_ends.at(heredoc)
            if end < 0:  # never closed: a mention (`echo "use chpasswd <<EOF"`: hunt 169 F7), no heredoc
                pos = heredoc.end()
                continue
            found += _chpasswd_heredoc_parts(text, heredoc, end, last_closer)
            pos = max(pos + 1, end)  # its lines read once (linear)
    return found


def _chpasswd_heredoc_parts(text: str, here: re.Match[str], end: int, last_closer: dict[str, int]) -> list[Part]:
    """The password of each `user:PASSWORD` line of the heredoc chpasswd is given by `here`, up
    to `end`; `$NAME` a reference where the shell expands it (its delimiter unquoted)."""
    found: list[Part] = []
    expands = HEREDOC_QUOTING.search(here.group(1)) is None  # `<<EOF`; not `<<'EOF'`, `<<\EOF`, `<<E"OF"`
    line_start = text.find("\n", here.end()) + 1
    while 0 < line_start < end:
        line_end = text.find("\n", line_start, end)
        line_end = end if line_end < 0 else line_end
        stop = line_end - text.endswith("\r", line_start, line_end)
        colon = text.find(":", line_start, stop)
        if colon >= 0 and not (expands and _no_literal(text, colon + 1, stop, last_closer)):
            found += literal_parts(text, colon + 1, stop, "option", _CHPASSWD)
        line_start = line_end + 1
    return found


class _HeredocEnds:
    """Where the heredocs of a text end: the lines short enough to close one (a delimiter is 64
    characters at most), indexed once by what they hold (_closing_line); each heredoc's end is
    then a bisection (linear: hunt 169's many heredocs never closed)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: dict[str, list[int]] | None = None  # what a line holds -> where such lines start

    def at(self, here: re.Match[str]) -> int:
        """Where the line that closes the heredoc opened by `here` starts, or -1 when none does."""
        if self.lines is None:
            self.lines = {}
            start = 0
            for line in self.text.split("\n"):
                if len(line) <= _HEREDOC_LINE:
                    self.lines.setdefault(_closing_line(line), []).append(start)
                start += len(line) + 1
        starts = self.lines.get(HEREDOC_QUOTING.sub("", here.group(1)), [])
        after = bisect.bisect_right(starts, here.end())  # a line after the one `<<` is on
        return starts[after] if after < len(starts) else -1


_HEREDOC_LINE = 256  # a closing line's length at most: its delimiter, blanks, a quote, a `\r`


def _closing_line(line: str) -> str:
    """What a line holds as a heredoc's closing line: its delimiter, leniently, as the text of a
    var is not always the script a shell runs: blanks around it (`<<-` strips only tabs; an
    indented block's closing line), and the quote or `)` of an `sh -c '...'` or `$(...)` that
    it ends (`EOF'`: hunt 170 F4)."""
    return line.strip(" \t\r").rstrip("'\"`)").rstrip(" \t")


def _command_words(text: str, at: int) -> tuple[list[tuple[int, int]], int]:
    """The words of the command that goes on at text[at] (each within its quotes), and where it
    ends: at a `;`, `&`, `|` or line break outside quotes (a backslash before the line break goes
    on), a comment's `#`, a redirection (`2>/dev/null`), or the text's end. Also inside an
    unquoted word that opens a substitution it does not close (`$(cat /run/pw)`: its words are
    another command's, which may be one of these programs, `echo $(htpasswd -nb user pw)`); and
    after a quote, `)` or backtick that ends a word and opens nothing in it, which closes what
    the command is in (`sh -c "... pw"`, `$(... pw)`): the word is kept, without it."""
    words: list[tuple[int, int]] = []
    acl_rules = False  # after redis's `ACL SETUSER`, `>pw` and `<pw` are rules, not redirections (hunt 153 F4)
    while True:
        at = _blanks_after(text, at)
        if text.startswith(("\\\n", "\\\r\n"), at):
            at = text.index("\n", at) + 1
            continue
        if at >= len(text) or text[at] in ";&|\r\n":
            return words, at
        if text[at] == "#":  # a comment, to the line's end
            line_end = text.find("\n", at)
            return words, len(text) if line_end < 0 else line_end
        template = TEMPLATE_AT.match(text, at)  # `<% PASS %>`: one word, blanks and all
        start, end = template.span() if template else value_from(text, at, _KEY_STOP)
        quoted = start > at
        if not quoted and (
            end == at or (text[start:end].lstrip("0123456789").startswith(("<", ">")) and not acl_rules)
        ):
            return words, at  # a redirection (`2>/dev/null`), or a character no word starts with (a form feed)
        acl_rules = acl_rules or text[start:end].upper() == "SETUSER"
        if quoted:  # the word goes on past its closing quote, joined by the shell (`'a'b`)
            after = end if end == len(text) or _KEY_STOP.match(text, end) else end + 1 + text.startswith('\\"', end)
            stop = _KEY_STOP.search(text, after)
            at = stop.start() if stop else len(text)
            joined = _less_closers(text, after, at)
            words.append((start, joined if joined > after else end))
        else:
            joined = _less_closers(text, start, end)
            words.append((start, joined))
            if (opener := _open_substitution(text, start, end)) >= 0:
                return words, opener
            at = end
        if joined < at:  # what the command is in closes after the word
            return words, at


def _open_substitution(text: str, start: int, end: int) -> int:
    """Where the words of a substitution that the unquoted word text[start:end] opens and does
    not close start (past its first `$(` or backtick), or -1."""
    word = text[start:end]
    if word.count("$(") > word.count(")") or word.count("`") % 2:
        return start + min(at + len(opener) for opener in ("$(", "`") if (at := word.find(opener)) >= 0)
    return -1


def _less_closers(text: str, start: int, end: int) -> int:
    """Where the unquoted word text[start:end] ends without the quotes, `)` or backtick (two at
    most, `pw')`) at its end that open nothing in it."""
    for _ in range(2):
        last = text[end - 1] if end > start else ""
        opener = "(" if last == ")" else last
        if last not in ("'", '"', ")", "`") or text.find(opener, start, end - 1) >= 0:
            break
        end -= 1
    return end


def _arguments(text: str, words: list[tuple[int, int]], reads: _Reads) -> tuple[str, list[tuple[int, int]]]:
    """The letters of a program's short options (`-nb`: `nb`) and its other words, its options'
    values left out (_Reads)."""
    letters: list[str] = []
    arguments: list[tuple[int, int]] = []
    value_next = options_done = False
    for start, end in words:
        word = text[start:end]
        if value_next:
            value_next = False
        elif word == "--" and not options_done:
            options_done = True
        elif word.startswith("-") and word != "-" and not options_done and not (reads.options_first and arguments):
            if not word.startswith("--"):
                letters.append(word[1:])
            value_next = word in reads.with_value or (not word.startswith("--") and "-" + word[-1] in reads.with_value)
        else:
            arguments.append((start, end))
    return "".join(letters), arguments


def _password_at(program: str, letters: str, words: list[str]) -> list[int]:
    """Which of a program's words (its options and their values left out) are passwords."""
    if program == "htpasswd":  # with `-b` (else it asks): `FILE USER PASSWORD`, with `-n` `USER PASSWORD`
        return [1 if "n" in letters else 2] if "b" in letters else []
    if program == "mosquitto_passwd":  # `-b FILE USER PASSWORD`
        return [2] if "b" in letters else []
    if program == "rabbitmqctl":  # `add_user USER PASSWORD`
        return [2] if words and words[0] in _RABBITMQ_PASSWORD_COMMANDS else []
    if program == "cf":  # `auth USER PASSWORD`; not prose's words (`cf auth first, then ...`: hunts 191 F8, 194 F3)
        return [2] if words[:1] == ["auth"] and not (len(words) > 1 and words[1].endswith(",")) else []
    if program == "openssl":
        return [1] if words[:1] == ["passwd"] and "stdin" not in letters and "in" not in letters else []
    if program in ("grafana", "grafana-cli"):
        command = words[1:3] if program == "grafana" and words[:1] == ["cli"] else words[:2]
        return [len(command) + (program == "grafana")] if command == ["admin", "reset-admin-password"] else []
    # MinIO's `alias set ALIAS URL ACCESS SECRET`, the older `config host add ...`, `admin user add ALIAS USER SECRET`
    if program == "mc":
        if words[:3] == ["admin", "user", "add"]:
            return [5]
        return [5] if words[:2] == ["alias", "set"] else [6] if words[:3] == ["config", "host", "add"] else []
    # These commands take no other word after the secret, and prose names them (`run vault login
    # again`, `isql is the unixODBC client`: hunt 227 F4): exactly their words, or none is read.
    if program == "vault":  # `vault login TOKEN`; not `-method=...`, whose `password=x` is a NAME=value
        if words[:2] == ["operator", "unseal"] and len(words) == 3:
            return [2]
        login = words[:1] == ["login"] and len(words) == 2 and "method" not in letters
        return [1] if login and not (words[1].isalpha() and words[1].islower()) else []  # (no token is a word)
    if program == "doppler":  # `secrets set NAME VALUE` (`NAME=VALUE` is read as an assignment)
        return [3] if words[:2] == ["secrets", "set"] and len(words) == 4 and "=" not in words[2] else []
    if program == "neo4j-admin":  # `dbms set-initial-password PW` (Neo4j 5), `set-initial-password PW` (4)
        if words[:2] == ["dbms", "set-initial-password"] and len(words) == 3:
            return [2]
        return [1] if words[:1] == ["set-initial-password"] and len(words) == 2 else []
    if program == "rclone":  # `obscure PW`: the password it obscures
        return [1] if words[:1] == ["obscure"] and len(words) == 2 else []
    if program == "isql":  # `isql DSN USER PW`
        return [2] if len(words) == 3 else []
    # redis-cli's command, in any case: `AUTH [USER] PASSWORD`, `CONFIG SET requirepass PASSWORD ...`,
    # `HELLO 3 AUTH USER PASSWORD`, `MIGRATE ... AUTH PASSWORD` (`AUTH2 USER PASSWORD`), `ACL SETUSER
    # USER on >PASSWORD` (hunt 152 F3)
    command = [word.upper() for word in words[:2]]
    if command[:1] == ["AUTH"]:
        return [2 if len(words) > 2 else 1]
    if command[:1] == ["HELLO"]:  # `HELLO [protover [AUTH USER PASSWORD] [SETNAME name]]`
        at = 2 if len(words) > 1 and words[1].isdigit() else 1
        while at < len(words):
            option = words[at].upper()
            if option == "AUTH":
                return [at + 2]
            at += 2 if option == "SETNAME" else 1  # a client's name may be `auth` (hunt 153 F11)
        return []
    # `MIGRATE host port key db timeout [COPY] [REPLACE] [AUTH PASSWORD | AUTH2 USER PASSWORD] [KEYS ...]`
    if command[:1] == ["MIGRATE"]:
        for at in range(6, len(words)):
            option = words[at].upper()
            if option in ("AUTH", "AUTH2"):
                return [at + (1 if option == "AUTH" else 2)]
            if option == "KEYS":
                break
        return []
    if command == ["ACL", "SETUSER"]:  # `>PASSWORD` adds one, `<PASSWORD` removes it: both name it
        redirection = (">/", ">&", ">>", "</")  # (hunt 156 F14)
        return [
            index
            for index in range(3, len(words))
            if words[index].lstrip("'\"").startswith((">", "<")) and not words[index].startswith(redirection)
        ]
    if command == ["CONFIG", "SET"]:
        return [index + 1 for index in range(2, len(words) - 1, 2) if words[index].lower() in _REDIS_PASSWORD_KEYS]
    return []


def _pipes_into_chpasswd(text: str, at: int) -> bool:
    """Whether the pipe at text[at] gives what comes before it to chpasswd (`| chpasswd -e`,
    `| sudo /usr/sbin/chpasswd`)."""
    if not text.startswith("|", at) or text.startswith("||", at):
        return False
    at += 1 + text.startswith("|&", at)  # `|&` pipes standard error too
    while at < len(text) and text[at] in " \t\r\n":
        at += 1  # a pipe goes on over a line break
    start, end, after = _word_and_next(text, at, _KEY_STOP)
    if text[start:end] == "sudo":
        start, end, _ = _word_and_next(text, after, _KEY_STOP)
    return text[start:end].rstrip("'\")`").rsplit("/", 1)[-1] == _CHPASSWD


def _no_literal(text: str, start: int, end: int, last_closer: dict[str, int]) -> bool:
    """Whether the word text[start:end] writes no password: a reference (`$PASS`, `"$PASS"`,
    `$(cat f)`: not_an_option_value). A substitution the word opens and does not close (a
    command's end cut it, `$(cat /run/pw)`) is judged by `last_closer`, where the text's last `)`
    and backtick are: one closed after it is a reference, one never closed is text (`$(Hunter2`),
    and not_an_option_value, which looks for its closer, would read the rest of the text for each."""
    value = text[start:end].lstrip('\\"')
    closer = ")" if value.startswith("$(") else "`" if value.startswith("`") else ""
    quoted = text.startswith("'", start) or text[start - 1 : start] == "'"  # in single quotes: text
    if closer and closer not in value[1:] and not quoted:
        return last_closer[closer] > start
    return not_an_option_value(text, start, end)
