"""The console's encoding, both ways: output it cannot show degrades, typed text is decoded.

A Chinese Windows console (cp936/GBK), a cp1252 one or an ASCII pipe cannot show
every character the tool prints (⚠, ☐, box lines, ...). :func:`degrade_streams`
makes stdout and stderr replace such a character with a plain fallback instead of
raising, so a command never fails on its own output. :func:`typed_text` turns a
command-line argument that arrived as undecodable bytes (lone surrogates) into the
text the user typed in the console's encoding, or refuses it.
"""

from __future__ import annotations

import codecs
import os
import sys
import unicodedata
from typing import TextIO

ERRORS = "partnership-degrade"
FALLBACK: dict[str, str] = {
    "⚠": "!",
    "☐": "o",
    "☑": "x",
    "✓": "v",
    "✔": "v",
    "✗": "x",
    "—": "-",
    "–": "-",
    "·": ".",
    "…": ".",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "→": ">",
    "×": "x",
}
"""Plain stand-ins, as wide as the character, for what a narrow console encoding lacks.

Anything else becomes ``?`` (``??`` for a wide character such as 中 on an ASCII
console), so the columns of a table stay aligned.
"""


def _degrade(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    text = "".join(FALLBACK.get(ch) or _unknown(ch) for ch in bad)
    return text, exc.end


def _unknown(ch: str) -> str:
    return "??" if unicodedata.east_asian_width(ch) in ("W", "F") else "?"


codecs.register_error(ERRORS, _degrade)


def degrade_streams() -> None:
    """Let stdout and stderr degrade characters their encoding lacks instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) == "strict":
            reconfigure(errors=ERRORS)


def encoding(stream: TextIO | None = None) -> str:
    """The encoding text for the console is written (and typed) in."""
    stream = sys.stdout if stream is None else stream
    return getattr(stream, "encoding", None) or "utf-8"


def typed_text(value: str) -> str | None:
    """``value`` as typed in the console (decoded with its encoding); None if it is not text.

    On POSIX, arguments the file-system encoding cannot decode arrive with lone
    surrogates standing for their bytes; those bytes are decoded with the console's
    encoding (stdin's, else stdout's) — a GBK terminal under a UTF-8 locale.
    """
    if not _has_surrogates(value):
        return value
    raw = os.fsencode(value)
    for name in dict.fromkeys([encoding(sys.stdin), encoding(sys.stdout)]):
        try:
            text = raw.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        if not _has_surrogates(text):
            return text
    return None


def _has_surrogates(value: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in value)
