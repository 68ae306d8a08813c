"""A console that cannot show a character degrades it; text typed in GBK is read as GBK."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from factory import ROOT, copy_example

from partnership import console

EXAMPLE_COMMANDS = [
    ["plan", "{f}", "--term", "2025-autumn"],
    ["plan", "{f}", "--json"],
    ["checklist", "{f}"],
    ["calendar", "{f}", "--term", "2025-autumn"],
    ["report", "{f}"],
    ["holidays", "2027"],
    ["validate", "{f}"],
    ["plan", "missing.yaml"],
    ["--help"],
    ["plan", "--help"],
]


def _run(
    args: list[str | bytes], env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[bytes]:
    full = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80", **env}
    return subprocess.run(
        [sys.executable, "-m", "partnership", *args], env=full, cwd=cwd, capture_output=True
    )


@pytest.mark.parametrize(
    ("encoding", "lang", "commands"),
    [
        ("gbk", "zh-CN", EXAMPLE_COMMANDS),
        ("gbk", "en", EXAMPLE_COMMANDS[:4]),
        ("cp1252", "zh-CN", EXAMPLE_COMMANDS[:4]),
        ("cp1252", "en", EXAMPLE_COMMANDS),
        ("ascii", "zh-CN", EXAMPLE_COMMANDS),
        ("ascii", "en", EXAMPLE_COMMANDS[:4]),
    ],
)
def test_no_command_fails_on_a_narrow_console(
    encoding: str, lang: str, commands: list[list[str]], tmp_path: Path
) -> None:
    f = copy_example(tmp_path)
    env = {"PYTHONIOENCODING": encoding, "PARTNERSHIP_LANG": lang}
    for words in commands:
        result = _run([w.format(f=f) for w in words], env, tmp_path)
        assert result.returncode in (0, 2), (words, result.stderr.decode(encoding, "replace"))
        assert b"Traceback" not in result.stderr
        # a table is in the console's encoding; a document (JSON) into a pipe stays UTF-8
        result.stdout.decode("utf-8" if "--json" in words else encoding)
    zh = _run(["plan", str(f), "--term", "2025-autumn"], env, tmp_path).stdout.decode(encoding)
    if encoding == "gbk":
        assert "走进消防支队" in zh and "brigade-visit/2025-autumn/1" in zh


def test_a_note_typed_in_gbk_is_stored_as_text(tmp_path: Path) -> None:
    f = copy_example(tmp_path)
    occurrence = "brigade-visit/2025-autumn/1"
    note = "三个年级共312人参加".encode("gbk")
    env = {"PYTHONIOENCODING": "gbk", "LC_ALL": "C.UTF-8", "PARTNERSHIP_LANG": "zh-CN"}
    done = _run(["record", str(f), occurrence, "--done", "--note", note], env, tmp_path)
    assert done.returncode == 0, done.stderr.decode("gbk")
    records = f.with_name("damo-primary.records.yaml").read_text("utf-8")
    assert "三个年级共312人参加" in records
    assert _run(["build", str(f), "-o", str(tmp_path / "out")], env, tmp_path).returncode == 0


def test_text_that_is_no_text_in_the_console_encoding_is_refused(tmp_path: Path) -> None:
    f = copy_example(tmp_path)
    env = {"PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8", "PARTNERSHIP_LANG": "en"}
    args = ["record", str(f), "brigade-visit/2025-autumn/1", "--cancel", "下雨".encode("gbk")]
    result = _run(args, env, tmp_path)
    assert result.returncode == 2
    assert b"--cancel: the text typed cannot be read" in result.stderr
    assert not f.with_name("damo-primary.records.yaml").exists()


def test_paths_with_chinese_characters(tmp_path: Path) -> None:
    folder = tmp_path / "共建协议"
    folder.mkdir()
    target = copy_example(folder, name="大磨小学.yaml")
    env = {"PYTHONIOENCODING": "gbk", "PARTNERSHIP_LANG": "zh-CN"}
    result = _run(["build", str(target), "-o", str(folder / "日历")], env, tmp_path)
    assert result.returncode == 0, result.stderr.decode("gbk")
    assert (folder / "日历" / "damo-fire-2024" / "plan.json").exists()


def test_degrading_keeps_the_width() -> None:
    assert "⚠ ☐ 中".encode("ascii", console.ERRORS) == b"! o ??"
    assert "☑ ✓ —".encode("cp1252", console.ERRORS) == "x v —".encode("cp1252")
    assert "⚠ 中".encode("gbk", console.ERRORS) == "! 中".encode("gbk")


def test_typed_text_keeps_text_and_refuses_bytes_no_encoding_reads() -> None:
    assert console.typed_text("普通") == "普通"
    assert console.typed_text("\udcff\udcfe") is None  # 0xFF 0xFE: neither UTF-8 nor GBK


def test_a_chinese_gbk_locale_speaks_chinese_in_gbk(tmp_path: Path) -> None:
    f = copy_example(tmp_path)
    env = {
        "LC_ALL": "zh_CN.GBK",
        "LANG": "zh_CN.GBK",
        "PARTNERSHIP_LANG": "",
        "PYTHONIOENCODING": "gbk",
    }
    ok = _run(["validate", str(f)], env, tmp_path)
    assert ok.returncode == 0 and "通过" in ok.stdout.decode("gbk")
    bad = _run(["plan", str(f), "--term", "2025-autunm"], env, tmp_path)
    assert bad.returncode == 2
    assert "没有学期 '2025-autunm'；您是不是要写 '2025-autumn'？" in bad.stderr.decode("gbk")
