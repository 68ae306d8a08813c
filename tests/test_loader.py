"""The agreement loader: the malformed corpus, all problems at once, limits and robustness."""

from __future__ import annotations

import datetime as dt
import tomllib
import uuid
from pathlib import Path
from typing import Annotated, Any

import factory
import pytest
from factory import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from profiles import examples
from pydantic import BaseModel, Field
from typer.testing import CliRunner

from partnership import loader
from partnership.cli import app
from partnership.errors import InputError, Problem
from partnership.loader import MAX_BYTES, load_agreement, parse_agreement, read_limited
from partnership.model import Agreement
from partnership.yamlsource import parse_yaml

CORPUS = Path("tests/malformed")
CASES: list[dict[str, Any]] = tomllib.loads((ROOT / CORPUS / "cases.toml").read_text("utf-8"))[
    "case"
]
MINIMAL = (ROOT / CORPUS / "accepted" / "minimal.yaml").read_text("utf-8")
EXAMPLE = factory.EXAMPLE.read_text("utf-8")


def refused(text: str | bytes, name: str = "a.yaml") -> list[str]:
    """The problem lines for an agreement that must be refused."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(InputError) as caught:
        parse_agreement(data, name)
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, so that corpus paths are shown as in cases.toml."""
    monkeypatch.chdir(ROOT)


def test_every_corpus_file_has_expectations() -> None:
    on_disk = sorted(p.name for p in (ROOT / CORPUS).glob("*.yaml"))
    assert on_disk == sorted(c["file"] for c in CASES)
    assert len(CASES) >= 45


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
@pytest.mark.usefixtures("at_root")
def test_malformed_agreement_problems(case: dict[str, Any]) -> None:
    path = CORPUS / case["file"]
    with pytest.raises(InputError) as caught:
        load_agreement(path)
    assert [str(p) for p in caught.value.problems] == case["stderr"]
    assert {p.file for p in caught.value.problems} == {str(path)}


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
@pytest.mark.usefixtures("at_root")
def test_validate_command_on_malformed_agreement(case: dict[str, Any]) -> None:
    result = CliRunner().invoke(app, ["validate", str(CORPUS / case["file"])])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == case["stderr"]
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_minimal_agreement_loads() -> None:
    a = load_agreement(ROOT / CORPUS / "accepted" / "minimal.yaml")
    assert a.agreement.id == "demo-2024"
    assert [t.id for t in a.calendar.terms] == ["2024-autumn", "2025-spring"]


def test_utf8_bom_is_accepted() -> None:
    with_bom = load_agreement(ROOT / CORPUS / "accepted" / "utf8-bom.yaml")
    assert (ROOT / CORPUS / "accepted" / "utf8-bom.yaml").read_bytes()[:3] == b"\xef\xbb\xbf"
    assert with_bom == parse_agreement(MINIMAL.encode(), "minimal.yaml")


def test_unquoted_times_mean_what_they_say() -> None:
    a = load_agreement(ROOT / CORPUS / "accepted" / "time-unquoted.yaml")
    time = a.commitments[0].time
    assert time is not None
    assert (time.start, time.end) == (dt.time(14, 0), dt.time(16, 30))


def test_unquoted_phone_number_stays_text() -> None:
    a = load_agreement(ROOT / CORPUS / "accepted" / "phone-unquoted.yaml")
    assert a.parties.school.contacts[0].phone == "02312345678"


def test_example_agreement_loads() -> None:
    a = load_agreement(factory.EXAMPLE)
    assert isinstance(a, Agreement)
    assert a.agreement.id == "damo-fire-2024"


def test_validate_command_accepts_the_minimal_agreement(at_root: None) -> None:
    path = str(CORPUS / "accepted" / "minimal.yaml")
    result = CliRunner().invoke(app, ["validate", path])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.startswith(f"{path}: OK")


def test_file_over_the_limit_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*args: object) -> None:
        raise AssertionError("an oversized file was parsed")

    monkeypatch.setattr(loader, "parse_yaml", never)
    big = tmp_path / "big.yaml"
    big.write_bytes(MINIMAL.encode() + b"#" * MAX_BYTES)
    with pytest.raises(InputError) as caught:
        load_agreement(big)
    assert [str(p) for p in caught.value.problems] == [
        f"{big}: the file is larger than 1 MB; an agreement is a few KB — is this the right file?"
    ]


