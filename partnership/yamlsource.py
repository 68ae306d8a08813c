"""Safe YAML reading with positions: text → plain Python values plus line/column of every node.

Built on PyYAML's event stream, so nothing is ever *constructed* from a tag:
tags are refused, duplicate keys are refused, alias expansion and nesting depth
(counted through aliases too) are bounded. Scalars follow YAML 1.2 core rules
(``no``/``on`` stay strings, ``14:00`` stays the text 14:00, ``010`` stays the
text 010) so that the model can report YAML 1.1 traps instead of silently
reading them as something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from partnership.errors import InputError, Problem
from partnership.messages import t

MAX_DEPTH = 64
MAX_NODES = 1_000_000
"""Values a document may expand to at most (a plain 1 MB file holds a few hundred thousand)."""
EXPANSION = 10
"""Aliases may make a document at most this many times larger than what is written in it..."""
MIN_NODES = 2_000
"""...or this many values, whichever is more (a small file reusing a few anchors is fine)."""

# libyaml's parser when PyYAML was built with it (the same events and marks, ~10× faster)
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DEEP = f"nesting deeper than {MAX_DEPTH} levels; refused"
Path = tuple[str | int, ...]
Position = tuple[int, int]

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"^[-+]?(0|[1-9][0-9]{0,99})$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_ESCAPED_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_STD_TAG = "tag:yaml.org,2002:"


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


@dataclass(eq=False)
class _Node:
    kind: str  # scalar | map | seq | alias
    pos: Position
    value: str = ""
    plain: bool = False
    items: list[Any] = field(default_factory=list)  # seq: nodes; map: (key, value) pairs
    size: int = 1  # values after alias expansion
    height: int = 0  # levels of nesting below this node, through aliases


def control_character(text: str) -> str | None:
    """The first control character in ``text`` that a file may not hold as an escape (the
    reader refuses it), or None: text the tool writes must contain none of them."""
    bad = _ESCAPED_CONTROL.search(text)
    return bad.group() if bad else None


def dotted(path: Path) -> str:
    """``commitments[0].repeat.count`` for a path; ``top level`` for the empty path."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "top level"


