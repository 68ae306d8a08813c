"""Every message exists in both languages, with the same placeholders, and every key used exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnership import messages

PACKAGE = Path(messages.__file__).parent
# t("key" ...) with a literal key, anywhere in the package
USE = re.compile(r"""\b(?:t|raw|_msg)\(\s*["']([a-z0-9_.-]+)["']""")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_and_the_same_fields() -> None:
    cat = messages.catalogue()
    assert cat, "the catalogue is empty"
    for key, texts in cat.items():
        assert set(texts) == {"zh", "en"}, key
        assert texts["zh"].strip() and texts["en"].strip(), key
        assert _fields(texts["zh"]) == _fields(texts["en"]), key


def test_every_key_the_code_uses_exists() -> None:
    cat = messages.catalogue()
    sources = [path.read_text("utf-8") for path in PACKAGE.rglob("*.py")]
    users = [s for s in sources if "from partnership.messages import" in s]
    used = {m for source in users for m in USE.findall(source)}
    assert used, "no t() call found: the scan is broken"
    assert sorted(used - set(cat)) == []


@pytest.mark.parametrize(
    ("value", "lang"),
    [
        ("zh_CN.UTF-8", "zh-CN"),
        ("zh_TW", "zh-CN"),
        ("Chinese (Simplified)_China", "zh-CN"),
        ("en_US.UTF-8", "en"),
        ("de_DE", "en"),
        ("C", None),
        ("", None),
    ],
)
def test_locale_names(value: str, lang: str | None) -> None:
    assert messages.normalise(value) == lang


def test_partnership_lang_wins_over_the_locale() -> None:
    assert messages.system_language({"PARTNERSHIP_LANG": "en", "LANG": "zh_CN.UTF-8"}) == "en"
    assert messages.system_language({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) == "zh-CN"
    assert messages.system_language({"LANG": "zh_CN.UTF-8"}) == "zh-CN"


def test_t_fills_in_and_follows_the_chosen_language() -> None:
    try:
        messages.set_language("zh-CN")
        assert messages.t("cli.wrote", path="a.ics") == "已写入 a.ics"
        assert messages.t("cli.wrote", lang="en", path="a.ics") == "wrote a.ics"
    finally:
        messages.set_language(None)


def test_every_key_built_at_run_time_exists() -> None:
    import typing

    from partnership import clitext, holidays

    sources = [s.replace("-", "_") for s in typing.get_args(holidays.Source)]
    keys = [
        *(f"cli.unknown.{kind}" for kind in ("term", "occurrence", "task")),
        *(f"cli.holidays.source.{s}" for s in sources),
        *(f"cli.record.what.{what}" for what in ("done", "cancel", "move")),
        *(f"cli.click.kind.{kind}" for kind in ("argument", "option", "parameter")),
        *(f"cli.click.value.{name}" for _, name in clitext._VALUE_PATTERNS),
        *(f"cli.click.usage_error.{name}" for _, name in clitext._USAGE_PATTERNS),
    ]
    assert sorted(set(keys) - set(messages.catalogue())) == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh-CN", "festivals[0].month：不能大于 12，实际是 13"),
        ("en", "festivals[0].month: must be at most 12, got 13"),
    ],
)
def test_pydantic_bounds_come_out_in_the_language(lang: str, expected: str) -> None:
    from factory import EXAMPLE

    from partnership.errors import InputError
    from partnership.loader import parse_agreement

    text = EXAMPLE.read_text("utf-8").replace(
        "commitments:",
        "festivals:\n  - {key: our-day, name: 校庆, month: 13, day: 1}\ncommitments:",
        1,
    )
    try:
        messages.set_language(lang)  # type: ignore[arg-type]
        with pytest.raises(InputError) as caught:
            parse_agreement(text.encode("utf-8"), "a.yaml")
    finally:
        messages.set_language(None)
    assert any(expected in str(p) for p in caught.value.problems), caught.value.problems


def test_a_message_may_head_a_table_of_more_messages() -> None:
    cat = messages.catalogue()
    assert set(cat["cli.help.init"]) == {"zh", "en"} and "cli.help.init.path" in cat


def test_raw_keeps_a_template_for_another_library() -> None:
    assert messages.raw("cli.click.default", "en") == "[default: {}]"
    assert messages.t("model.repeat.needs_count", lang="en").startswith("{per: ...}")


def test_the_quick_toml_reader_reads_every_catalogue_as_tomllib_does() -> None:
    import tomllib
    from importlib.resources import files

    from partnership.messages import simple_toml

    folder = files("partnership").joinpath("locale")
    texts = [e.read_text("utf-8") for e in folder.iterdir() if e.name.endswith(".toml")]
    assert texts
    for text in texts:
        assert simple_toml(text) == tomllib.loads(text)


_TOML_PIECES = [
    "[a]",
    "[a.b]",
    "[b]",
    "[ a ]",
    '["a"]',
    'zh = "x"',
    'en = "y {n}"',
    'zh = ""',
    "zh = 1",
    "zh = 'lit'",
    'a.b = "x"',
    '"q" = "x"',
    'b = { zh = "x", en = "{u} y" }',
    "b = {}",
    'b = { zh = "x", }',
    'b = { zh = "x", zh = "y" }',
    'zh = "a\\"b\\\\c\\n\\u00e9"',
    'zh = "\\U0001F600"',
    'zh = "\\/"',
    'zh = "\\ud800"',
    'zh = "\\x"',
    'zh = "\t"',
    'zh = "\x7f"',
    "# note",
    "   ",
    "",
    'zh = "x" # note',
    'zh = "x" y',
    'zh = "x"\r',
    "\ufeff[a]",
    "[a]\r",
    'b = { zh = "x" }',
    'zh = "\u2028"',
    '# \u2028 zh = "x"',
]


@given(st.lists(st.sampled_from(_TOML_PIECES), max_size=8))
def test_the_quick_toml_reader_says_what_tomllib_says_or_leaves_it_to_tomllib(
    lines: list[str],
) -> None:
    import tomllib

    from partnership.messages import simple_toml

    text = "\n".join(lines)
    try:
        want = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert simple_toml(text) is None
        return
    got = simple_toml(text)
    assert got is None or got == want
