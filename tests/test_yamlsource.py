"""Safe YAML reading: YAML 1.2 scalars, positions, and refusal of tags, bombs and deep nesting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from partnership import yamlsource
from partnership.errors import InputError
from partnership.yamlsource import (
    EXPANSION,
    MAX_DEPTH,
    MAX_NODES,
    MIN_NODES,
    decode,
    dotted,
    parse_yaml,
    scalar_value,
)


def problems(text: str | bytes) -> list[str]:
    """The problem lines for ``text`` (which must be refused)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(InputError) as caught:
        parse_yaml(data, "a.yaml")
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "plain", "value"),
    [
        ("no", True, "no"),
        ("on", True, "on"),
        ("Yes", True, "Yes"),
        ("14:00", True, "14:00"),
        ("010", True, "010"),
        ("02312345678", True, "02312345678"),
        ("0", True, 0),
        ("-7", True, -7),
        ("+3", True, 3),
        ("1.5", True, 1.5),
        ("1e3", True, 1000.0),
        ("0.5", True, 0.5),
        ("01.5", True, "01.5"),
        ("~", True, None),
        ("", True, None),
        ("null", True, None),
        ("true", True, True),
        ("False", True, False),
        ("2024-09-01", True, "2024-09-01"),
        ("1" * 101, True, "1" * 101),
        ("1", False, "1"),
        ("true", False, "true"),
        ("null", False, "null"),
    ],
)
def test_scalars_follow_yaml_1_2_core(text: str, plain: bool, value: Any) -> None:
    got = scalar_value(text, plain)
    assert got == value
    assert type(got) is type(value)


def test_values_and_keys_are_located() -> None:
    doc = parse_yaml(b"a:\n  b: [x, {c: 1}]\n  d: |\n    text\n", "f.yaml")
    assert doc.data == {"a": {"b": ["x", {"c": 1}], "d": "text\n"}}
    assert doc.keys[("a",)] == (1, 1)
    assert doc.keys[("a", "b")] == (2, 3)
    assert doc.values[("a", "b")] == (2, 6)
    assert doc.values[("a", "b", 1, "c")] == (2, 14)
    assert doc.locate(("a", "b", 1, "missing")) == (2, 10)
    assert doc.locate(("a", "b"), key=True) == (2, 3)
    assert doc.problem(("a", "d"), "m").line == 3
    assert str(doc.problem(("a", "d"), "m")) == "f.yaml:3:6: m"


def test_dotted_paths() -> None:
    assert dotted(("commitments", 0, "repeat", "count")) == "commitments[0].repeat.count"
    assert dotted(("version",)) == "version"
    assert dotted(()) == "top level"


def test_aliases_are_expanded_at_the_alias() -> None:
    doc = parse_yaml(b"a: &t [1, 2]\nb: *t\n", "f.yaml")
    assert doc.data == {"a": [1, 2], "b": [1, 2]}
    assert doc.values[("b",)] == (2, 4)


def test_bad_aliases_are_refused() -> None:
    assert problems("a: *nowhere\n") == ["a.yaml:1:4: unknown alias *nowhere"]
    assert problems("a: &x [1, *x]\n") == ["a.yaml:1:11: alias *x refers to itself"]


def test_duplicate_keys_are_reported_with_their_path_and_the_first_one_kept() -> None:
    doc = parse_yaml(b"a:\n  b: 1\n  b: 2\nc: 3\n", "f.yaml")
    assert doc.data == {"a": {"b": 1}, "c": 3}
    assert [str(p) for p in doc.problems] == [
        "f.yaml:3:3: a.b: duplicate key (first given on line 2); keep only one"
    ]


def test_a_key_must_be_text() -> None:
    assert problems("a:\n  ? [1, 2]\n  : x\n") == [
        "a.yaml:2:5: a: a key must be plain text, not a list or mapping"
    ]


def test_one_document_per_file() -> None:
    assert parse_yaml(b"---\na: 1\n", "f.yaml").data == {"a": 1}
    assert problems("a: 1\n---\nb: 2\n") == [
        "a.yaml:2:1: only one YAML document per file (remove '---')"
    ]


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.mkdir",
        "!!python/object/new:os.mkdir",
        "!!python/object:os.mkdir",
    ],
)
def test_tags_are_never_constructed(tmp_path: Path, tag: str) -> None:
    target = tmp_path / "made-by-yaml"
    text = f"version: 1\nboom: {tag} [{str(target)!r}]\n"
    with pytest.raises(InputError, match="YAML tags such as '!!python/object"):
        parse_yaml(text.encode(), "a.yaml")
    assert not target.exists()
    if tag.startswith("!!python/object/apply"):
        # the same text through an unsafe loader really does create the folder
        yaml.unsafe_load(text)
        assert target.is_dir()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!str text", "!!str"),
        ("!custom x", "!custom"),
        ("!<tag:example.org,2024:x> x", "tag:example.org,2024:x"),
        ("!!map {a: 1}", "!!map"),
    ],
)
def test_every_tag_is_refused_with_its_name(value: str, shown: str) -> None:
    assert problems(f"a: {value}\n") == [
        f"a.yaml:1:4: YAML tags such as {shown!r} are not allowed; write plain values"
    ]


