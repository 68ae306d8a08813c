"""Agreement and records files → validated models, every problem as ``FILE:LINE:COLUMN: message``."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from partnership.errors import InputError, Problem
from partnership.model import Agreement, cross_check
from partnership.yamlsource import Document, parse_yaml

MAX_BYTES = 1_000_000
"""Largest agreement or records file accepted (a real one is a few KB)."""

M = TypeVar("M", bound=BaseModel)
Checks = Callable[[Any], list[tuple[tuple[str | int, ...], str]]]


def read_limited(path: Path, display: str | None = None) -> bytes:
    """The bytes of ``path``, refusing a missing, unreadable or oversized file before parsing."""
    name = display or str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError([Problem(name, None, None, "no such file")]) from None
    except IsADirectoryError:
        raise InputError([Problem(name, None, None, "is a folder, not a file")]) from None
    except OSError as exc:
        raise InputError([Problem(name, None, None, f"cannot read: {exc.strerror}")]) from None
    if len(data) > MAX_BYTES:
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    None,
                    f"the file is larger than {MAX_BYTES // 1_000_000} MB; "
                    "an agreement is a few KB — is this the right file?",
                )
            ]
        )
    return data


def load_agreement(path: Path) -> Agreement:
    """Read, parse and validate an agreement file (InputError listing every problem)."""
    data = read_limited(path)
    return parse_agreement(data, str(path))


def parse_agreement(data: bytes, filename: str) -> Agreement:
    """Validate agreement bytes; ``filename`` is used in messages."""
    doc = parse_yaml(data, filename)
    return validate_document(doc, Agreement, cross_check)


def validate_document(doc: Document, model: type[M], checks: Checks | None = None) -> M:
    """Validate a parsed document against ``model``; every problem is located in the file."""
    problems = list(doc.problems)
    if not isinstance(doc.data, dict):
        found = "a list" if isinstance(doc.data, list) else f"{_show(doc.data)}"
        problems.append(
            doc.problem((), f"the file must be a mapping of keys (version: 1, ...), not {found}")
        )
        raise InputError(problems)
    result: M | None = None
    try:
        result = model.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            problems.append(_translate(doc, model, err))
    if result is not None and checks is not None:
        for path, message in checks(result):
            problems.append(doc.problem(path, f"{dotted(path)}: {message}"))
    if problems:
        raise InputError(_unique_sorted(problems))
    assert result is not None
    return result


def _unique_sorted(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for p in sorted(problems, key=lambda p: (p.line or 0, p.column or 0, p.message)):
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out


def dotted(path: tuple[str | int, ...]) -> str:
    """``commitments[0].repeat.count`` for a path."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    return repr(value)


def _clean_loc(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    # pydantic adds pseudo-steps for tagged/union branches and validators; drop them
    return tuple(p for p in loc if isinstance(p, int) or not _is_pseudo(p))


def _is_pseudo(part: str) -> bool:
    return "[" in part or part.startswith(("function-", "lax-", "strict-", "json-"))


def _translate(doc: Document, model: type[BaseModel], err: Any) -> Problem:
    loc = _clean_loc(tuple(err["loc"]))
    kind = err["type"]
    value = err.get("input")
    name = dotted(loc)
    if kind == "extra_forbidden":
        parent, key = loc[:-1], str(loc[-1])
        valid = _fields_at(model, parent)
        hint = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
        text = f"{dotted(parent)}: unknown key {key!r}"
        if hint:
            text += f"; did you mean {hint[0]!r}?"
        if valid:
            text += f" (valid keys: {', '.join(valid)})"
        return doc.problem(loc, text, key=True)
    if kind == "missing":
        parent, key = loc[:-1], loc[-1]
        return doc.problem(parent, f"{dotted(parent)}: missing required key {key!r}")
    if kind in ("bool_type", "bool_parsing") and isinstance(value, str):
        hint = (
            " (YAML 1.1 read yes/no/on/off as booleans; this file format does not)"
            if value.lower() in ("yes", "no", "on", "off", "y", "n")
            else ""
        )
        return doc.problem(loc, f"{name}: {value!r} is not true or false; write true or false{hint}")
    if kind in ("int_type", "int_parsing") and isinstance(value, str) and value.isdigit():
        if len(value) > 1 and value.startswith("0"):
            return doc.problem(
                loc,
                f"{name}: {value!r} has a leading zero (YAML 1.1 reads it as an octal number); "
                f"write {int(value)}",
            )
        return doc.problem(loc, f"{name}: write the number without quotes ({int(value)})")
    if kind in ("int_type", "int_parsing"):
        return doc.problem(loc, f"{name}: expected a whole number, got {_show(value)}")
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return doc.problem(loc, f"{name}: {_show(value)} is not valid; use one of {expected}")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return doc.problem(loc, f"{name}: expected a mapping of keys, got {_show(value)}")
    if kind in ("list_type", "tuple_type"):
        return doc.problem(loc, f"{name}: expected a list, got {_show(value)}")
    if kind in ("string_type", "str_type"):
        return doc.problem(loc, f"{name}: expected text, got {_show(value)} (quote it)")
    message = str(err["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    elif value is not None and not isinstance(value, (dict, list)):
        message = f"{message}, got {_show(value)}"
    return doc.problem(loc, f"{name}: {message}")


def _fields_at(model: type[BaseModel], path: tuple[str | int, ...]) -> list[str]:
    """The keys a mapping at ``path`` may have, following the model's annotations."""
    target: Any = model
    for part in path:
        target = _inner(target)
        if isinstance(part, int):
            continue
        if isinstance(target, type) and issubclass(target, BaseModel):
            info = target.model_fields.get(part)
            if info is None:
                return []
            target = info.annotation
        elif typing.get_origin(target) is dict:
            target = typing.get_args(target)[1]
        else:
            return []
    target = _inner(target)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return list(target.model_fields)
    return []


def _inner(annotation: Any) -> Any:
    """Unwrap Optional, Annotated and list[...] to the model class inside, when there is one."""
    for _ in range(8):
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        elif origin in (list, tuple):
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation
    return annotation
