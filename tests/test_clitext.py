"""--help of every command and click's usage errors, in the language asked for."""

from __future__ import annotations

import re

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from partnership import clitext
from partnership.cli import app
from partnership.messages import catalogue

COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]
ENV = {"COLUMNS": "100"}
WIDE = {"COLUMNS": "250"}  # no help text wrapped beside another column


def _help_keys(name: str) -> list[str]:
    command = get_command(app).commands[name]  # type: ignore[attr-defined]
    keys = [command.help, *(getattr(p, "help", None) for p in command.params)]
    return [k for k in keys if k]


def _flat(text: str) -> str:
    """Help text without rich's boxes and line breaks, to look for whole sentences."""
    return re.sub(r"[\s│╭╮╰╯─]+", "", text)


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_command_has_its_help_in_both_languages(name: str, lang: str) -> None:
    option = "zh-CN" if lang == "zh" else "en"
    result = CliRunner().invoke(app, ["--lang", option, name, "--help"], env=WIDE)
    assert result.exit_code == 0, result.output
    keys = _help_keys(name)
    assert keys and all(k in catalogue() for k in keys), keys  # help is given as a key
    page = _flat(result.stdout)
    for key in keys:
        assert _flat(catalogue()[key][lang]) in page, key
    assert ("用法" in result.stdout) == (lang == "zh")
    assert ("显示本帮助并退出" in result.stdout) == (lang == "zh")


def _all_commands(group: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, sub in getattr(group, "commands", {}).items():
        found += _all_commands(sub, (*path, name))
    return found


@pytest.mark.parametrize("path", _all_commands(get_command(app)))
def test_a_flag_shows_no_value_type_in_help(path: tuple[str, ...]) -> None:
    """``--allow-incomplete`` takes no value: typer's "<bool>" beside it would ask for one."""
    result = CliRunner().invoke(app, [*path, "--help"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.stdout


def test_an_option_with_a_value_still_shows_its_type() -> None:
    result = CliRunner().invoke(app, ["build", "--help"], env=WIDE)
    assert "<path>" in result.stdout and "BASE" in result.stdout


def test_h_is_help_everywhere_and_the_group_help_is_translated() -> None:
    runner = CliRunner()
    for name in COMMANDS:
        assert runner.invoke(app, [name, "-h"], env=ENV).exit_code == 0, name
    zh = runner.invoke(app, ["-h"], env={**ENV, "PARTNERSHIP_LANG": "zh-CN"})
    assert "命令" in zh.stdout and "选项" in zh.stdout and "按日期排好的学期计划" in zh.stdout
    en = runner.invoke(app, ["--lang", "en", "-h"], env={**ENV, "PARTNERSHIP_LANG": "zh-CN"})
    assert "Commands" in en.stdout and "dated term plans" in en.stdout


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["plan"], "缺少参数 'file'", "Missing argument 'file'"),
        (["plan", "x.yaml", "--bogus"], "没有这个选项：--bogus", "No such option: --bogus"),
        (["plan", "x.yaml", "--term"], "选项 '--term' 后面需要一个值", "requires an argument"),
        (["calendar", "x.yaml", "--format", "pdf"], "'pdf' 不是可选值", "'pdf' is not one of"),
        (["checklist", "x.yaml", "--weeks", "-1"], "不能小于 0", "must be at least 0"),
        (["checklist", "x.yaml", "--weeks", "two"], "应为整数", "expected a whole number"),
        (["bogus"], "没有这个命令：'bogus'", "No such command 'bogus'"),
        (["ics", "x.yaml"], "缺少选项 '-o' / '--output'", "Missing option '-o' / '--output'"),
        (["plan", "a.yaml", "b.yaml"], "多余的参数：b.yaml", "unexpected extra arguments (b.yaml)"),
        (["record", "x.yaml", "o", "--done=yes"], "不带值", "does not take a value"),
    ],
)
def test_usage_errors_in_both_languages(args: list[str], zh: str, en: str) -> None:
    runner = CliRunner()
    chinese = runner.invoke(app, ["--lang", "zh-CN", *args], env=ENV)
    english = runner.invoke(app, ["--lang", "en", *args], env=ENV)
    assert chinese.exit_code == english.exit_code == 2
    assert zh in chinese.stderr and "错误" in chinese.stderr
    assert en in english.stderr and "Error" in english.stderr
    assert ("用法" in chinese.stderr) == ("Usage" in english.stderr)


@pytest.mark.parametrize(
    ("args", "lang"),
    [
        (["--lang", "zh-CN", "plan"], "zh-CN"),
        (["--lang=en", "plan"], "en"),
        (["--debug", "--lang", "zh-CN", "plan"], "zh-CN"),
        (["--lang", "zh", "plan"], None),  # not a value --lang takes: click says so
        (["plan", "--lang", "en"], None),  # after the command it is no global option
        (["--lang", "fr"], None),
        ([], None),
    ],
)
def test_the_language_option_is_read_before_parsing(args: list[str], lang: str | None) -> None:
    assert clitext.chosen_language(args) == lang


def test_partnership_lang_and_locale_choose_when_no_option() -> None:
    runner = CliRunner()
    locale = {"PARTNERSHIP_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"}
    zh = runner.invoke(app, ["validate", "nope.yaml"], env=locale)
    assert zh.exit_code == 2 and "nope.yaml: 文件不存在" in zh.stderr
    en = runner.invoke(app, ["validate", "nope.yaml"], env={"PARTNERSHIP_LANG": "en"})
    assert "nope.yaml: no such file" in en.stderr