def test_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "padded.yaml"
    data = MINIMAL.encode()
    path.write_bytes(data + b"#" * (MAX_BYTES - len(data) - 1) + b"\n")
    assert path.stat().st_size == MAX_BYTES
    assert load_agreement(path).agreement.id == "demo-2024"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"none\.yaml: no such file$"):
        read_limited(tmp_path / "none.yaml")
    with pytest.raises(InputError, match=r": is a folder, not a file$"):
        read_limited(tmp_path)


# ---- all problems at once ------------------------------------------------------------------

COMMITMENT = "  - id: {id}\n    title: 活动\n    repeat: {{once_in: 2025-spring}}\n"


def test_unknown_key_and_duplicate_id_are_both_reported() -> None:
    text = MINIMAL.replace("  title: 共建协议\n", "  title: 共建协议\n  titel: x\n")
    text += COMMITMENT.format(id="brigade-visit")
    assert refused(text) == [
        "a.yaml:5:3: agreement: unknown key 'titel'; did you mean 'title'? (valid keys: id, "
        "title, signed_on, start, end, timezone, language)",
        "a.yaml:29:9: commitments[1].id: commitment id 'brigade-visit' is already used by "
        "commitment 1",
    ]


def test_cross_checks_name_original_positions_after_a_bad_commitment_is_set_aside() -> None:
    text = MINIMAL.replace("count: 1}", "count: 0}")
    text += COMMITMENT.format(id="drill") + COMMITMENT.format(id="drill")
    assert refused(text) == [
        "a.yaml:26:32: commitments[0].repeat.count: must be at least 1, got 0",
        "a.yaml:31:9: commitments[2].id: commitment id 'drill' is already used by commitment 2",
    ]


def test_a_list_emptied_by_setting_aside_falls_back_to_its_default() -> None:
    text = MINIMAL.replace("    kind: visit\n", "    kind: visit\n    weekdays: [monday]\n")
    text += COMMITMENT.format(id="brigade-visit")
    (weekday, duplicate) = refused(text)
    assert weekday.startswith("a.yaml:26:16: commitments[0].weekdays[0]: 'monday' is not valid")
    assert duplicate == (
        "a.yaml:29:9: commitments[1].id: commitment id 'brigade-visit' is already used by "
        "commitment 1"
    )


def test_an_error_inside_a_term_postpones_cross_checks() -> None:
    # a term cannot be set aside (once_in names it): no made-up "not a term id" finding
    text = MINIMAL.replace("      name: 第二学期\n", "      name: 第二学期\n      nme: x\n")
    text = text.replace("      start: 2025-02-17", "      start: 2025-02-30")
    text += COMMITMENT.format(id="brigade-visit")
    assert refused(text) == [
        "a.yaml:20:7: calendar.terms[1]: unknown key 'nme'; did you mean 'name'? (valid keys: "
        "id, name, start, end, closures)",
        "a.yaml:21:14: calendar.terms[1].start: '2025-02-30' is not a real date (YYYY-MM-DD)",
    ]


def test_a_bad_custom_festival_does_not_make_its_uses_unknown() -> None:
    text = MINIMAL.replace("{per: term, count: 1}", "{festivals: [school-day]}")
    text += "festivals:\n  - {key: school-day, name: 校庆, month: 13, day: 18}\n"
    assert refused(text) == ["a.yaml:29:40: festivals[0].month: must be at most 12, got 13"]


