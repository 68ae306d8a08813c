"""Agreement and records files → validated models; every problem as ``FILE:LINE:COLUMN: msg``.

All problems at once: shape errors come from pydantic, and the cross-file rules
(``checks``, e.g. :func:`partnership.model.cross_check`) still run when the
errors are confined to parts nothing else refers to. Those parts are set aside
— an unknown key, an optional key with a bad value (its default is used), a
bad item of a list (a commitment, a closure, ...) — and the rest is validated
again; its cross-file findings are reported beside the first errors, with the
paths and positions ("commitment 2") of the original file. Terms and custom
festivals are never set aside (ids elsewhere refer to them), so an error inside
one of them, or in a required key, postpones the cross-file rules until it is
fixed. A rule on a whole mapping (end before start, ...) runs once that
mapping's own keys are valid.
"""

from __future__ import annotations

import os
import re
import stat
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from partnership.errors import InputError, Problem
from partnership.messages import catalogue, t
from partnership.model import Agreement, cross_check, suggest
from partnership.starter import unfilled
from partnership.yamlsource import Document, dotted, parse_yaml

__all__ = [
    "MAX_BYTES",
    "dotted",
    "load_agreement",
    "load_agreements",
    "parse_agreement",
    "read_limited",
    "validate_document",
]

MAX_BYTES = 1_000_000
"""Largest agreement or records file accepted (a real one is a few KB)."""

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]
Checks = Callable[[Any], list[tuple[Loc, str]]]

_REFERENCED: tuple[Loc, ...] = (("calendar", "terms"), ("festivals",))
"""Lists whose items other parts of an agreement name by id: never set aside."""
_PRUNE_ROUNDS = 8
_ORDINAL_LISTS: dict[str, Loc] = {"commitment": ("commitments",), "term": ("calendar", "terms")}
"""Cross-file messages name other items by position ("commitment 2"): the lists they count."""