def test_the_non_specific_tag_is_plain_text() -> None:
    assert parse_yaml(b"a: ! 010\n", "f.yaml").data == {"a": "010"}


def billion_laughs(levels: int) -> str:
    text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for k in range(1, levels + 1):
        text += f"l{k}: &l{k} [" + ", ".join([f"*l{k - 1}"] * 10) + "]\n"
    return text


def test_alias_bomb_is_refused_before_anything_is_expanded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def never(*args: object) -> None:
        raise AssertionError("the bomb reached conversion")

    monkeypatch.setattr(yamlsource, "_convert", never)
    assert problems(billion_laughs(9)) == [
        f"a.yaml:4:10: the document expands to more than {MIN_NODES} values, over "
        f"{EXPANSION} times what it holds (an alias bomb?); refused"
    ]


def test_a_large_plain_file_is_no_bomb_but_a_small_one_expanding_a_hundredfold_is() -> None:
    plain = "items:\n" + "".join(f"  - {{id: c{i}, title: 标题{i}}}\n" for i in range(30_000))
    assert len(parse_yaml(plain.encode(), "big.yaml").data["items"]) == 30_000
    hundredfold = "a: &a [" + ", ".join(["x"] * 100) + "]\nb: [" + ", ".join(["*a"] * 100) + "]\n"
    assert "alias bomb" in problems(hundredfold)[0]
    assert MAX_NODES >= 30_000 * 5


def test_many_aliases_below_the_limit_are_fine() -> None:
    doc = parse_yaml(billion_laughs(2).encode(), "f.yaml")
    assert len(doc.data["l2"]) == 10
    assert doc.data["l2"][9][9] == ["lol"] * 10


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        "{a: " * 10_000 + "1" + "}" * 10_000,
        "".join(" " * i + "- \n" for i in range(0, 20_000, 2)),
        "".join(" " * i + f"k{i}:\n" for i in range(500)),
    ],
)
def test_deep_nesting_is_refused_without_recursion_error(text: str) -> None:
    (line,) = problems(text)
    assert line.endswith(f": nesting deeper than {MAX_DEPTH} levels; refused")


def test_nesting_through_aliases_is_bounded() -> None:
    text = ""
    for k in range(16):
        inner = f"*a{k - 1}" if k else "x"
        text += f"a{k}: &a{k} " + "[" * 60 + inner + "]" * 60 + "\n"
    assert problems(text) == [f"a.yaml:2:69: nesting deeper than {MAX_DEPTH} levels; refused"]


def test_nesting_up_to_the_limit_is_accepted() -> None:
    deepest = parse_yaml(("[" * MAX_DEPTH + "]" * MAX_DEPTH).encode(), "f.yaml").data
    for _ in range(MAX_DEPTH - 1):
        deepest = deepest[0]
    assert deepest == []
    assert problems("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)) == [
        f"a.yaml:1:{MAX_DEPTH + 1}: nesting deeper than {MAX_DEPTH} levels; refused"
    ]


def test_utf8_bom_is_accepted() -> None:
    assert decode(b"\xef\xbb\xbfa: 1\n", "f.yaml") == "a: 1\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "a: 大磨\n".encode("utf-16"),
            "a.yaml: the file is UTF-16; save it as UTF-8 (UTF-8 无 BOM)",
        ),
        ("a: 1\n".encode("utf-32"), "a.yaml: the file is UTF-32; save it as UTF-8"),
        (b"a: 1\x00\n", "a.yaml: the file is binary (it contains NUL bytes), not YAML text"),
        (
            "名称: 大磨\nb: 小学\n".encode("gbk"),
            "a.yaml:1:1: the file is not UTF-8 (it looks like GBK/GB18030, as Windows saves "
            "Chinese text); save it as UTF-8",
        ),
        (
            "名称: 大磨".encode() + b"\xff\xff\n",
            "a.yaml:1:7: the file is not UTF-8; save it as UTF-8",
        ),
        (
            "a: 大\x1b磨\n".encode(),
            "a.yaml:1:5: the file contains the control character U+001B; is it binary?",
        ),
        (
            "a: x\nb: \ufffe\n".encode(),
            "a.yaml:2:4: the file contains the control character U+FFFE; is it binary?",
        ),
        (b"", "a.yaml: the file is empty; an agreement starts with 'version: 1'"),
        (b"# only\n\n", "a.yaml: the file is empty; an agreement starts with 'version: 1'"),
    ],
)
def test_encodings_and_empty_files(data: bytes, message: str) -> None:
    assert problems(data) == [message]