def decode(data: bytes, filename: str) -> str:
    """Text of a UTF-8 file (a UTF-8 BOM is accepted); anything else is a clear error."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise _fail(filename, None, "the file is UTF-32; save it as UTF-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(filename, None, "the file is UTF-16; save it as UTF-8 (UTF-8 无 BOM)")
    if b"\x00" in data:
        raise _fail(filename, None, t("yaml.binary"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[start : exc.start].decode("utf-8", "replace")) + 1
        hint = t("yaml.gbk_hint") if _gbk(data) else ""
        raise _fail(filename, (line, col), t("yaml.not_utf8", hint=hint)) from None
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise _fail(
            filename,
            (line, col),
            t("yaml.control", code=f"U+{ord(bad.group()):04X}"),
        )
    return text


def _gbk(data: bytes) -> bool:
    """True when ``data`` reads as GBK text with Chinese characters in it."""
    try:
        return bool(_CJK.search(data.decode("gbk")))
    except UnicodeDecodeError:
        return False


def parse_yaml(data: bytes, filename: str) -> Document:
    """Parse one YAML document from ``data`` into a :class:`Document` (InputError if bad)."""
    text = decode(data, filename)
    root = _build(text, filename)
    if root is None:
        raise _fail(filename, None, "the file is empty; an agreement starts with 'version: 1'")
    doc = Document(filename, None)
    doc.data = _convert(root, (), doc)
    return doc


def _fail(filename: str, pos: Position | None, message: str) -> InputError:
    return InputError(
        [Problem(filename, pos[0] if pos else None, pos[1] if pos else None, message)]
    )


def _pos(event: Any) -> Position:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def _mark(mark: Any) -> Position | None:
    return (mark.line + 1, mark.column + 1) if mark is not None else None


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_STD_TAG) :] if tag.startswith(_STD_TAG) else tag


def _build(text: str, filename: str, loader: Any = _LOADER) -> _Node | None:
    """Turn the event stream into a node tree, refusing tags, deep nesting and alias bombs."""
    anchors: dict[str, _Node] = {}
    written = [0]  # values written out in the file so far (aliases not counted)
    stack: list[_Node] = []
    root: _Node | None = None
    documents = 0
    try:
        for ev in yaml.parse(text, Loader=loader):
            if isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _fail(filename, _pos(ev), t("yaml.one_document"))
                continue
            if isinstance(ev, yaml.AliasEvent):
                if ev.anchor not in anchors:
                    raise _fail(filename, _pos(ev), t("yaml.unknown_alias", alias=ev.anchor))
                target = anchors[ev.anchor]
                if any(target is open_node for open_node in stack):
                    raise _fail(filename, _pos(ev), t("yaml.self_alias", alias=ev.anchor))
                alias = _Node(
                    "alias", _pos(ev), items=[target], size=target.size, height=target.height
                )
                root = _attach(stack, alias, filename, written[0]) or root
                continue
            tagged = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
            if isinstance(ev, tagged) and ev.tag is not None and ev.tag != "!":
                raise _fail(
                    filename,
                    _pos(ev),
                    t("yaml.tag", tag=repr(_show_tag(ev.tag))),
                )
            if isinstance(ev, yaml.ScalarEvent):
                node = _Node(
                    "scalar", _pos(ev), value=ev.value, plain=ev.implicit[0] and not ev.style
                )
                if ev.anchor:
                    anchors[ev.anchor] = node
                written[0] += 1
                root = _attach(stack, node, filename, written[0]) or root
            elif isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                kind = "map" if isinstance(ev, yaml.MappingStartEvent) else "seq"
                node = _Node(kind, _pos(ev))
                if ev.anchor:
                    anchors[ev.anchor] = node
                written[0] += 1
                root = _attach(stack, node, filename, written[0]) or root
                stack.append(node)
                if len(stack) > MAX_DEPTH:
                    raise _fail(filename, node.pos, t("yaml.deep", limit=MAX_DEPTH))
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                done = stack.pop()
                if stack:
                    _grow(stack, done, filename)
    except yaml.MarkedYAMLError as exc:
        if loader is not yaml.SafeLoader:
            # the messages below are written for the pure-Python parser's wording
            return _build(text, filename, yaml.SafeLoader)
        pos, message = _syntax(exc)
        raise _fail(filename, pos, t("yaml.syntax", message=message)) from None
    except yaml.YAMLError as exc:
        raise _fail(filename, None, t("yaml.error", message=exc)) from None
    return root


def _attach(stack: list[_Node], node: _Node, filename: str, written: int) -> _Node | None:
    """Add ``node`` to the open collection; returns ``node`` when it is the document root.

    The expanded size is bounded relative to what the file holds (``written`` values so
    far): a large plain file is fine, a small one that aliases make huge is refused.
    """
    limit = min(MAX_NODES, max(MIN_NODES, EXPANSION * written))
    if not stack:
        return node
    parent = stack[-1]
    if parent.kind == "seq":
        parent.items.append(node)
    elif parent.items and not isinstance(parent.items[-1], tuple):
        parent.items[-1] = (parent.items[-1], node)
    else:
        parent.items.append(node)
    for ancestor in stack:
        ancestor.size += node.size
        if ancestor.size > limit:
            raise _fail(filename, node.pos, t("hardening.yaml_bomb", limit=limit, times=EXPANSION))
    if node.kind in ("scalar", "alias"):
        _grow(stack, node, filename)
    return None


def _grow(stack: list[_Node], child: _Node, filename: str) -> None:
    """Raise the heights of the open collections above a finished ``child``."""
    if len(stack) + child.height > MAX_DEPTH:
        raise _fail(filename, child.pos, t("yaml.deep", limit=MAX_DEPTH))
    height = child.height
    for ancestor in reversed(stack):
        height += 1
        if ancestor.height >= height:
            break
        ancestor.height = height


def _syntax(exc: yaml.MarkedYAMLError) -> tuple[Position | None, str]:
    """Where a YAML syntax error is and what it means, in the words of a person fixing it."""
    problem = exc.problem or t("yaml.invalid")
    context = exc.context or ""
    at = _mark(exc.problem_mark) or _mark(exc.context_mark)
    opened = _mark(exc.context_mark)
    if "quoted scalar" in context and "end of stream" in problem and opened:
        return opened, t("yaml.unclosed_quote")
    if problem.startswith("found character '\\t'"):
        return at, t("yaml.tab")
    if "flow sequence" in context and opened:
        return at, t("yaml.unclosed_list", line=opened[0], column=opened[1])
    if "flow mapping" in context and opened:
        return at, t("yaml.unclosed_mapping", line=opened[0], column=opened[1])
    if problem == "mapping values are not allowed here":
        return at, t("yaml.colon")
    if problem.startswith("expected <block end>"):
        return at, t("yaml.indentation")
    if problem == "could not find expected ':'":
        return _mark(exc.context_mark) or at, t("yaml.no_colon")
    if context and opened and opened != at:
        where = t("yaml.on_line", line=opened[0], column=opened[1])
        return at, f"{problem} ({context}{where})"
    return at, f"{problem} ({context})" if context else problem


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
    if len(text) <= 100 and _FLOAT.match(text) and not re.match(r"^[-+]?0[0-9]", text):
        return float(text)
    return text


def _convert(node: _Node, path: Path, doc: Document) -> Any:
    """Plain Python value of ``node``, recording where each value and key was written."""
    doc.values.setdefault(path, node.pos)
    if node.kind == "alias":
        doc.values[path] = node.pos
        return _convert(node.items[0], path, doc)
    if node.kind == "scalar":
        bad = control_character(node.value)
        if bad and not node.plain:
            # written as an escape ("\a", "\x1b"): text with it breaks calendars and pages
            doc.problems.append(
                Problem(
                    doc.filename,
                    node.pos[0],
                    node.pos[1],
                    t("yaml.escaped_control", key=dotted(path), code=f"U+{ord(bad):04X}"),
                )
            )
        return scalar_value(node.value, node.plain)
    if node.kind == "seq":
        return [_convert(child, (*path, i), doc) for i, child in enumerate(node.items)]
    out: dict[str, Any] = {}
    first: dict[str, Position] = {}
    for key_node, value_node in node.items:
        if key_node.kind == "alias":
            key_node = key_node.items[0]
        if key_node.kind != "scalar":
            raise _fail(
                doc.filename,
                key_node.pos,
                t("yaml.complex_key", key=dotted(path)),
            )
        key_value = scalar_value(key_node.value, key_node.plain)
        key = key_node.value if key_value is None or isinstance(key_value, bool) else str(key_value)
        if key in first:
            doc.problems.append(
                Problem(
                    doc.filename,
                    key_node.pos[0],
                    key_node.pos[1],
                    t("yaml.duplicate_key", key=dotted((*path, key)), line=first[key][0]),
                )
            )
            continue
        first[key] = key_node.pos
        doc.keys[(*path, key)] = key_node.pos
        out[key] = _convert(value_node, (*path, key), doc)
    return out
