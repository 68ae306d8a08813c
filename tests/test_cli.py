"""Every command through Typer's runner: outputs, exit codes, and nothing lost on failure."""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path

import pytest
from factory import EXAMPLE, OCCURRENCE_KEYS, copy_example
from goldenfile import compare
from typer.testing import CliRunner

from partnership import __version__, cli
from partnership.cli import app

EPOCH = {"SOURCE_DATE_EPOCH": "1735689600"}  # 2025-01-01T00:00:00Z


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def agreement(tmp_path: Path) -> Path:
    """A private copy of the example, so records written by commands stay in tmp_path."""
    return copy_example(tmp_path)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_help_lists_every_contract_command(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in (
        "init",
        "validate",
        "holidays",
        "plan",
        "calendar",
        "ics",
        "checklist",
        "record",
        "tick",
        "report",
        "build",
        "schema",
    ):
        assert command in result.stdout


def test_validate_example(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("OK (damo-fire-2024, 6 commitments)")


def test_validate_reports_every_problem_located(runner: CliRunner, tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("    kind: visit\n", "    kind: visits\n", 1)
    text = text.replace("    weekdays: [fri]\n", "    weekdayz: [fri]\n", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(EXAMPLE), str(bad)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    # the example's signing ceremony (2024-06-08) is in the 端午 holiday: kept, with a warning
    (warning,) = [x for x in lines if ": warning: " in x or ": 警告：" in x]
    assert warning.startswith(f"{EXAMPLE}:") and "2024-06-08" in warning
    lines.remove(warning)
    assert len(lines) == 2
    assert (
        lines[0].startswith(f"{bad}:") and "commitments[0].kind: 'visits' is not valid" in lines[0]
    )
    assert "unknown key 'weekdayz'; did you mean 'weekdays'?" in lines[1]
    for line in lines:
        _file, line_no, col, _ = line.split(":", 3)
        assert int(line_no) >= 1 and int(col) >= 1
    assert "Traceback" not in result.output


def test_missing_file_is_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_holidays_json_built_in(runner: CliRunner) -> None:
    result = runner.invoke(app, ["holidays", "2024", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["year"] == 2024 and data["source"] == "built-in"
    assert {"name": "国庆节", "date": "2024-10-07"} in data["days_off"]
    assert data["workdays"] == [
        "2024-02-04",
        "2024-02-18",
        "2024-04-07",
        "2024-04-28",
        "2024-05-11",
        "2024-09-14",
        "2024-09-29",
        "2024-10-12",
    ]


def test_holidays_provisional_year_says_so(runner: CliRunner) -> None:
    data = json.loads(runner.invoke(app, ["holidays", "2027", "--json"]).stdout)
    assert data["source"] == "provisional"
    assert data["workdays"] == []
    assert [d["date"] for d in data["days_off"] if d["name"] == "春节"] == [
        "2027-02-05",
        "2027-02-06",
        "2027-02-07",
        "2027-02-08",
    ]
    text = runner.invoke(app, ["holidays", "2027"]).stdout
    assert "PROVISIONAL" in text


def test_holidays_with_agreement_notice(runner: CliRunner, tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "  weekdays: [mon, tue, wed, thu, fri]\n",
        "  weekdays: [mon, tue, wed, thu, fri]\n  notices:\n    - year: 2027\n"
        "      days_off: [{name: 春节, start: 2027-02-05, end: 2027-02-11}]\n"
        "      workdays: [2027-02-14]\n",
    )
    f = tmp_path / "a.yaml"
    f.write_text(text, encoding="utf-8")
    data = json.loads(runner.invoke(app, ["holidays", "2027", "--json", "-f", str(f)]).stdout)
    assert data["source"] == "notice"
    assert data["workdays"] == ["2027-02-14"]


def test_holidays_out_of_range_is_an_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["holidays", "1999"])
    assert result.exit_code == 2
    assert "1999" in result.stderr


def test_schema_is_json_schema(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema"])
    data = json.loads(result.stdout)
    assert data["$schema"].endswith("2020-12/schema")
    assert {"version", "agreement", "parties", "calendar", "commitments"} <= set(data["properties"])


def test_init_writes_a_starter_for_a_new_school_and_refuses_to_overwrite(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "sub" / "Our School.yaml"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "# " in text and "id: our-school " in text and "damo" not in text
    before = target.read_bytes()
    again = runner.invoke(app, ["init", str(target)])
    assert again.exit_code == 2
    assert "already exists" in again.stderr
    assert target.read_bytes() == before


def test_plan_json_contract(runner: CliRunner, agreement: Path) -> None:
    result = runner.invoke(app, ["plan", str(agreement), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["agreement"] == "damo-fire-2024"
    assert data["provisional_years"] == [2027]
    assert data["unplaced"] == []
    first = next(o for o in data["occurrences"] if o["id"] == "brigade-visit/2024-autumn/1")
    assert set(first) == OCCURRENCE_KEYS
    assert first["uid"] == "brigade-visit.2024-autumn.1@damo-fire-2024"
    assert first["start"] == "14:00" and first["all_day"] is False
    lead = next(o for o in data["occurrences"] if "lead_up_of" in o)
    assert lead["id"].startswith(lead["lead_up_of"] + "/lead-up-")


def test_plan_term_filter_and_unknown_term(runner: CliRunner, agreement: Path) -> None:
    data = json.loads(
        runner.invoke(app, ["plan", str(agreement), "--term", "2025-autumn", "--json"]).stdout
    )
    assert {o["term"] for o in data["occurrences"]} == {"2025-autumn"}
    bad = runner.invoke(app, ["plan", str(agreement), "--term", "2025-autum"])
    assert bad.exit_code == 2
    assert "did you mean '2025-autumn'" in bad.stderr


def _impossible(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "  brigade_unavailable:\n",
        "  closures:\n    - {name: 校舍改造, start: 2024-09-01, end: 2025-01-17}\n"
        "  brigade_unavailable:\n",
    )
    f = tmp_path / "impossible.yaml"
    f.write_text(text, encoding="utf-8")
    return f


def test_plan_incomplete_exits_1_and_still_shows_the_rest(
    runner: CliRunner, tmp_path: Path
) -> None:
    f = _impossible(tmp_path)
    result = runner.invoke(app, ["plan", str(f), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    ids = {u["id"] for u in data["unplaced"]}
    assert "brigade-visit/2024-autumn/1" in ids
    reason = next(u["reason"] for u in data["unplaced"] if u["id"] == "brigade-visit/2024-autumn/1")
    assert "停课/考试" in reason
    assert any(o["term"] == "2025-spring" for o in data["occurrences"])
    text = runner.invoke(app, ["plan", str(f)])
    assert text.exit_code == 1
    assert "brigade-visit/2024-autumn/1" in text.stdout


def test_ics_and_build_write_nothing_when_incomplete(runner: CliRunner, tmp_path: Path) -> None:
    f = _impossible(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["ics", str(f), "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists()  # not even the folder
    assert not (tmp_path / "impossible.records.yaml").exists()
    result = runner.invoke(app, ["build", str(f), "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists()
    forced = runner.invoke(app, ["ics", str(f), "-o", str(out), "--allow-incomplete"])
    assert forced.exit_code == 1
    assert (out / "damo-fire-2024.ics").exists()


def test_calendar_rich_and_html(runner: CliRunner, agreement: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["calendar", str(agreement), "--term", "2024-autumn"])
    assert result.exit_code == 0, result.output
    assert "第1周" in result.stdout and "国庆" in result.stdout
    page = tmp_path / "pages" / "cal.html"
    result = runner.invoke(app, ["calendar", str(agreement), "--format", "html", "-o", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "走进消防支队" in html and "2026—2027学年第二学期" in html
    plan = json.loads(runner.invoke(app, ["plan", str(agreement), "--json"]).stdout)
    autumn = [o for o in plan["occurrences"] if o["term"] == "2024-autumn"]
    text = runner.invoke(
        app, ["calendar", str(agreement), "--term", "2024-autumn"], env={"COLUMNS": "200"}
    ).stdout
    assert "2025-spring" not in text and "2024—2025学年第二学期" not in text
    for o in autumn:  # every activity's day is shown, and the term has all its weeks
        assert f"{int(o['date'][5:7])}-{int(o['date'][8:])}" in text, o["id"]
    assert "第20周" in text and "第21周" not in text  # 09-01 is a Sunday: week 1 from 09-02


def test_ics_writes_per_term_and_whole_and_remembers_dates(
    runner: CliRunner, agreement: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ics"
    result = runner.invoke(app, ["ics", str(agreement), "-o", str(out)], env=EPOCH)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert "damo-fire-2024.ics" in names
    assert "damo-fire-2024-2024-autumn.ics" in names and len(names) == 7
    records = (tmp_path / "damo-primary.records.yaml").read_text(encoding="utf-8")
    assert "published: 2024-10-23" in records
    parents = runner.invoke(
        app,
        ["ics", str(agreement), "-o", str(out), "--audience", "parents", "--term", "2025-spring"],
    )
    assert parents.exit_code == 0
    assert (out / "damo-fire-2024-2025-spring-parents.ics").exists()


def test_output_folder_that_is_a_file_is_a_usage_error(
    runner: CliRunner, agreement: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    for args in (
        ["ics", str(agreement), "-o", str(blocker)],
        ["build", str(agreement), "-o", str(blocker)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert "is a file" in result.stderr
    assert blocker.read_text(encoding="utf-8") == "x"


def test_build_is_reproducible_with_source_date_epoch(
    runner: CliRunner, agreement: Path, tmp_path: Path
) -> None:
    first = runner.invoke(app, ["build", str(agreement), "-o", str(tmp_path / "a")], env=EPOCH)
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["build", str(agreement), "-o", str(tmp_path / "b")], env=EPOCH)
    assert second.exit_code == 0
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert a == b
    names = set(a)
    for expected in (
        "damo-fire-2024/damo-fire-2024.ics",
        "damo-fire-2024/damo-fire-2024-parents.ics",
        "damo-fire-2024/calendar-2025-autumn.html",
        "damo-fire-2024/checklist-2025-autumn.md",
        "damo-fire-2024/report.md",
        "damo-fire-2024/plan.json",
    ):
        assert expected in names
    assert "2027" in first.stdout  # the summary names the provisional year


def test_build_failing_halfway_changes_nothing(
    runner: CliRunner, agreement: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", str(agreement), "-o", str(out)], env=EPOCH).exit_code == 0
    records = tmp_path / "damo-primary.records.yaml"
    before, records_before = _tree(out), records.read_bytes()

    calls = {"n": 0}
    real_write_bytes = Path.write_bytes

    def failing_write(self: Path, data: bytes) -> int:  # type: ignore[override]
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device")
        return real_write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    result = runner.invoke(
        app, ["build", str(agreement), "-o", str(out)], env={"SOURCE_DATE_EPOCH": "1800000000"}
    )
    assert result.exit_code == 2
    assert "No space left on device (nothing was changed)" in result.stderr
    monkeypatch.undo()
    assert _tree(out) == before
    assert records.read_bytes() == records_before


def test_record_and_tick_round_trip(runner: CliRunner, agreement: Path) -> None:
    occ = "brigade-visit/2025-autumn/1"
    assert (
        runner.invoke(
            app, ["record", str(agreement), occ, "--done", "--note", "312人参加"]
        ).exit_code
        == 0
    )
    moved = "fire-sports-meet/2025-autumn/1"
    result = runner.invoke(
        app, ["record", str(agreement), moved, "--move", "2025-11-21", "--time", "09:30-11:30"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(runner.invoke(app, ["plan", str(agreement), "--json"]).stdout)
    by_id = {o["id"]: o for o in data["occurrences"]}
    assert by_id[occ]["status"] == "done"
    assert by_id[moved]["status"] == "moved"
    assert by_id[moved]["date"] == "2025-11-21" and by_id[moved]["start"] == "09:30"

    tasks = json.loads(
        runner.invoke(
            app, ["checklist", str(agreement), "--format", "json", "--term", "2025-autumn"]
        ).stdout
    )["tasks"]
    task = tasks[0]["id"]
    assert runner.invoke(app, ["tick", str(agreement), task]).exit_code == 0
    tasks = json.loads(
        runner.invoke(app, ["checklist", str(agreement), "--format", "json", "--all"]).stdout
    )["tasks"]
    assert next(t for t in tasks if t["id"] == task)["status"] == "done"
    assert runner.invoke(app, ["tick", str(agreement), task, "--undo"]).exit_code == 0
    tasks = json.loads(
        runner.invoke(app, ["checklist", str(agreement), "--format", "json", "--all"]).stdout
    )["tasks"]
    assert next(t for t in tasks if t["id"] == task)["status"] == "open"


def test_record_unknown_ids_and_bad_options(runner: CliRunner, agreement: Path) -> None:
    bad = runner.invoke(app, ["record", str(agreement), "brigade-visit/2025-autum/1", "--done"])
    assert bad.exit_code == 2
    assert "did you mean 'brigade-visit/2025-autumn/1'" in bad.stderr
    both = runner.invoke(
        app, ["record", str(agreement), "brigade-visit/2025-autumn/1", "--done", "--cancel", "雨"]
    )
    assert both.exit_code == 2
    bad_time = runner.invoke(
        app,
        [
            "record",
            str(agreement),
            "brigade-visit/2025-autumn/1",
            "--move",
            "2025-10-22",
            "--time",
            "16:00-15:00",
        ],
    )
    assert bad_time.exit_code == 2 and "after start" in bad_time.stderr
    assert runner.invoke(app, ["tick", str(agreement), "zzzzzz"]).exit_code == 2
    bad_day = runner.invoke(
        app, ["record", str(agreement), "brigade-visit/2025-autumn/1", "--move", "2025-13-01"]
    )
    assert bad_day.exit_code == 2 and "--move '2025-13-01'" in bad_day.stderr
    assert not (agreement.parent / "damo-primary.records.yaml").exists()


def test_checklist_formats(runner: CliRunner, agreement: Path) -> None:
    args = ["checklist", str(agreement), "--today", "2025-10-01", "--weeks", "3"]
    data = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    tasks = data["tasks"]
    assert tasks and all(t["due"] <= "2025-10-22" for t in tasks)
    assert all(t["overdue"] == (t["due"] < "2025-10-01") for t in tasks)
    assert any(t["overdue"] for t in tasks) and not all(t["overdue"] for t in tasks)
    md = runner.invoke(app, [*args, "--format", "md"]).stdout
    lines = [line for line in md.splitlines() if line.startswith("- [ ] ")]
    assert len(lines) == len(tasks)
    for t in tasks:
        (line,) = [x for x in lines if f"`{t['id']}`" in x]
        assert t["task"] in line and t["due"][5:] in line
        assert ("**逾期**" in line) == t["overdue"], line
    rich = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert rich.exit_code == 0, rich.output
    assert all(t["id"] in rich.stdout for t in tasks)
    html = runner.invoke(app, [*args, "--format", "html"]).stdout
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert all(t["id"] in html and t["task"] in html for t in tasks)
    brigade = json.loads(
        runner.invoke(app, [*args, "--format", "json", "--owner", "brigade"]).stdout
    )
    assert brigade["tasks"] == [t for t in tasks if t["owner"] == "brigade"]
    assert set(tasks[0]) == {"id", "occurrence", "task", "owner", "due", "status", "overdue"}
    bad = runner.invoke(app, ["checklist", str(agreement), "--today", "2025-13-01"])
    assert bad.exit_code == 2 and "--today '2025-13-01'" in bad.stderr


def test_report_formats(runner: CliRunner, agreement: Path) -> None:
    assert runner.invoke(app, ["record", str(agreement), VISIT_1, "--done"]).exit_code == 0
    assert runner.invoke(app, ["record", str(agreement), MEET_1, "--cancel", "雨"]).exit_code == 0
    data = json.loads(runner.invoke(app, ["report", str(agreement), "--format", "json"]).stdout)
    keys = ("required", "placed", "done", "cancelled", "missed", "pending")
    for c in data["commitments"]:
        t = c["total"]
        assert t["done"] + t["cancelled"] + t["missed"] + t["pending"] == t["placed"], c["id"]
        if c["terms"]:
            assert {k: sum(x[k] for x in c["terms"]) for k in keys} == {k: t[k] for k in keys}
    assert {k: sum(c["total"][k] for c in data["commitments"]) for k in keys} == {
        k: data["total"][k] for k in keys
    }
    assert (data["total"]["done"], data["total"]["cancelled"]) == (1, 1)
    assert data["total"]["percent"] == round(100 * 1 / data["total"]["required"], 1)
    titles = [c["title"] for c in data["commitments"]]
    for fmt in ("rich", "md", "html"):
        args = ["report", str(agreement), "--format", fmt, "--year", "2024"]
        result = runner.invoke(app, args, env={"COLUMNS": "250"})
        assert result.exit_code == 0, (fmt, result.output)
        assert data["title"] in result.stdout, fmt
        for title in titles:
            assert title in result.stdout, (fmt, title)
    md = runner.invoke(app, ["report", str(agreement), "--format", "md", "--year", "2024"]).stdout
    assert md.startswith("# ") and "雨" in md


def test_internal_error_is_one_line_and_exit_70(
    runner: CliRunner, agreement: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import partnership.placement

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(partnership.placement, "place", boom)
    result = runner.invoke(app, ["plan", str(agreement)])
    assert result.exit_code == 70
    assert "this is a bug" in result.stderr and "--debug" in result.stderr
    assert "Traceback" not in result.output
    debug = runner.invoke(app, ["--debug", "plan", str(agreement)])
    assert isinstance(debug.exception, RuntimeError)


def test_report_today_counts_the_unrecorded_past_as_missed(
    runner: CliRunner, agreement: Path
) -> None:
    args = ["report", str(agreement), "--year", "2025", "--format", "json", "--today"]
    data = json.loads(runner.invoke(app, [*args, "2026-12-01"]).stdout)
    year = data["year"]
    assert year["plan"] and year["missed"] == [e["occurrence"] for e in year["plan"]]
    assert year["pending"] == [] and year["total"]["missed"] == len(year["plan"])
    total = data["total"]
    assert (
        total["done"] + total["cancelled"] + total["missed"] + total["pending"] == total["placed"]
    )
    early = json.loads(runner.invoke(app, [*args, "2024-06-01"]).stdout)
    assert early["year"]["missed"] == [] and early["total"]["missed"] == 0
    bad = runner.invoke(app, [*args, "1 December"])
    assert bad.exit_code == 2 and "--today" in bad.stderr


def test_spreadsheets_from_plan_checklist_and_report(
    runner: CliRunner, agreement: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    for command, extra in (("plan", []), ("checklist", ["--all"]), ("report", ["--year", "2025"])):
        out = tmp_path / f"{command}.xlsx"
        result = runner.invoke(app, [command, str(agreement), *extra, "-o", str(out)], env=EPOCH)
        assert result.exit_code == 0, result.output
        book = load_workbook(out)
        assert book.sheetnames and book.worksheets[0].max_row > 1
    refused = runner.invoke(app, ["report", str(agreement), "--format", "xlsx"])
    assert refused.exit_code == 2 and ".xlsx" in refused.stderr


def test_checklist_shows_the_current_and_next_term_unless_asked_for_all(
    runner: CliRunner, agreement: Path
) -> None:
    def tasks(*extra: str) -> list[dict[str, object]]:
        args = ["checklist", str(agreement), "--format", "json", "--today", "2026-12-01", *extra]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["tasks"]  # type: ignore[no-any-return]

    shown, everything = tasks(), tasks("--all")
    assert 0 < len(shown) < len(everything)
    ids = {t["id"] for t in shown}
    assert ids <= {t["id"] for t in everything}
    now = {t["id"] for t in tasks("--term", "2026-autumn") + tasks("--term", "2027-spring")}
    assert now <= ids
    past = {t["id"] for t in tasks("--term", "2024-autumn")}
    assert past and not past & ids


def test_calendar_takes_the_format_from_the_file_name(runner: CliRunner, agreement: Path) -> None:
    page = agreement.parent / "校历.html"
    result = runner.invoke(app, ["calendar", str(agreement), "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert page.read_text("utf-8").lstrip().lower().startswith("<!doctype html")
    text = agreement.parent / "calendar.txt"
    assert runner.invoke(app, ["calendar", str(agreement), "-o", str(text)]).exit_code == 0
    assert "<html" not in text.read_text("utf-8") and "第1周" in text.read_text("utf-8")
    for args, message in (
        (["-o", str(agreement.parent / "x.html"), "--format", "rich"], "the extension means html"),
        (["-o", str(agreement.parent / "x.pdf")], "the extension .pdf names no format"),
    ):
        refused = runner.invoke(app, ["calendar", str(agreement), *args])
        assert refused.exit_code == 2 and message in refused.stderr
    assert not (agreement.parent / "x.html").exists() and not (agreement.parent / "x.pdf").exists()


@pytest.mark.parametrize("command", ["checklist", "report"])
def test_documents_take_the_format_from_the_file_name(
    runner: CliRunner, agreement: Path, command: str
) -> None:
    folder = agreement.parent
    for name, starts in (("a.md", "#"), ("a.html", "<"), ("a.json", "{")):
        result = runner.invoke(app, [command, str(agreement), "-o", str(folder / name)])
        assert result.exit_code == 0, result.output
        assert (folder / name).read_text("utf-8").lstrip().startswith(starts), name
    refused = runner.invoke(
        app, [command, str(agreement), "-o", str(folder / "b.md"), "--format", "html"]
    )
    assert refused.exit_code == 2 and "the extension means md, not --format html" in refused.stderr
    odd = runner.invoke(app, [command, str(agreement), "-o", str(folder / "b.docx")])
    assert odd.exit_code == 2 and ".docx names no format" in odd.stderr
    assert not (folder / "b.md").exists() and not (folder / "b.docx").exists()


def test_checklist_json_is_format_json(runner: CliRunner, agreement: Path) -> None:
    day = ["--today", "2025-09-01"]
    flag = runner.invoke(app, ["checklist", str(agreement), "--json", *day])
    fmt = runner.invoke(app, ["checklist", str(agreement), "--format", "json", *day])
    assert flag.exit_code == fmt.exit_code == 0
    assert flag.stdout == fmt.stdout and "tasks" in json.loads(flag.stdout)
    both = runner.invoke(app, ["checklist", str(agreement), "--json", "--format", "md"])
    assert both.exit_code == 2 and "--json and --format md" in both.stderr


# --- behaviours users meet (issue 16) --------------------------------------------------------

VISIT_1 = "brigade-visit/2024-autumn/1"  # 2024-10-16 in the example
MEET_1 = "fire-sports-meet/2024-autumn/1"  # 2024-11-01
DRILL_1 = "evacuation-drill/2024-autumn/2024-10-1"  # 2024-10-21


def _with_closures(f: Path, *days: str) -> None:
    """Edit the agreement as an admin would: agreement-wide one-day closures."""
    lines = "".join(f"    - {{name: 临时停课, start: {d}, end: {d}}}\n" for d in days)
    text = f.read_text(encoding="utf-8").replace(
        "  brigade_unavailable:\n", f"  closures:\n{lines}  brigade_unavailable:\n", 1
    )
    f.write_text(text, encoding="utf-8")


def _plan(runner: CliRunner, f: Path) -> dict[str, dict[str, object]]:
    result = runner.invoke(app, ["plan", str(f), "--json"])
    assert result.exit_code == 0, result.output
    return {o["id"]: o for o in json.loads(result.stdout)["occurrences"]}


def test_done_and_cancelled_keep_their_published_dates_after_an_edit(
    runner: CliRunner, agreement: Path, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["ics", str(agreement), "-o", str(tmp_path / "out")]).exit_code == 0
    before = _plan(runner, agreement)
    assert runner.invoke(app, ["record", str(agreement), VISIT_1, "--done"]).exit_code == 0
    assert runner.invoke(app, ["record", str(agreement), MEET_1, "--cancel", "暴雨"]).exit_code == 0
    _with_closures(
        agreement,
        str(before[VISIT_1]["date"]),
        str(before[MEET_1]["date"]),
        str(before[DRILL_1]["date"]),
    )
    after = _plan(runner, agreement)
    assert (after[VISIT_1]["date"], after[VISIT_1]["status"]) == (before[VISIT_1]["date"], "done")
    assert (after[MEET_1]["date"], after[MEET_1]["status"]) == (
        before[MEET_1]["date"],
        "cancelled",
    )
    # a planned one on a day that became closed is not held: it gets a new date
    assert after[DRILL_1]["date"] != before[DRILL_1]["date"]
    assert after[DRILL_1]["status"] == "planned"


def _report(runner: CliRunner, f: Path, *extra: str) -> dict[str, object]:
    """The report as of the agreement's first day: nothing is missed yet."""
    args = ["report", str(f), "--format", "json", "--today", "2024-06-08", *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _counts(data: dict[str, object], cid: str) -> dict[str, object]:
    commitments = data["commitments"]
    assert isinstance(commitments, list)
    total: dict[str, object] = next(c for c in commitments if c["id"] == cid)["total"]
    return total


def test_report_counts_a_moved_activity_as_pending_and_a_cancellation_is_no_move(
    runner: CliRunner, agreement: Path
) -> None:
    start = _counts(_report(runner, agreement), "evacuation-drill")
    moved = runner.invoke(app, ["record", str(agreement), DRILL_1, "--move", "2024-10-22"])
    assert moved.exit_code == 0, moved.output
    after = _counts(_report(runner, agreement), "evacuation-drill")
    assert after == start  # still placed and pending: not done, not cancelled
    assert after["done"] == 0 and after["cancelled"] == 0 and after["pending"] == after["placed"]
    year = _report(runner, agreement, "--year", "2024")["year"]
    assert isinstance(year, dict)
    entry = next(e for e in year["plan"] if e["occurrence"] == DRILL_1)
    assert (entry["status"], entry["date"], entry["moves"]) == ("moved", "2024-10-22", 1)
    assert DRILL_1 in year["moved"] and DRILL_1 in year["pending"]
    for oid in (DRILL_1, VISIT_1):  # moved then cancelled; cancelled only
        assert (
            runner.invoke(app, ["record", str(agreement), oid, "--cancel", "停电"]).exit_code == 0
        )
    year = _report(runner, agreement, "--year", "2024")["year"]
    assert isinstance(year, dict)
    moves = {e["occurrence"]: e["moves"] for e in year["plan"]}
    assert (moves[DRILL_1], moves[VISIT_1]) == (1, 0)
    assert {DRILL_1, VISIT_1} <= set(year["cancelled"])
    assert DRILL_1 in year["moved"] and VISIT_1 not in year["moved"]
    counts = _counts(_report(runner, agreement), "evacuation-drill")
    assert (counts["cancelled"], counts["pending"]) == (1, int(start["pending"]) - 1)


def test_calendar_and_build_allow_incomplete_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    f = _impossible(tmp_path)
    cal = runner.invoke(app, ["calendar", str(f), "--term", "2025-spring"])
    assert cal.exit_code == 1, cal.output
    assert "第1周" in cal.stdout  # what could be placed is still shown
    assert "brigade-visit/2024-autumn/1" in cal.output
    out = tmp_path / "out"
    built = runner.invoke(app, ["build", str(f), "-o", str(out), "--allow-incomplete"])
    assert built.exit_code == 1, built.output
    assert list(out.rglob("*.ics"))


def test_a_task_due_today_is_not_overdue(runner: CliRunner, agreement: Path) -> None:
    every = json.loads(
        runner.invoke(
            app, ["checklist", str(agreement), "--format", "json", "--today", "2024-01-01"]
        ).stdout
    )["tasks"]
    due = sorted({t["due"] for t in every})
    today = due[len(due) // 2]
    args = ["checklist", str(agreement), "--format", "json", "--today", today]
    tasks = json.loads(runner.invoke(app, args).stdout)["tasks"]
    assert tasks
    for t in tasks:
        assert t["overdue"] == (t["due"] < today and t["status"] != "done"), t


def test_a_notices_workday_counts_in_the_neighbouring_year(
    runner: CliRunner, tmp_path: Path
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "  weekdays: [mon, tue, wed, thu, fri]\n",
        "  weekdays: [mon, tue, wed, thu, fri]\n  notices:\n    - year: 2027\n"
        "      days_off: [{name: 元旦, start: 2027-01-01, end: 2027-01-03}]\n"
        "      workdays: [2026-12-27]\n",
    )
    f = tmp_path / "a.yaml"
    f.write_text(text, encoding="utf-8")
    y2026 = json.loads(runner.invoke(app, ["holidays", "2026", "--json", "-f", str(f)]).stdout)
    assert y2026["source"] == "built-in" and "2026-12-27" in y2026["workdays"]
    y2027 = json.loads(runner.invoke(app, ["holidays", "2027", "--json", "-f", str(f)]).stdout)
    assert y2027["source"] == "notice" and "2026-12-27" not in y2027["workdays"]
    plain = json.loads(runner.invoke(app, ["holidays", "2026", "--json"]).stdout)
    assert "2026-12-27" not in plain["workdays"]


def test_conflicting_notices_for_one_year_are_refused_with_a_location(
    runner: CliRunner, tmp_path: Path
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "  weekdays: [mon, tue, wed, thu, fri]\n",
        "  weekdays: [mon, tue, wed, thu, fri]\n  notices:\n"
        "    - {year: 2027, workdays: [2027-02-14]}\n"
        "    - {year: 2027, days_off: [{name: 春节, start: 2027-02-14, end: 2027-02-14}]}\n",
    )
    f = tmp_path / "a.yaml"
    f.write_text(text, encoding="utf-8")
    line = (
        text.splitlines().index(
            "    - {year: 2027, days_off: [{name: 春节, start: 2027-02-14, end: 2027-02-14}]}"
        )
        + 1
    )
    for command in ("validate", "plan"):
        result = runner.invoke(app, [command, str(f)])
        assert result.exit_code == 2, result.output
        assert f"{f}:{line}:" in result.stderr
        assert "a notice for 2027 is already given" in result.stderr


def test_lead_up_sessions_are_written_into_the_published_dates(
    runner: CliRunner, agreement: Path, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["ics", str(agreement), "-o", str(tmp_path / "out")]).exit_code == 0
    published = (tmp_path / "damo-primary.records.yaml").read_text(encoding="utf-8")
    plan = _plan(runner, agreement)
    lead_ups = [oid for oid, o in plan.items() if "/lead-up-" in oid and not o["provisional"]]
    assert lead_ups
    for oid in lead_ups:
        assert f"  {oid}:\n    published: {plan[oid]['date']}\n" in published, oid
    # a published rehearsal keeps its day when the agreement asks for it a week earlier
    text = agreement.read_text(encoding="utf-8")
    agreement.write_text(text.replace("days_before: 3,", "days_before: 10,"), encoding="utf-8")
    after = _plan(runner, agreement)
    assert {oid: after[oid]["date"] for oid in lead_ups} == {
        oid: plan[oid]["date"] for oid in lead_ups
    }


# --- golden files of what people read (tests/goldenfile.py) ----------------------------------

TODAY = ["--today", "2024-10-10"]
READ = {
    "plan-2024-autumn.txt": ["plan", "--term", "2024-autumn"],
    "calendar-2024-autumn.txt": ["calendar", "--term", "2024-autumn"],
    "checklist-2024-autumn.txt": ["checklist", "--term", "2024-autumn", *TODAY],
    "checklist-2024-autumn.md": ["checklist", "--term", "2024-autumn", *TODAY, "--format", "md"],
    "checklist-2024-autumn.html": [
        "checklist",
        "--term",
        "2024-autumn",
        *TODAY,
        "--format",
        "html",
    ],
    **{
        f"report-2025.{ext}": ["report", "--year", "2025", "--today", "2026-12-01", "--format", fmt]
        for ext, fmt in (("txt", "rich"), ("md", "md"), ("html", "html"), ("json", "json"))
    },
}


@pytest.mark.parametrize("name", sorted(READ))
def test_golden_output(runner: CliRunner, agreement: Path, name: str) -> None:
    """Each view the way a reader gets it, at a fixed width of 120 columns."""
    command, *options = READ[name]
    result = runner.invoke(
        app, [command, str(agreement), *options], env={"COLUMNS": "120", **EPOCH}
    )
    assert result.exit_code == 0, result.output
    compare(name, result.stdout)


@pytest.mark.parametrize("bad", ["a\x85b", "响铃\x07", "\x1b[31m红"])
@pytest.mark.parametrize("option", ["--note", "--cancel"])
def test_record_refuses_text_with_a_control_character(
    runner: CliRunner, agreement: Path, bad: str, option: str
) -> None:
    """A records file could hold it only as an escape its reader refuses (U+0085 would be
    folded into a space): refused at the door, nothing written, every command still works."""
    records = agreement.with_name(agreement.name.replace(".yaml", ".records.yaml"))
    before = records.read_bytes() if records.exists() else None
    occ = "brigade-visit/2025-autumn/1"
    args = ["--done", "--note", bad] if option == "--note" else ["--cancel", bad]
    result = runner.invoke(app, ["--lang", "en", "record", str(agreement), occ, *args])
    assert result.exit_code == 2
    code = f"U+{ord(next(c for c in bad if c in chr(0x85) + chr(7) + chr(0x1B))):04X}"
    assert f"{option}: contains the control character {code}" in result.stderr
    assert (records.read_bytes() if records.exists() else None) == before
    assert runner.invoke(app, ["plan", str(agreement)]).exit_code == 0


def test_main_runs_without_the_collector_and_leaves_everything_frozen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The console command: no collector passes while it runs, none over its objects at exit."""
    seen: list[bool] = []

    def command() -> None:
        seen.append(gc.isenabled())
        sys.exit(3)

    monkeypatch.setattr(cli, "app", command)
    try:
        with pytest.raises(SystemExit) as stopped:
            cli.main()
        assert stopped.value.code == 3
        assert seen == [False]
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