def test_duplicate_keys_and_model_errors_together() -> None:
    text = MINIMAL.replace("  title: 共建协议\n", "  title: 共建协议\n  title: 又一个\n")
    text = text.replace("    kind: visit", "    kind: vist")
    assert refused(text) == [
        "a.yaml:5:3: agreement.title: duplicate key (first given on line 4); keep only one",
        "a.yaml:26:11: commitments[0].kind: 'vist' is not valid; use one of 'visit', 'sports', "
        "'performance', 'drill', 'lecture', 'meeting' or 'other'; did you mean 'visit'?",
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "  title: 共建协议",
            "  title: 2",
            "a.yaml:4:10: agreement.title: expected text, got 2 (quote it)",
        ),
        ("version: 1", 'version: "1"', "a.yaml:1:10: version: write 1 without quotes"),
        (
            "count: 1}",
            'count: "3"}',
            "a.yaml:26:32: commitments[0].repeat.count: write the number without quotes (3)",
        ),
        (
            "count: 1}",
            "count: true}",
            "a.yaml:26:32: commitments[0].repeat.count: expected a whole number, got true",
        ),
        (
            "    kind: visit",
            "    kind:",
            "a.yaml:25:10: commitments[0].kind: has no value; use one of 'visit', 'sports', "
            "'performance', 'drill', 'lecture', 'meeting' or 'other'",
        ),
        (
            "    title: 走进消防支队",
            "    title:",
            "a.yaml:24:11: commitments[0].title: has no value; write one",
        ),
        (
            "    title: 走进消防支队",
            '    title: ""',
            "a.yaml:24:12: commitments[0].title: must not be empty",
        ),
        (
            "{per: term, count: 1}",
            "{per: term, count: 1, window: {weeks: [3, 9]}}",
            "a.yaml:26:35: commitments[0].repeat: unknown key 'window' (valid keys: per, count, "
            "festivals, placement, max_shift_days, once, once_in)",
        ),
        (
            "    kind: visit",
            "    window: {weeks: [1, 2, 3]}",
            "a.yaml:25:21: commitments[0].window.weeks: has 3 items; at most 2 allowed",
        ),
        (
            "    kind: visit",
            "    kind: visit\n    brigade: 1",
            "a.yaml:26:14: commitments[0].brigade: 1 is not true or false; write true or false",
        ),
        (
            "  end: 2025-07-31",
            "  end: 2024-08-31",
            "a.yaml:6:8: agreement: end 2024-08-31 is before start 2024-09-01",
        ),
    ],
)
def test_messages_name_the_key_and_what_is_valid(old: str, new: str, message: str) -> None:
    assert MINIMAL.count(old) == 1
    assert refused(MINIMAL.replace(old, new)) == [message]


def test_keys_that_look_like_pydantic_steps_are_still_named() -> None:
    text = MINIMAL + "notes[1]: x\nfunction-after[x]: y\n"
    assert refused(text) == [
        "a.yaml:28:1: top level: unknown key 'notes[1]' (valid keys: version, agreement, "
        "parties, calendar, festivals, scheduling, commitments, checklist_templates)",
        "a.yaml:29:1: top level: unknown key 'function-after[x]' (valid keys: version, "
        "agreement, parties, calendar, festivals, scheduling, commitments, checklist_templates)",
    ]


# ---- robustness ---------------------------------------------------------------------------


def assert_loads_or_refuses(data: bytes, name: str = "fuzz.yaml") -> None:
    """The loader returns an Agreement or raises InputError with well-formed problems."""
    try:
        result = parse_agreement(data, name)
    except InputError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file == name
            assert p.message
            if p.line is not None:
                assert p.line >= 1
                assert p.column is not None
                assert p.column >= 1
        return
    assert isinstance(result, Agreement)


@settings(max_examples=examples(200))
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    assert_loads_or_refuses(data)


YAMLISH = st.lists(
    st.sampled_from(
        [
            "\n",
            " ",
            "  ",
            "\t",
            "-",
            "- ",
            ":",
            ": ",
            "[",
            "]",
            "{",
            "}",
            ",",
            "#",
            "&a ",
            "*a",
            "&b ",
            "*b",
            "!",
            "!!",
            "!!str ",
            "!!python/object:os.system ",
            "|",
            ">",
            "'",
            '"',
            "%",
            "@",
            "`",
            "?",
            "? ",
            "~",
            "---",
            "...",
            "version",
            "1",
            "010",
            "no",
            "14:00",
            "agreement",
            "commitments",
            "id",
            "x",
            "大磨",
            "\\",
            "\ufeff",
            "2024-02-30",
            "<<",
            "null",
            "true",
            "1e9",
            "0x1F",
        ]
    ),
    max_size=80,
).map("".join)


