"""Safe YAML reading with positions: text → plain Python values plus line/column of every node.

Built on PyYAML's event stream, so nothing is ever *constructed* from a tag:
tags are refused, duplicate keys are refused, alias expansion and nesting depth
are bounded. Scalars follow YAML 1.2 core rules (``no``/``on`` stay strings,
``14:00`` stays the text 14:00, ``010`` stays the text 010) so that the model can
report YAML 1.1 traps instead of silently reading them as something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from partnership.errors import InputError, Problem

MAX_DEPTH = 64
MAX_NODES = 20_000

_BOMB = f"the document expands to more than {MAX_NODES} values (an alias bomb?); refused"
Path = tuple[str | int, ...]
Position = tuple[int, int]

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


@dataclass
class Document:
    """Parsed YAML: plain values, and where each value and key was written."""

    filename: str
    data: Any
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def locate(self, path: Path, *, key: bool = False) -> Position | None:
        """Line and column (1-based) of the node at ``path``, or of its nearest ancestor."""
        if key and path in self.keys:
            return self.keys[path]
        p = tuple(path)
        while p:
            if p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), None)

    def problem(self, path: Path, message: str, *, key: bool = False) -> Problem:
        """A located :class:`Problem` at ``path``."""
        pos = self.locate(path, key=key)
        return Problem(self.filename, pos[0] if pos else None, pos[1] if pos else None, message)


@dataclass
class _Node:
    kind: str  # scalar | map | seq
    pos: Position
    value: str = ""
    plain: bool = False
    items: list[Any] = field(default_factory=list)  # seq: nodes; map: (key, value) pairs
    size: int = 1


def decode(data: bytes, filename: str) -> str:
    """Text of a UTF-8 file (a UTF-8 BOM is accepted); anything else is a clear error."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(filename, None, "the file is UTF-16; save it as UTF-8 (UTF-8 无 BOM)")
    if b"\x00" in data:
        raise _fail(filename, None, "the file is binary (it contains NUL bytes), not YAML text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = ""
        try:
            data.decode("gb18030")
            hint = " (it looks like GBK/GB18030, as Windows saves Chinese text)"
        except UnicodeDecodeError:
            pass
        raise InputError(
            [Problem(filename, line, col, f"the file is not UTF-8{hint}; save it as UTF-8")]
        ) from None
    bad = re.search(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise InputError(
            [Problem(filename, line, col, "the file contains control characters; is it binary?")]
        )
    return text


def parse_yaml(data: bytes, filename: str) -> Document:
    """Parse one YAML document from ``data`` into a :class:`Document` (InputError if bad)."""
    text = decode(data, filename)
    root = _build(text, filename)
    if root is None:
        raise _fail(filename, None, "the file is empty; an agreement starts with 'version: 1'")
    doc = Document(filename, None)
    budget = [0]
    doc.data = _convert(root, (), doc, budget, filename)
    return doc


def _fail(filename: str, pos: Position | None, message: str) -> InputError:
    return InputError([Problem(filename, pos[0] if pos else None, pos[1] if pos else None, message)])


def _pos(event: Any) -> Position:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def _build(text: str, filename: str) -> _Node | None:
    """Turn the event stream into a node tree, refusing tags, deep nesting and alias bombs."""
    anchors: dict[str, _Node] = {}
    stack: list[_Node] = []
    root: _Node | None = None
    documents = 0
    try:
        for ev in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _fail(filename, _pos(ev), "only one YAML document per file (remove '---')")
                continue
            if isinstance(ev, yaml.AliasEvent):
                if ev.anchor not in anchors:
                    raise _fail(filename, _pos(ev), f"unknown alias *{ev.anchor}")
                node = anchors[ev.anchor]
                if node in stack:
                    raise _fail(filename, _pos(ev), f"alias *{ev.anchor} refers to itself")
                alias = _Node("alias", _pos(ev), items=[node], size=node.size)
                root = _attach(stack, alias, root, filename)
                continue
            if isinstance(ev, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if ev.tag is not None and ev.tag != "!":
                    raise _fail(
                        filename,
                        _pos(ev),
                        f"YAML tags such as {ev.tag!r} are not allowed; write plain values",
                    )
            if isinstance(ev, yaml.ScalarEvent):
                node = _Node(
                    "scalar", _pos(ev), value=ev.value, plain=ev.implicit[0] and ev.style is None
                )
                if ev.anchor:
                    anchors[ev.anchor] = node
                root = _attach(stack, node, root, filename)
            elif isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                kind = "map" if isinstance(ev, yaml.MappingStartEvent) else "seq"
                node = _Node(kind, _pos(ev))
                if ev.anchor:
                    anchors[ev.anchor] = node
                root = _attach(stack, node, root, filename)
                stack.append(node)
                if len(stack) > MAX_DEPTH:
                    raise _fail(filename, node.pos, f"nesting deeper than {MAX_DEPTH} levels")
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                done = stack.pop()
                if done.kind == "map" and done.items and not isinstance(done.items[-1], tuple):
                    raise _fail(filename, done.pos, "a mapping key has no value")
                if stack:
                    stack[-1].size += done.size - 1
                    if stack[-1].size > MAX_NODES:
                        raise _fail(filename, done.pos, _BOMB)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = (mark.line + 1, mark.column + 1) if mark else None
        what = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        raise _fail(filename, pos, f"YAML syntax error: {what}{context}") from None
    except yaml.YAMLError as exc:
        raise _fail(filename, None, f"YAML error: {exc}") from None
    return root


def _attach(stack: list[_Node], node: _Node, root: _Node | None, filename: str) -> _Node | None:
    if not stack:
        return node
    parent = stack[-1]
    parent.size += node.size
    if parent.size > MAX_NODES:
        raise _fail(
            filename,
            node.pos,
            _BOMB,
        )
    if parent.kind == "seq":
        parent.items.append(node)
    elif parent.items and not isinstance(parent.items[-1], tuple):
        parent.items[-1] = (parent.items[-1], node)
    else:
        parent.items.append(node)
    return root


def scalar_value(text: str, plain: bool) -> Any:
    """YAML 1.2 core typing of a scalar: only plain null, true/false, ints and floats are typed."""
    if not plain:
        return text
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text) and not re.match(r"^[-+]?0[0-9]", text):
        return float(text)
    return text


def _convert(node: _Node, path: Path, doc: Document, budget: list[int], filename: str) -> Any:
    budget[0] += 1
    if budget[0] > MAX_NODES:
        raise _fail(
            filename,
            node.pos,
            _BOMB,
        )
    doc.values.setdefault(path, node.pos)
    if node.kind == "alias":
        target = node.items[0]
        doc.values[path] = node.pos
        return _convert(target, path, doc, budget, filename)
    if node.kind == "scalar":
        return scalar_value(node.value, node.plain)
    if node.kind == "seq":
        return [
            _convert(child, (*path, i), doc, budget, filename) for i, child in enumerate(node.items)
        ]
    out: dict[str, Any] = {}
    first: dict[str, Position] = {}
    for key_node, value_node in node.items:
        if key_node.kind == "alias":
            key_node = key_node.items[0]
        if key_node.kind != "scalar":
            raise _fail(filename, key_node.pos, "a key must be plain text, not a list or mapping")
        key_value = scalar_value(key_node.value, key_node.plain)
        key = key_node.value if key_value is None or isinstance(key_value, bool) else str(key_value)
        if key in first:
            line = first[key][0]
            doc.problems.append(
                Problem(
                    filename,
                    *key_node.pos,
                    f"duplicate key {key!r} (first given on line {line}); keep only one",
                )
            )
            continue
        first[key] = key_node.pos
        doc.keys[(*path, key)] = key_node.pos
        out[key] = _convert(value_node, (*path, key), doc, budget, filename)
    return out
