"""Every text the tool says to its user, in zh-CN or en, from the catalogues in ``locale/``.

The catalogues are data (``partnership/locale/*.toml``, one table per message with a
``zh`` and an ``en`` text); this module only loads them and picks the language. The
CLI chooses the language once per run (:func:`set_language`); until then it comes
from ``PARTNERSHIP_LANG``, else the system locale (``zh*`` or a Windows "Chinese"
locale → Chinese), else English. Generated labels in the files follow the
agreement's own ``language`` instead (see :mod:`partnership.i18n`).

A table may be a message and hold more messages (``cli.help.init`` and
``cli.help.init.path``). :func:`t` always fills the text (write ``{{`` for a brace);
:func:`raw` gives it unfilled, as a template for another library.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from contextvars import ContextVar
from functools import cache
from typing import Any, Literal

Lang = Literal["zh-CN", "en"]
LANG_ENV = "PARTNERSHIP_LANG"
_LOCALE_ENVS = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")

_chosen: ContextVar[Lang | None] = ContextVar("partnership_language", default=None)


def normalise(value: str) -> Lang | None:
    """The language a locale-like name means (``zh_CN.UTF-8``, ``Chinese_China``, ``en``)."""
    v = value.strip().lower()
    if not v or v in ("c", "posix"):
        return None
    if v.startswith(("zh", "chinese")):
        return "zh-CN"
    return "en"


def system_language(env: Mapping[str, str] | None = None) -> Lang:
    """``PARTNERSHIP_LANG``, else the locale variables, else the OS locale, else English."""
    env = os.environ if env is None else env
    for name in (LANG_ENV, *_LOCALE_ENVS):
        found = normalise(env.get(name, "").split(":")[0])
        if found:
            return found
    import locale

    try:
        name = locale.getlocale()[0] or ""
    except ValueError:  # an unknown locale setting
        name = ""
    return normalise(name) or "en"


def set_language(lang: Lang | None) -> None:
    """Use ``lang`` for every message of this run (``None``: back to the system's)."""
    _chosen.set(lang)


def language() -> Lang:
    """The language messages are given in now."""
    return _chosen.get() or system_language()


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message: ``key → {"zh": …, "en": …}``, merged from ``locale/*.toml``."""
    from importlib.resources import files

    merged: dict[str, dict[str, str]] = {}
    folder = files("partnership").joinpath("locale")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            text = entry.read_text("utf-8")
            table = simple_toml(text)
            if table is None:  # a form the simple reader leaves to tomllib (3 ms to import)
                import tomllib

                table = tomllib.loads(text)
            _flatten(table, "", merged, entry.name)
    return merged


_BARE = r"[A-Za-z0-9_-]+"
_STRING = r'"(?:[^"\\]|\\.)*"'
_INLINE = r'\{(?P<inline>(?:[^{}"]|' + _STRING + r")*)\}"
_TOML_LINE = re.compile(
    rf"[ \t]*(?:\[(?P<table>{_BARE}(?:\.{_BARE})*)\]"
    rf"|(?P<key>{_BARE})[ \t]*=[ \t]*(?:(?P<string>{_STRING})|{_INLINE}))?"
    r"[ \t]*(?:#.*)?"
)
_INLINE_PAIR = re.compile(
    rf"[ \t]*(?P<key>{_BARE})[ \t]*=[ \t]*(?P<string>{_STRING})[ \t]*(?:(?P<comma>,)|$)"
)
# characters TOML refuses outside escapes (JSON allows DEL), and escapes JSON reads
# otherwise than TOML: \/, \U, lone surrogates
_TOML_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|\r(?!\n)")
_NOT_TOML_ESCAPE = re.compile(r"\\(?:/|U|u[dD][89a-fA-F])")


def simple_toml(text: str) -> dict[str, Any] | None:
    """``tomllib.loads(text)`` for the few forms the catalogues use — ``[a.b]`` tables,
    ``key = "text"`` and ``key = { zh = "…", en = "…" }`` — four times faster (tomllib
    took 8 ms of every command); None for anything else, which tomllib then reads."""
    if _TOML_CONTROL.search(text):
        return None
    root: dict[str, Any] = {}
    table = root
    defined: set[tuple[str, ...]] = set()
    inline: set[int] = set()  # inline tables cannot be extended by a [header]
    for line in text.split("\n"):
        m = _TOML_LINE.fullmatch(line.removesuffix("\r"))
        if m is None:
            return None
        if m["table"] is not None:
            path = tuple(m["table"].split("."))
            if path in defined:
                return None
            defined.add(path)
            table = root
            for part in path:
                table = table.setdefault(part, {})
                if not isinstance(table, dict) or id(table) in inline:
                    return None
        elif m["key"] is not None:
            if m["key"] in table:
                return None
            value = _string(m["string"]) if m["string"] is not None else _inline(m["inline"])
            if value is None:
                return None
            if isinstance(value, dict):
                inline.add(id(value))
            table[m["key"]] = value
    return root


def _inline(text: str) -> dict[str, str] | None:
    """An inline table of strings, or None when it is more than that."""
    out: dict[str, str] = {}
    if not text.strip(" \t"):
        return out
    at = 0
    while True:
        m = _INLINE_PAIR.match(text, at)
        value = None if m is None or m["key"] in out else _string(m["string"])
        if m is None or value is None:
            return None
        out[m["key"]] = value
        if not m["comma"]:
            return out
        at = m.end()


def _string(quoted: str) -> str | None:
    """A TOML basic string's value; None where JSON's string rules differ from TOML's."""
    if _NOT_TOML_ESCAPE.search(quoted):
        return None
    try:
        value = json.loads(quoted)
    except ValueError:  # a tab or an unknown escape: tomllib decides
        return None
    return value if isinstance(value, str) else None


def _flatten(
    table: Mapping[str, Any], prefix: str, into: dict[str, dict[str, str]], src: str
) -> None:
    for key, value in table.items():
        name = f"{prefix}{key}"
        if not isinstance(value, Mapping):
            raise ValueError(f"locale/{src}: {name!r} is neither a message nor a table")
        texts = {str(k): v for k, v in value.items() if not isinstance(v, Mapping)}
        if texts:  # a message; it may also head a table of more messages (cli.help.init.path)
            if name in into:
                raise ValueError(f"locale/{src}: message {name!r} is defined twice")
            into[name] = {k: str(v) for k, v in texts.items()}
        _flatten({k: v for k, v in value.items() if isinstance(v, Mapping)}, f"{name}.", into, src)


def t(key: str, /, lang: Lang | None = None, **params: object) -> str:
    """The message ``key`` in ``lang`` (default: the run's language), filled with ``params``."""
    return raw(key, lang).format_map(params)


def raw(key: str, lang: Lang | None = None) -> str:
    """The message ``key`` unfilled, as a template for another library (``{}`` kept)."""
    texts = catalogue()[key]
    return texts["zh"] if (lang or language()) == "zh-CN" else texts["en"]