@settings(max_examples=examples(200))
@given(YAMLISH)
def test_random_yamlish_text(text: str) -> None:
    assert_loads_or_refuses(text.encode("utf-8"))


@settings(max_examples=examples(200))
@given(st.text(max_size=500))
def test_random_text(text: str) -> None:
    assert_loads_or_refuses(text.encode("utf-8", "surrogatepass"))


@st.composite
def mutated_example(draw: st.DrawFn) -> str:
    """The example agreement after one to four random edits a person might make."""
    lines = EXAMPLE.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "char"]))
        line = lines[i]
        if edit == "delete":
            del lines[i]
        elif edit == "duplicate":
            lines.insert(i, line)
        elif edit == "swap" and len(line) > 2:
            k = draw(st.integers(0, len(line) - 2))
            lines[i] = line[:k] + line[k + 1] + line[k] + line[k + 2 :]
        elif edit == "indent":
            lines[i] = draw(st.sampled_from([" ", "  ", "\t"])) + line
        elif edit == "dedent":
            lines[i] = line[1:] if line.startswith(" ") else line
        elif edit == "char" and line:
            k = draw(st.integers(0, len(line) - 1))
            lines[i] = line[:k] + draw(st.sampled_from(list(":-[]{}#'\"&*!|> 0大"))) + line[k + 1 :]
        if not lines:
            break
    return "".join(lines)


@settings(max_examples=examples(200))
@given(mutated_example())
def test_mutated_example_agreement(text: str) -> None:
    assert_loads_or_refuses(text.encode("utf-8"))


# --- how the loader finds the type at a path (used to name valid keys, and to prune) ----------


class _Leaf(BaseModel):
    name: str
    size: int = 0


class _Tree(BaseModel):
    leaves: list[_Leaf] = []
    pair: tuple[_Leaf, int] | None = None
    many: tuple[_Leaf, ...] = ()
    by_key: dict[str, _Leaf] = {}
    wrapped: Annotated[_Leaf | None, "doc"] = None
    either: _Leaf | int = 0
    code: Annotated[str, Field(pattern=r"^[a-z]+$")] = "a"
    ratio: float = 0.0
    flag: bool = False  # lax, unlike the agreement's: "maybe" is a bool_parsing error
    two: Annotated[list[int], Field(min_length=2)] = [1, 2]


@pytest.mark.parametrize(
    ("path", "want"),
    [
        (("leaves", 3), _Leaf),
        (("leaves", 0, "size"), int),
        (("pair", 0), _Leaf),
        (("pair", 1), int),
        (("pair", 5), int),  # past a fixed tuple's end: its last type
        (("many", 7), _Leaf),
        (("many", 2, "name"), str),
        (("by_key", "x"), _Leaf),
        (("by_key", "x", "size"), int),
        (("wrapped", "name"), str),
        (("leaves", "x"), None),  # a key into a list
        (("by_key", 0), None),  # a position into a mapping
        (("nothing",), None),
        (("leaves", 0, "nothing"), None),
        (("either", "name"), None),  # a union of two is not looked into
    ],
)
def test_annotation_at_follows_lists_tuples_mappings_and_optionals(
    path: tuple[str | int, ...], want: Any
) -> None:
    assert loader._unwrap(loader._annotation_at(_Tree, path)) == want


def test_fields_at_and_unwrap() -> None:
    assert loader._fields_at(_Tree, ("by_key", "k")) == ["name", "size"]
    assert loader._fields_at(_Tree, ("wrapped",)) == ["name", "size"]
    assert loader._fields_at(_Tree, ("leaves", 0, "name")) == []
    assert loader._fields_at(_Tree, ("either",)) == []
    assert loader._unwrap(Annotated[Annotated[int | None, "a"], "b"]) is int
    assert loader._unwrap(_Leaf | int) == _Leaf | int
    assert loader._unwrap(None) is None