def read_limited(path: Path, display: str | None = None) -> bytes:
    """The bytes of ``path``, refusing anything but a readable regular file of at most 1 MB.

    The file type is checked before opening, and the file is opened non-blocking, so a
    FIFO, device or socket is refused at once instead of hanging the command.
    """
    name = display or str(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise InputError([Problem(name, None, None, _not_a_file(info.st_mode))])
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped since the stat
                raise InputError([Problem(name, None, None, _not_a_file(0))])
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError([Problem(name, None, None, t("loader.no_such_file"))]) from None
    except IsADirectoryError:
        raise InputError([Problem(name, None, None, t("loader.is_folder"))]) from None
    except OSError as exc:
        problem = t("loader.cannot_read", problem=exc.strerror)
        raise InputError([Problem(name, None, None, problem)]) from None
    if len(data) > MAX_BYTES:
        too_big = t("loader.too_big", mb=MAX_BYTES // 1_000_000)
        raise InputError([Problem(name, None, None, too_big)])
    return data


def _not_a_file(mode: int) -> str:
    """What a path that is no regular file is, and that only files are read."""
    if stat.S_ISDIR(mode):
        return t("loader.is_folder")
    kind = (
        "fifo"
        if stat.S_ISFIFO(mode)
        else "socket"
        if stat.S_ISSOCK(mode)
        else "device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "other"
    )
    return t("hardening.not_a_file", kind=t(f"hardening.kind_{kind}"))


def load_agreement(path: Path) -> Agreement:
    """Read, parse and validate an agreement file (InputError listing every problem)."""
    data = read_limited(path)
    return parse_agreement(data, str(path))


def load_agreements(paths: list[Path]) -> tuple[list[tuple[Path, Agreement]], list[Problem]]:
    """Every agreement that validates, and the problems of those that do not (all of them)."""
    loaded: list[tuple[Path, Agreement]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            loaded.append((path, load_agreement(path)))
        except InputError as exc:
            problems.extend(exc.problems)
    return loaded, problems


def parse_agreement(data: bytes, filename: str) -> Agreement:
    """Validate agreement bytes; ``filename`` is used in messages."""
    doc = parse_yaml(data, filename)
    todo = [
        doc.problem(loc, t("loader.placeholder", key=dotted(loc), text=text))
        for loc, text in unfilled(doc.data)
    ]
    try:
        agreement = validate_document(doc, Agreement, cross_check)
    except InputError as exc:
        # a placeholder that is no valid value (a date) is said once, as a placeholder
        filled = {(p.line, p.column) for p in todo}
        rest = [p for p in exc.problems if (p.line, p.column) not in filled]
        raise InputError(_unique_sorted(todo + rest)) from None
    if todo:
        raise InputError(todo)
    return agreement


def validate_document(doc: Document, model: type[M], checks: Checks | None = None) -> M:
    """Validate a parsed document against ``model``; every problem is located in the file."""
    problems = list(doc.problems)
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), t("loader.not_mapping", value=_show(doc.data))))
        raise InputError(problems)
    try:
        result = model.model_validate(doc.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        problems.extend(_translate(doc, model, err) for err in errors)
        if checks is not None:
            problems.extend(_best_effort_checks(doc, model, checks, errors))
        raise InputError(_unique_sorted(problems)) from None
    if checks is not None:
        problems.extend(doc.problem(path, _named(path, msg)) for path, msg in checks(result))
    if problems:
        raise InputError(_unique_sorted(problems))
    return result


def _best_effort_checks(
    doc: Document, model: type[BaseModel], checks: Checks, errors: list[Any]
) -> list[Problem]:
    """Cross-file findings on the document with its invalid parts set aside (see module doc)."""
    drop: set[Loc] = set()
    kept: dict[Loc, list[int]] = {}
    data = doc.data
    for _ in range(_PRUNE_ROUNDS):
        for err in errors:
            point = _prune_point(model, _original(_clean_loc(tuple(err["loc"]), data), kept), err)
            if point is None:
                return []
            drop.add(point)
        kept = {}
        data = _without(doc.data, drop, (), kept)
        try:
            result = model.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            continue
        found = [(_original(path, kept), _renumbered(msg, kept)) for path, msg in checks(result)]
        return [doc.problem(path, _named(path, msg)) for path, msg in found]
    return []


def _prune_point(model: type[BaseModel], loc: Loc, err: Any) -> Loc | None:
    """The smallest part around an error that can be left out safely (None: nothing can)."""
    if err["type"] == "extra_forbidden":
        return loc
    point = loc
    while point:
        parent = point[:-1]
        if point in _REFERENCED or parent in _REFERENCED:
            return None
        last = point[-1]
        if isinstance(last, int):
            if typing.get_origin(_unwrap(_annotation_at(model, parent))) is list:
                return point
        else:
            owner = _unwrap(_annotation_at(model, parent))
            if isinstance(owner, type) and issubclass(owner, BaseModel):
                info = owner.model_fields.get(last)
                if info is not None and not info.is_required():
                    return point
        point = parent
    return None


def _without(data: Any, drop: set[Loc], path: Loc, kept: dict[Loc, list[int]]) -> Any:
    """A copy of ``data`` without the parts at ``drop``; ``kept`` maps new list indices to old."""
    if isinstance(data, dict):
        return {
            k: _without(v, drop, (*path, k), kept)
            for k, v in data.items()
            if (*path, k) not in drop
        }
    if isinstance(data, list):
        kept[path] = [i for i in range(len(data)) if (*path, i) not in drop]
        return [_without(data[i], drop, (*path, i), kept) for i in kept[path]]
    return data


def _original(path: Loc, kept: dict[Loc, list[int]]) -> Loc:
    """The path in the original document of ``path`` in a copy made by :func:`_without`."""
    out: Loc = ()
    for part in path:
        if isinstance(part, int) and out in kept and 0 <= part < len(kept[out]):
            out = (*out, kept[out][part])
        else:
            out = (*out, part)
    return out


def _renumbered(message: str, kept: dict[Loc, list[int]]) -> str:
    """``message`` with "commitment N" / "term N" (第 N 项承诺, 第 N 个学期) as in the original."""

    def original(m: re.Match[str]) -> str:
        word = m.group("word") or m.group("zh_word")
        order = kept.get(_ORDINAL_LISTS[_ORDINAL_WORDS.get(word, word)], [])
        n = int(m.group("n") or m.group("zh_n"))
        if not 1 <= n <= len(order):
            return m.group()
        if m.group("word"):
            return f"{word} {order[n - 1] + 1}"
        return f"第 {order[n - 1] + 1} {m.group('unit')}{word}"

    return _ORDINAL.sub(original, message)


_ORDINAL_WORDS = {"承诺": "commitment", "学期": "term"}
_ORDINAL = re.compile(
    r"\b(?P<word>commitment|term) (?P<n>\d+)\b"
    r"|第 (?P<zh_n>\d+) (?P<unit>[项个])(?P<zh_word>承诺|学期)"
)


def _unique_sorted(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for p in sorted(problems, key=lambda p: (p.line or 0, p.column or 0, p.message)):
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out


def _show(value: Any) -> str:
    """A value as the file's author wrote it, short."""
    if value is None:
        return t("loader.show.nothing")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return t("loader.show.mapping")
    if isinstance(value, list):
        return t("loader.show.list")
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _clean_loc(loc: tuple[Any, ...], data: Any) -> Loc:
    """The path of a pydantic error in ``data``, without pydantic's own steps (union branches)."""
    out: Loc = ()
    for part in loc:
        if isinstance(part, str) and _is_pseudo(part, data):
            continue
        out = (*out, part)
        in_list = isinstance(part, int) and isinstance(data, list) and 0 <= part < len(data)
        data = data[part] if in_list or (isinstance(data, dict) and part in data) else None
    return out


def _is_pseudo(part: str, node: Any) -> bool:
    if not isinstance(node, dict):
        return True
    return part not in node and (
        "[" in part or part.startswith(("function-", "lax-", "strict-", "json-"))
    )


def _value_at(data: Any, path: Loc) -> Any:
    for part in path:
        in_list = isinstance(part, int) and isinstance(data, list) and 0 <= part < len(data)
        if in_list or (isinstance(part, str) and isinstance(data, dict) and part in data):
            data = data[part]
        else:
            return None
    return data


def _suggestion(word: Any, choices: list[str]) -> str:
    if not isinstance(word, str):
        return ""
    close = suggest(word, choices)
    return t("loader.did_you_mean", hint=repr(close)) if close else ""


def _translate(doc: Document, model: type[BaseModel], err: Any) -> Problem:
    """One pydantic error as a located problem naming the key and what would be valid.

    Each error type has its message in the catalogue (``loader.error.<type>``, filled
    with the key, the value and pydantic's context such as ``le``); a type without
    one keeps pydantic's English text.
    """
    loc = _clean_loc(tuple(err["loc"]), doc.data)
    kind = err["type"]
    value = err.get("input")
    ctx = {k: _plain(v) for k, v in (err.get("ctx") or {}).items()}
    name = dotted(loc)
    if kind == "extra_forbidden":
        parent, extra = loc[:-1], str(loc[-1])
        valid = _fields_at(model, parent)
        text = t("loader.unknown_key", key=dotted(parent), extra=repr(extra))
        text += _suggestion(extra, valid)
        if extra == "<<":
            text += t("loader.merge_key")
        if valid:
            text += t("loader.valid_keys", keys=", ".join(valid))
        return doc.problem(loc, text, key=True)
    if kind == "missing":
        parent, last = loc[:-1], loc[-1]
        if isinstance(last, int):
            return doc.problem(parent, t("loader.too_few", key=dotted(parent), n=last + 1))
        return doc.problem(
            parent, t("loader.missing", key=dotted(parent), name=repr(last)), key=bool(parent)
        )
    if kind in ("bool_type", "bool_parsing"):
        hint = ""
        if isinstance(value, str) and value.lower() in ("yes", "no", "on", "off", "y", "n"):
            hint = t("loader.yaml11_bool")
        return doc.problem(loc, t("loader.not_bool", key=name, value=_show(value), hint=hint))
    if kind in ("int_type", "int_parsing"):
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20:
            if len(value) > 1 and value.startswith("0"):
                return doc.problem(
                    loc, t("loader.leading_zero", key=name, value=repr(value), n=int(value))
                )
            return doc.problem(loc, t("loader.quoted_number", key=name, n=int(value)))
        return doc.problem(loc, t("loader.not_int", key=name, value=_show(value)))
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        choices = re.findall(r"'([^']*)'", expected)
        if value is not None and not isinstance(value, (dict, list)) and str(value) == expected:
            return doc.problem(loc, t("loader.unquote", key=name, expected=expected))
        what = t("loader.no_value") if value is None else t("loader.bad_value", value=_show(value))
        use = t("loader.use_one_of" if " or " in expected else "loader.use", expected=expected)
        return doc.problem(
            loc, t("loader.named", key=name, message=f"{what}{use}{_suggestion(value, choices)}")
        )
    if kind in ("string_type", "str_type") and value is None:
        return doc.problem(loc, t("loader.no_value_write", key=name))
    if kind == "too_short" and ctx.get("min_length") == 1:
        kind = "too_short_one"
    message = str(err["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
        return doc.problem(_pointed(doc, loc, message), _named(loc, message))
    key = f"loader.error.{_KIND_ALIASES.get(kind, kind)}"
    if key in catalogue():
        return doc.problem(loc, t(key, key=name, value=_show(value), **ctx))
    if value is not None and not isinstance(value, (dict, list)):
        message = t("loader.got", message=message, value=_show(value))
    return doc.problem(loc, t("loader.named", key=name, message=message))


_KIND_ALIASES = {
    "int_from_float": "int_type",
    "model_type": "dict_type",
    "model_attributes_type": "dict_type",
    "tuple_type": "list_type",
    "str_type": "string_type",
    "float_parsing": "float_type",
}
"""pydantic error types that share one message."""


def _plain(value: Any) -> Any:
    """A context value (a bound, an expected choice) as the file's author would write it."""
    return (
        value
        if isinstance(value, (int, float, str)) and not isinstance(value, bool)
        else str(value)
    )


def _named(path: Loc, message: str) -> str:
    """``path: message`` (``path：message`` in Chinese), without the message repeating the
    key (``once: once: ...``)."""
    for sep in (": ", "："):
        if path and message.startswith(f"{path[-1]}{sep}"):
            message = message[len(f"{path[-1]}{sep}") :]
    return t("loader.named", key=dotted(path), message=message)


def _pointed(doc: Document, loc: Loc, message: str) -> Loc:
    """Where a rule on a whole mapping points: the key its message starts with, if any."""
    node = _value_at(doc.data, loc)
    first = re.match(r"[a-z_]+\b", message)
    if isinstance(node, dict) and first and first.group() in node:
        return (*loc, first.group())
    return loc


def _annotation_at(model: type[BaseModel], path: Loc) -> Any:
    """The type annotation of the value at ``path`` in ``model`` (None when there is none)."""
    target: Any = model
    for part in path:
        target = _unwrap(target)
        origin = typing.get_origin(target)
        args = typing.get_args(target)
        if isinstance(part, int):
            if origin is list and args:
                target = args[0]
            elif origin is tuple and args:
                target = args[0] if args[-1] is Ellipsis else args[min(part, len(args) - 1)]
            else:
                return None
        elif isinstance(target, type) and issubclass(target, BaseModel):
            info = target.model_fields.get(part)
            if info is None:
                return None
            target = info.annotation
        elif origin is dict and args:
            target = args[1]
        else:
            return None
    return target


def _fields_at(model: type[BaseModel], path: Loc) -> list[str]:
    """The keys a mapping at ``path`` may have, following the model's annotations."""
    target = _unwrap(_annotation_at(model, path))
    if isinstance(target, type) and issubclass(target, BaseModel):
        return list(target.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Unwrap Annotated and Optional to the type inside."""
    for _ in range(8):
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation
    return annotation
