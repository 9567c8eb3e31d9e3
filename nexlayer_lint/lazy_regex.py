"""Regular expressions compiled on first use.

`re.compile` runs Python code (re's parser and compiler): the hundred-odd patterns of the secrets
scanner and the checks cost about a sixth of a one-file run when compiled at import, though a
clean file needs few of them. `lazy(pattern)` is used exactly as the compiled pattern would be
(`.search`, `.finditer`, `.pattern`...); the first use compiles it and keeps the compiled
pattern's attributes on the object, so later uses cost what a compiled pattern's do.
"""

import re
from typing import Any, AnyStr, Generic


class _LazyPattern(Generic[AnyStr]):
    def __init__(self, pattern: AnyStr, flags: int) -> None:
        self._pattern: AnyStr = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # Reached only until the first use: then every public attribute is the instance's own.
        if name.startswith("_"):  # (copy and pickle ask for dunders of an object not yet set up)
            raise AttributeError(name)
        compiled = re.compile(self._pattern, self._flags)
        for attribute in dir(compiled):
            if not attribute.startswith("_"):
                setattr(self, attribute, getattr(compiled, attribute))
        # a class without __getattr__ from now on: Python asks it of every lookup that has one
        self.__class__ = _CompiledPattern  # type: ignore[assignment]
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._pattern!r})"


class _CompiledPattern(Generic[AnyStr]):
    """A _LazyPattern once compiled: every attribute is the instance's own, and lookups skip the
    __getattr__ hook Python calls for a class that has one (about 0.5% of a batch's instructions)."""

    _pattern: Any

    def __repr__(self) -> str:
        return f"lazy({self._pattern!r})"


def lazy(pattern: AnyStr, flags: int = 0) -> "re.Pattern[AnyStr]":
    """`re.compile(pattern, flags)`, done the first time the result is used."""
    return _LazyPattern(pattern, flags)  # type: ignore[return-value]  # used only through Pattern's attributes