def test_value_at_walks_only_real_keys_and_positions() -> None:
    data = {"a": [{"b": 1}, {"b": 2}], "0": "zero"}
    assert loader._value_at(data, ("a", 1, "b")) == 2
    assert loader._value_at(data, ("a", 2)) is None  # one past the end
    assert loader._value_at(data, ("a", -1)) is None
    assert loader._value_at(data, (0,)) is None  # a position into a mapping
    assert loader._value_at(data, ("a", "0")) is None  # a key into a list
    assert loader._value_at(data, ("a", 0, "b", "c")) is None
    assert loader._value_at(data, ()) == data
    assert loader._value_at(["x"], ("x",)) is None  # "x" is in the list, but not a key


def test_renumbered_gives_positions_of_the_original_file() -> None:
    kept = {("commitments",): [0, 2, 5], ("calendar", "terms"): [1]}
    assert loader._renumbered("commitment 3 and term 1", kept) == "commitment 6 and term 2"
    assert (
        loader._renumbered("commitment 4 is past the end", kept) == "commitment 4 is past the end"
    )
    assert loader._renumbered("commitment 1", {}) == "commitment 1"
    assert loader._renumbered("commitment 0", kept) == "commitment 0"


@pytest.mark.parametrize(
    ("part", "node", "pseudo"),
    [
        ("name", {"name": 1}, False),
        ("other", {"name": 1}, False),
        ("function-after[_order(), tuple]", {}, True),
        ("lax-or-strict", {}, True),
        ("strict-int", {}, True),
        ("json-or-python", {}, True),
        ("list[int]", {}, True),
        ("function-plain", {}, True),
        ("function-after", {"function-after": 1}, False),  # a real key of that name
        ("anything", [1], True),  # no key inside a list
        ("anything", None, True),
    ],
)
def test_is_pseudo_tells_pydantics_steps_from_keys(part: str, node: Any, pseudo: bool) -> None:
    assert loader._is_pseudo(part, node) is pseudo


def test_clean_loc_drops_pydantics_steps_and_keeps_the_rest() -> None:
    data = {"a": {"b": [{"c": 1}]}}
    loc = ("a", "function-after[x]", "b", 0, "lax-or-strict", "c")
    assert loader._clean_loc(loc, data) == ("a", "b", 0, "c")


def test_original_maps_positions_back_only_inside_the_kept_list() -> None:
    kept = {("commitments",): [2, 3]}
    assert loader._original(("commitments", 0, "id"), kept) == ("commitments", 2, "id")
    assert loader._original(("commitments", 1), kept) == ("commitments", 3)
    assert loader._original(("commitments", 2), kept) == ("commitments", 2)
    assert loader._original(("terms", 0), kept) == ("terms", 0)


@pytest.mark.parametrize(
    ("loc", "kind", "point"),
    [
        (("leaves", 2, "name"), "missing", ("leaves", 2)),  # a required key: its list item
        (("leaves", 0, "size"), "int_parsing", ("leaves", 0, "size")),  # an optional key
        (("leaves", 0, "zzz"), "extra_forbidden", ("leaves", 0, "zzz")),
        (("nothing", "x"), "missing", None),
        (("by_key", "k", "name"), "missing", ("by_key",)),  # the optional mapping as a whole
    ],
)
def test_prune_point_is_the_smallest_part_that_may_be_left_out(
    loc: tuple[str | int, ...], kind: str, point: tuple[str | int, ...] | None
) -> None:
    assert loader._prune_point(_Tree, loc, {"type": kind}) == point


LONG_DIGITS = "1" * 20


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("max_per_day: 1 ", "max_per_day: abc ", "expected a whole number, got 'abc'"),
        ("max_per_day: 1 ", "max_per_day: 1.5 ", "expected a whole number, got 1.5"),
        (
            "max_per_day: 1 ",
            "max_per_day: '07' ",
            "'07' has a leading zero (YAML 1.1 reads it as an octal number); write 7",
        ),
        ("max_per_day: 1 ", "max_per_day: '12' ", "write the number without quotes (12)"),
        ("max_per_day: 1 ", "max_per_day: '0' ", "write the number without quotes (0)"),
        (
            "max_per_day: 1 ",
            f"max_per_day: '{LONG_DIGITS}' ",
            f"write the number without quotes ({LONG_DIGITS})",
        ),
        (
            "max_per_day: 1 ",
            f"max_per_day: '{LONG_DIGITS}1' ",
            f"expected a whole number, got '{LONG_DIGITS}1'",
        ),
        *(
            (
                "    brigade: true\n",
                f"    brigade: {word}\n",
                f"'{word}' is not true or false; write true or false (YAML 1.1 read "
                "yes/no/on/off as booleans; this file format does not)",
            )
            for word in ("y", "n", "Y", "N", "on", "Off", "yes", "NO")
        ),
        (
            "    brigade: true\n",
            "    brigade: maybe\n",
            "'maybe' is not true or false; write true or false",
        ),
    ],
)
def test_number_and_boolean_mistakes_are_named_exactly(old: str, new: str, message: str) -> None:
    text = EXAMPLE.replace(old, new, 1)
    assert text != EXAMPLE
    with pytest.raises(InputError) as info:
        parse_agreement(text.encode(), "a.yaml")
    (problem,) = info.value.problems
    assert str(problem).split(": ", 2)[2] == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("leaves: {name: a}\n", "1:9: leaves: expected a list, got a mapping"),
        ("pair: 3\n", "1:7: pair: expected a list, got 3"),
        ("by_key: [1]\n", "1:9: by_key: expected a mapping of keys, got a list"),
        ("leaves: [7]\n", "1:10: leaves[0]: expected a mapping of keys, got 7"),
        ("leaves: [{name: 5}]\n", "1:17: leaves[0].name: expected text, got 5 (quote it)"),
        ("leaves: [{name: }]\n", "1:17: leaves[0].name: has no value; write one"),
        (
            "code: X1\n",
            "1:7: code: 'X1' does not have the expected form (^[a-z]+$)",
        ),
        ("ratio: [1]\n", "1:8: ratio: expected a number, got a list"),
        ("flag: maybe\n", "1:7: flag: 'maybe' is not true or false; write true or false"),
        (
            "leaves: [{name: a, size: abc}]\n",
            "1:26: leaves[0].size: expected a whole number, got 'abc'",
        ),
        ("two: [1]\n", "1:6: two: needs at least 2 items"),
        ("ratio: {a: 1}\n", "1:8: ratio: expected a number, got a mapping"),
    ],
)
def test_type_mistakes_are_named_exactly(text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        loader.validate_document(parse_yaml(text.encode(), "t.yaml"), _Tree)
    assert [str(p) for p in info.value.problems] == [f"t.yaml:{message}"]


class _Odd(BaseModel):
    ident: uuid.UUID = uuid.UUID(int=0)  # an error kind the catalogue has no words for


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_mistake_the_catalogue_has_no_words_for_keeps_pydantics_own(lang: str) -> None:
    """An error kind without a message of our own is still named, placed and shown with the
    value given (a mapping or list is not repeated), in the user's language around it."""
    from partnership import messages

    got: dict[str, list[str]] = {}
    try:
        messages.set_language(lang)  # type: ignore[arg-type]
        for text in ("ident: abc\n", "ident: {a: 1}\n"):
            with pytest.raises(InputError) as info:
                loader.validate_document(parse_yaml(text.encode(), "t.yaml"), _Odd)
            got[text] = [str(p) for p in info.value.problems]
    finally:
        messages.set_language(None)
    sep, value = ("：", "，实际是 'abc'") if lang == "zh-CN" else (": ", ", got 'abc'")
    (scalar,) = got["ident: abc\n"]
    assert scalar.startswith(f"t.yaml:1:8: ident{sep}") and scalar.endswith(value)
    assert "UUID" in scalar
    (mapping,) = got["ident: {a: 1}\n"]
    assert mapping.startswith(f"t.yaml:1:8: ident{sep}") and "UUID" in mapping
    assert "{" not in mapping and "实际是" not in mapping and "got" not in mapping


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "nothing"),
        (True, "true"),
        (False, "false"),
        ({"a": 1}, "a mapping"),
        ([1], "a list"),
        ("x" * 58, repr("x" * 58)),  # 60 characters with the quotes: shown whole
        ("x" * 59, repr("x" * 59)[:57] + "..."),
        (0, "0"),
    ],
)
def test_show_gives_a_value_as_written_and_short(value: Any, shown: str) -> None:
    assert loader._show(value) == shown


def test_unique_sorted_orders_by_place_and_drops_repeats() -> None:
    p = [
        Problem("f", 3, 1, "c"),
        Problem("f", None, None, "top"),
        Problem("f", 2, 5, "b"),
        Problem("f", 2, None, "z"),
        Problem("f", 3, 1, "c"),
        Problem("f", 2, 5, "a"),
        Problem("f", 1, None, "a"),
        Problem("f", 2, 1, "m"),
    ]
    assert [str(x) for x in loader._unique_sorted(p)] == [
        "f: top",
        "f:1:None: a",
        "f:2:None: z",
        "f:2:1: m",
        "f:2:5: a",
        "f:2:5: b",
        "f:3:1: c",
    ]


def test_an_endless_device_is_refused_without_reading_it() -> None:
    """A device that never ends (a wrong path such as /dev/zero) is refused before reading."""
    with pytest.raises(InputError) as info:
        read_limited(Path("/dev/zero"), "zero.yaml")
    assert [str(p) for p in info.value.problems] == [
        "zero.yaml: is not a regular file (a device); only regular files are read"
    ]


def test_unreadable_paths_are_named_with_the_reason(tmp_path: Path) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text("version: 1\n", encoding="utf-8")
    cases = [
        (tmp_path, "a folder", "a folder: is a folder, not a file"),
        (plain / "inner.yaml", "inner.yaml", "inner.yaml: cannot read: Not a directory"),
        (tmp_path / "gone.yaml", "gone.yaml", "gone.yaml: no such file"),
    ]
    for path, shown, message in cases:
        with pytest.raises(InputError) as info:
            read_limited(path, shown)
        assert [str(p) for p in info.value.problems] == [message]


def test_in_chinese_every_problem_names_its_key_with_a_chinese_colon() -> None:
    """A key and what is wrong with it are joined by "：" in Chinese and ": " in English,
    whichever rule found it (a model rule, a choice of values, a bound), and a rule's
    message that starts with its own key does not say it twice."""
    import re

    from partnership import messages

    text = EXAMPLE.replace("language: zh-CN", "language: fr", 1)
    text = re.sub(r"(\n  id: )(\S+)", r"\1Bad Id", text, count=1)
    text = text.replace("max_per_day: 1", "max_per_day: 0", 1)
    assert text.count("Bad Id") == 1 and "language: fr" in text and "max_per_day: 0" in text
    try:
        messages.set_language("zh-CN")
        zh = refused(text)
        messages.set_language("en")
        en = refused(text)
    finally:
        messages.set_language(None)
    assert len(zh) == len(en) == 3
    keys = ["agreement.id", "agreement.language", "scheduling.max_per_day"]
    for line, key in zip(sorted(zh, key=lambda s: int(s.split(":")[1])), keys, strict=True):
        assert re.match(rf"a\.yaml:\d+:\d+: {re.escape(key)}：\S", line), line
    for line, key in zip(sorted(en, key=lambda s: int(s.split(":")[1])), keys, strict=True):
        assert re.match(rf"a\.yaml:\d+:\d+: {re.escape(key)}: \S", line), line

    # a rule whose message starts with its key (once: …) names it once, in either language
    outside = EXAMPLE.replace("repeat: {once: 2024-06-08}", "repeat: {once: 2031-06-08}", 1)
    assert "once: 2031-06-08" in outside
    said = {}
    try:
        for lang in ("zh-CN", "en"):
            messages.set_language(lang)  # type: ignore[arg-type]
            said[lang] = refused(outside)
    finally:
        messages.set_language(None)
    (zh_line,) = said["zh-CN"]
    (en_line,) = said["en"]
    assert zh_line.split(" ", 1)[1].startswith("commitments[5].repeat.once：2031-06-08 不在")
    assert en_line.split(" ", 1)[1].startswith("commitments[5].repeat.once: 2031-06-08 lies")
