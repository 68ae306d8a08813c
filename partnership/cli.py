"""The command line: parse options, call the core, render, and turn errors into exit codes.

Every command runs inside :class:`_Group.invoke`, the one place where the
project's own errors become ``FILE:LINE:COLUMN`` messages and exit status 2, and
any other exception becomes a one-line "this is a bug" message and status 70.
Heavy modules are imported inside the commands so ``--help`` stays quick.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn

import typer
import typer.core

from partnership import __version__
from partnership.messages import t

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

    from rich.console import Console, RenderableType

    from partnership.model import Agreement, TimeRange
    from partnership.plan import Plan
    from partnership.records import Records
    from partnership.schoolcalendar import SchoolCalendar
    from partnership.yamlsource import Document

EXIT_INCOMPLETE = 1
EXIT_INPUT = 2
EXIT_BUG = 70
DEBUG_ENV = "PARTNERSHIP_DEBUG"


class _Group(typer.core.TyperGroup):
    """Runs a command and translates errors, once, for every command."""

    def invoke(self, ctx: Any) -> Any:  # typer's (vendored) click Context
        from partnership.errors import InputError, PartnershipError

        try:
            return super().invoke(ctx)
        except InputError as exc:
            for problem in exc.problems:
                typer.echo(str(problem), err=True)
            ctx.exit(EXIT_INPUT)
        except PartnershipError as exc:
            typer.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:
            if _debug(ctx):
                raise
            # the disk, not the program: full, read-only, permissions; nothing was changed
            where = f"{exc.filename}: " if exc.filename else ""
            typer.echo(f"error: {where}{exc.strerror or exc} (nothing was changed)", err=True)
            ctx.exit(EXIT_INPUT)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # typer's own: --help, usage errors, exit codes
        except Exception as exc:
            if _debug(ctx):
                raise
            typer.echo(
                f"internal error (this is a bug in partnership {__version__}): "
                f"{type(exc).__name__}: {exc}. Run again with --debug or {DEBUG_ENV}=1 "
                "for the full traceback, and report it.",
                err=True,
            )
            ctx.exit(EXIT_BUG)


def _debug(ctx: Any) -> bool:
    root = ctx.find_root()
    return bool(root.params.get("debug")) or os.environ.get(DEBUG_ENV, "") not in ("", "0")


app = typer.Typer(
    cls=_Group,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    help="Turn a school–fire-brigade partnership agreement into dated term plans, "
    "calendars (.ics, HTML), checklists and reports.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"partnership {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option("--debug", help=f"Show tracebacks of internal errors (or {DEBUG_ENV}=1)."),
    ] = False,
) -> None:
    """partnership: school–fire-brigade partnership plans."""


# --------------------------------------------------------------------------- helpers


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _print(renderable: RenderableType) -> None:
    _console().print(renderable)


def _fail(message: str) -> NoReturn:
    from partnership.errors import UsageError

    raise UsageError(message)


def _load(path: Path) -> Agreement:
    from partnership.loader import load_agreement

    return load_agreement(path)


def _records(
    path: Path, agreement: Agreement, mend: str | None = None
) -> tuple[Records, Document | None]:
    """The records beside ``path``; dates outside the agreement are located errors.

    ``mend``: the occurrence a `record` command is about to change — its bad dates are
    set aside, so the command that would undo a mistake still works.
    """
    from partnership import records as rec
    from partnership.errors import InputError

    records, doc = rec.read_records(rec.records_path(path))
    if mend is not None:
        records = rec.mend(records, mend, agreement)
    problems = rec.date_problems(records, doc, agreement, str(path))
    if problems:
        raise InputError(problems)
    return records, doc


def _plan(path: Path, mend: str | None = None) -> tuple[Agreement, SchoolCalendar, Records, Plan]:
    from partnership.placement import place
    from partnership.records import unknown_ids
    from partnership.schoolcalendar import SchoolCalendar

    agreement = _load(path)
    calendar = SchoolCalendar(agreement)
    records, doc = _records(path, agreement, mend)
    p = place(agreement, calendar, records)
    for warning in unknown_ids(records, doc, _occurrence_ids(p), None):
        typer.echo(str(warning), err=True)
    return agreement, calendar, records, p


def _occurrence_ids(p: Plan) -> list[str]:
    return [o.id for o in p.occurrences] + [u.id for u in p.unplaced]


def _check_term(agreement: Agreement, term: str | None) -> None:
    if term is None:
        return
    known = [t.id for t in agreement.calendar.terms]
    _check_known("term", term, known, f"terms: {', '.join(known)}")


def _date(value: str | None, option: str) -> dt.date:
    """The date an option names (today when it is not given); a usage error if malformed."""
    from partnership.model import DATE_YEARS

    if value is None:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"{option} {value!r}: write the date as YYYY-MM-DD")
    if not DATE_YEARS[0] <= day.year <= DATE_YEARS[1]:
        _fail(
            t(
                "hardening.option_date_years",
                option=option,
                date=day,
                first=DATE_YEARS[0],
                last=DATE_YEARS[1],
            )
        )
    return day


def _report_unplaced(plan: Plan) -> None:
    err = _console(stderr=True)
    for u in plan.unplaced:
        # one line each, however long: scripts grep these lines (soft_wrap: no wrapping)
        err.print(f"[red]unplaced[/red] {u.id}: {u.reason}", markup=True, soft_wrap=True)


# the choices of options (typer checks them and lists them in --help)
Fmt = Literal["rich", "html"]
DocFmt = Literal["rich", "md", "html", "json"]
OwnerOpt = Literal["school", "brigade"]
AudienceOpt = Literal["teachers", "students", "parents", "brigade"]


FileArg = Annotated[
    # no dir_okay=False: a folder gets the one-line `FILE: message` of every input error
    Path, typer.Argument(help="The agreement file (YAML).", show_default=False)
]
TermOpt = Annotated[str | None, typer.Option("--term", help="Only this term (its id).")]


# --------------------------------------------------------------------------- commands


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter agreement.")] = Path(
        "schedules/agreement.yaml"
    ),
) -> None:
    """Write a commented starter agreement (refuses to overwrite an existing file)."""
    from importlib.resources import files

    from partnership.fsio import atomic_write, prepare_output_dir

    if path.exists():
        _fail(f"{path}: already exists; choose another path (nothing was written)")
    data = files("partnership").joinpath("templates/starter.yaml").read_bytes()
    prepare_output_dir(path.parent)
    atomic_write(path, data)
    typer.echo(f"wrote {path}; edit it, then run: partnership validate {path}")


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Agreement files to check.")],
) -> None:
    """Check agreement files: a one-line OK per file, or every problem found."""
    from partnership.errors import InputError
    from partnership.loader import load_agreement

    problems = []
    for f in files:
        try:
            a = load_agreement(f)
            _check_records(f, a)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        typer.echo(f"{f}: OK ({a.agreement.id}, {len(a.commitments)} commitments)")
    if problems:
        raise InputError(problems)


def _check_records(path: Path, agreement: Agreement) -> None:
    """Errors in the records file beside ``path``; warnings for records of unknown ids."""
    from partnership.checklist import build_checklist
    from partnership.placement import place
    from partnership.records import unknown_ids
    from partnership.schoolcalendar import SchoolCalendar

    records, doc = _records(path, agreement)
    if doc is None:
        return
    calendar = SchoolCalendar(agreement)
    p = place(agreement, calendar, records)
    tasks = [task.id for task in build_checklist(p, calendar, records, dt.date.today())]
    for warning in unknown_ids(records, doc, _occurrence_ids(p), tasks):
        typer.echo(str(warning), err=True)


@app.command()
def holidays(
    year: Annotated[int, typer.Argument(help="The year, e.g. 2025.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    file: Annotated[
        Path | None,
        typer.Option("--file", "-f", help="Use this agreement's calendar.notices too."),
    ] = None,
) -> None:
    """The days off and make-up workdays of YEAR, and where they come from."""
    from partnership.holidays import official_year

    notices = _load(file).calendar.notices if file is not None else []
    o = official_year(year, notices)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "year": o.year,
                    "source": o.source,
                    "days_off": [{"name": n, "date": d.isoformat()} for d, n in o.days_off],
                    "workdays": [d.isoformat() for d, _ in o.workdays],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    from rich.table import Table

    from partnership.i18n import weekday

    source = {
        "built-in": "built-in (国务院办公厅通知, chinesecalendar)",
        "notice": "notice (calendar.notices)",
        "provisional": "PROVISIONAL — statutory days of the 2025 rules; no 调休 known yet",
        "none": "none",
    }[o.source]
    table = Table(title=f"{year} · {source}")
    table.add_column("日期")
    table.add_column("星期")
    table.add_column("")
    table.add_column("节日")
    rows = [(d, "放假", n) for d, n in o.days_off] + [(d, "调休上班", n) for d, n in o.workdays]
    for d, kind, name in sorted(rows):
        table.add_row(d.isoformat(), weekday(d, "zh-CN"), kind, name)
    _print(table)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the agreement file (for editor completion)."""
    from partnership.model import Agreement

    body = Agreement.model_json_schema()
    out = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "partnership agreement (version 1)",
        **{k: v for k, v in body.items() if k != "title"},
    }
    typer.echo(json.dumps(out, ensure_ascii=False, indent=2, sort_keys=True))


@app.command()
def plan(
    file: FileArg,
    term: TermOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """The placed activities with date, time, place and why this date; unplaced ones with why."""
    from partnership.plan_views import plan_json, render_plan

    agreement, _, _, p = _plan(file)
    _check_term(agreement, term)
    if as_json:
        typer.echo(json.dumps(plan_json(p, term), ensure_ascii=False, indent=2))
    else:
        _print(render_plan(p, term))
    if not p.complete:
        raise typer.Exit(EXIT_INCOMPLETE)


@app.command()
def calendar(
    file: FileArg,
    term: TermOpt = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="rich (terminal) or html.")] = "rich",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the HTML page here.")
    ] = None,
) -> None:
    """The term calendar (校历 grid): weeks × Mon..Sun with activities, holidays and closures."""
    from partnership.grid import build_grid

    agreement, cal, _, p = _plan(file)
    _check_term(agreement, term)
    terms = [t.id for t in cal.terms if term is None or t.id == term]
    grids = [build_grid(p, cal, t) for t in terms]
    if fmt == "rich":
        from rich.console import Group

        from partnership.calendar_rich import render_rich

        _emit_renderable(Group(*(render_rich(g) for g in grids)), output)
    else:
        from partnership.calendar_html import render_html
        from partnership.fsio import atomic_write, prepare_output_dir

        page = render_html(grids, agreement.agreement.title).encode("utf-8")
        if output is None:
            sys.stdout.buffer.write(page)
            sys.stdout.flush()
        else:
            if output.is_dir():
                output = output / f"{agreement.agreement.id}{'-' + term if term else ''}.html"
            prepare_output_dir(output.parent)
            atomic_write(output, page)
            typer.echo(t("cli.wrote", path=output))
    if not p.complete:
        _report_unplaced(p)
        raise typer.Exit(EXIT_INCOMPLETE)


def _ics_files(
    p: Plan, cal: SchoolCalendar, records: Records, term: str | None, audience: str | None
) -> dict[str, bytes]:
    from partnership.checklist import build_checklist, prep_lines
    from partnership.ics import dtstamp_now, ics_filename, render_ics

    a = p.agreement
    stamp = dtstamp_now(os.environ)
    tasks = build_checklist(p, cal, records, dt.date.today())
    prep = {o.id: prep_lines(tasks, o.id, a.agreement.language) for o in p.occurrences}
    files: dict[str, bytes] = {}
    events: dict[str, bytes] = {}  # each VEVENT serialised once
    terms = [t.id for t in cal.terms if term is None or t.id == term]
    for term_id in terms:
        files[ics_filename(a.agreement.id, term_id, audience)] = render_ics(
            p, term=term_id, audience=audience, dtstamp=stamp, prep=prep, events=events
        )
    if term is None:
        files[ics_filename(a.agreement.id, None, audience)] = render_ics(
            p, term=None, audience=audience, dtstamp=stamp, prep=prep, events=events
        )
    return files


def _refuse_incomplete(p: Plan, allow: bool) -> None:
    if p.complete or allow:
        return
    _report_unplaced(p)
    typer.echo(
        "the plan is incomplete: nothing was written (fix the agreement, or pass "
        "--allow-incomplete to write the rest)",
        err=True,
    )
    raise typer.Exit(EXIT_INCOMPLETE)


def _write_and_publish(
    output: Path, chunks: Iterable[Mapping[str, bytes]], published: Sequence[tuple[Path, Plan]]
) -> list[Path]:
    """Write the files into ``output`` and remember what each plan published, all-or-nothing.

    The records files stay locked meanwhile and join the same batch of renames, so a
    failure anywhere leaves every output and records file as it was. Each chunk of
    files is staged on disk as soon as it is made, so memory holds one at a time.
    """
    from contextlib import ExitStack

    from partnership import records as rec
    from partnership.fsio import Batch, stage_files

    with ExitStack() as stack:
        for path in sorted({rec.real_path(rec.records_path(f)) for f, _ in published}):
            stack.enter_context(rec.lock(path))
        batch = stack.enter_context(Batch())
        written = [path for files in chunks for path in stage_files(batch, output, files)]
        for f, p in published:
            path = rec.writable(rec.records_path(f))
            old = rec.load_records(path)
            new = rec.publish(old, p)
            if new != old:
                batch.add(path, rec.dump_records(new))
        batch.commit()
    return written


AllowOpt = Annotated[
    bool,
    typer.Option("--allow-incomplete", help="Write the files even when something is unplaced."),
]


@app.command()
def ics(
    file: FileArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder.")],
    term: TermOpt = None,
    audience: Annotated[
        AudienceOpt | None, typer.Option("--audience", help="Only what concerns this audience.")
    ] = None,
    allow_incomplete: AllowOpt = False,
) -> None:
    """Write .ics files: one per term and one for the whole agreement."""
    from partnership.fsio import prepare_output_dir

    agreement, cal, records, p = _plan(file)
    _check_term(agreement, term)
    prepare_output_dir(output, create=False)  # made with the files: a failure leaves none
    _refuse_incomplete(p, allow_incomplete)
    files = _ics_files(p, cal, records, term, audience)
    for path in _write_and_publish(output, [files], [(file, p)]):
        typer.echo(t("cli.wrote", path=path))
    if not p.complete:
        raise typer.Exit(EXIT_INCOMPLETE)


@app.command()
def checklist(
    file: FileArg,
    term: TermOpt = None,
    owner: Annotated[
        OwnerOpt | None, typer.Option("--owner", help="Only this owner's tasks.")
    ] = None,
    today: Annotated[
        str | None, typer.Option("--today", help="Today's date (YYYY-MM-DD); default today.")
    ] = None,
    weeks: Annotated[
        int | None,
        typer.Option("--weeks", min=0, max=520, help="Only tasks due in the coming N weeks."),
    ] = None,
    fmt: Annotated[DocFmt, typer.Option("--format", help="rich, md, html or json.")] = "rich",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead.")
    ] = None,
) -> None:
    """Preparation and follow-up tasks with due dates, owners and status; overdue ones marked."""
    from partnership import checklist as cl

    agreement, cal, records, p = _plan(file)
    _check_term(agreement, term)
    day = _date(today, "--today")
    tasks = cl.select(
        cl.build_checklist(p, cal, records, day),
        today=day,
        term=term,
        owner=owner,
        weeks=weeks,
    )
    lang = agreement.agreement.language
    if fmt == "rich":
        _emit_renderable(cl.render_rich(tasks, p, today=day, language=lang), output)
    elif fmt == "md":
        _emit_text(cl.render_markdown(tasks, p, today=day, language=lang), output)
    elif fmt == "html":
        _emit_text(cl.render_html(tasks, p, today=day, language=lang), output)
    else:
        _emit_text(json.dumps(cl.to_json(tasks), ensure_ascii=False, indent=2) + "\n", output)


def _emit_text(text: str, output: Path | None) -> None:
    from partnership.fsio import atomic_write, prepare_output_dir

    if output is None:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return
    if output.is_dir():
        _fail(f"{output}: is a folder; give a file name for -o")
    prepare_output_dir(output.parent)
    atomic_write(output, text.encode("utf-8"))
    typer.echo(t("cli.wrote", path=output))


def _emit_renderable(renderable: RenderableType, output: Path | None) -> None:
    if output is None:
        _print(renderable)
        return
    import io

    from rich.console import Console

    console = Console(record=True, width=120, file=io.StringIO())
    console.print(renderable)
    _emit_text(console.export_text(), output)


def _known_occurrence(p: Plan, occurrence: str) -> None:
    known = _occurrence_ids(p)
    _check_known("occurrence", occurrence, known, "see `partnership plan FILE` for the ids")


def _check_known(kind: str, value: str, known: Sequence[str], where: str) -> None:
    """A usage error for an id the agreement does not have, with the closest one."""
    if value in known:
        return
    from partnership.model import suggest

    hint = suggest(value, known)
    _fail(
        f"unknown {kind} {value!r}" + (f"; did you mean {hint!r}?" if hint else "") + f" ({where})"
    )


def _time_range(value: str) -> TimeRange:
    from pydantic import ValidationError

    from partnership.model import TimeRange

    start, sep, end = value.partition("-")
    if not sep:
        _fail(f"--time {value!r}: write HH:MM-HH:MM, e.g. 14:00-16:30")
    try:
        return TimeRange.model_validate({"start": start.strip(), "end": end.strip()})
    except ValidationError as exc:
        _fail(f"--time {value!r}: {exc.errors()[0]['msg'].removeprefix('Value error, ')}")


@app.command()
def record(
    file: FileArg,
    occurrence: Annotated[str, typer.Argument(help="The occurrence id (see `plan`).")],
    done: Annotated[bool, typer.Option("--done", help="It took place.")] = False,
    note: Annotated[str | None, typer.Option("--note", help="A note (with --done).")] = None,
    cancel: Annotated[
        str | None, typer.Option("--cancel", metavar="REASON", help="It was cancelled, and why.")
    ] = None,
    move: Annotated[
        str | None, typer.Option("--move", metavar="DATE", help="It moves to DATE (YYYY-MM-DD).")
    ] = None,
    time: Annotated[
        str | None, typer.Option("--time", metavar="HH:MM-HH:MM", help="New time (with --move).")
    ] = None,
) -> None:
    """Record what happened: done (with a note), cancelled (with a reason) or moved."""
    from partnership import records as rec

    chosen = [name for name, on in (("--done", done), ("--cancel", cancel), ("--move", move)) if on]
    if len(chosen) != 1:
        _fail("give exactly one of --done, --cancel REASON or --move DATE")
    if note is not None and not done:
        _fail("--note goes with --done")
    if time is not None and move is None:
        _fail("--time goes with --move")
    agreement, cal, _, p = _plan(file, mend=occurrence)
    _known_occurrence(p, occurrence)
    path = rec.records_path(file)

    def mended(r: Records) -> Records:
        return rec.mend(r, occurrence, agreement)

    if done:
        rec.update_records(path, lambda r: rec.record_done(mended(r), occurrence, note))
    elif cancel is not None:
        if not cancel.strip():
            _fail("--cancel needs a reason")
        rec.update_records(path, lambda r: rec.record_cancel(mended(r), occurrence, cancel))
    else:
        assert move is not None
        day = _date(move, "--move")
        info = agreement.agreement
        if not info.start <= day <= info.end:
            _fail(t("hardening.move_outside", date=day, start=info.start, end=info.end))
        _warn_if_not_open(cal, day)
        span = _time_range(time) if time is not None else None
        rec.update_records(path, lambda r: rec.record_move(mended(r), occurrence, day, span))
    typer.echo(f"recorded {chosen[0].lstrip('-')} for {occurrence} in {path}")


def _warn_if_not_open(cal: SchoolCalendar, day: dt.date) -> None:
    """A move is the admin's decision; still say when the new day is no ordinary school day."""
    from partnership.errors import PartnershipError

    try:
        info = cal.day(day)
    except PartnershipError:
        return
    why = [
        *([f"{info.holiday} (day off)"] if info.official == "off" else []),
        *info.closures,
        *([] if info.term else ["outside every term"]),
        *(
            []
            if info.school_day or info.official == "off" or not info.term
            else ["not a school day"]
        ),
    ]
    if why:
        typer.echo(f"warning: {day} is {', '.join(why)}; recorded as asked", err=True)


@app.command()
def tick(
    file: FileArg,
    task: Annotated[str, typer.Argument(help="The task id (see `checklist`).")],
    undo: Annotated[bool, typer.Option("--undo", help="Untick the task.")] = False,
) -> None:
    """Tick a checklist task (or untick it with --undo)."""
    from partnership import records as rec
    from partnership.checklist import build_checklist

    _, cal, records, p = _plan(file)
    today = dt.date.today()
    known = [t.id for t in build_checklist(p, cal, records, today)]
    _check_known("task", task, known, "see `partnership checklist FILE` for the ids")
    path = rec.records_path(file)
    rec.update_records(path, lambda r: rec.tick(r, task, today, undo=undo))
    typer.echo(f"{'unticked' if undo else 'ticked'} {task} in {path}")


@app.command()
def report(
    file: FileArg,
    year: Annotated[
        int | None, typer.Option("--year", help="The yearly plan and year-end summary of YEAR.")
    ] = None,
    fmt: Annotated[DocFmt, typer.Option("--format", help="rich, md, html or json.")] = "rich",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead.")
    ] = None,
) -> None:
    """The fulfilment report: required / placed / done / cancelled / pending, and per programme."""
    from partnership import report as rp

    _, _, records, p = _plan(file)
    r = rp.build_report(p, records, year)
    if fmt == "rich":
        _emit_renderable(rp.render_rich(r), output)
    elif fmt == "md":
        _emit_text(rp.render_markdown(r), output)
    elif fmt == "html":
        _emit_text(rp.render_html(r), output)
    else:
        _emit_text(json.dumps(rp.to_json(r), ensure_ascii=False, indent=2) + "\n", output)


@app.command()
def build(
    files: Annotated[list[Path], typer.Argument(help="Agreement files.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Output folder (one subfolder per agreement).")
    ] = Path("calendars"),
    allow_incomplete: AllowOpt = False,
) -> None:
    """Everything for each agreement: .ics files, term calendars, checklists and report."""
    from partnership.build import build_outputs, summary
    from partnership.fsio import prepare_output_dir

    prepare_output_dir(output, create=False)  # made with the files: a failure leaves none
    loaded = [(f, *_plan(f)) for f in files]
    first: dict[str, Path] = {}
    for f, a, *_ in loaded:
        aid = a.agreement.id
        if aid in first:
            _fail(f"{f}: agreement id {aid!r} is already used by {first[aid]} (one folder each)")
        first[aid] = f
    for _, _, _, _, p in loaded:
        _refuse_incomplete(p, allow_incomplete)
    progress = _progress(len(loaded) + sum(len(a.calendar.terms) for _, a, *_ in loaded) > 2)

    def rendered() -> Iterator[dict[str, bytes]]:
        with progress as bar:
            task = bar.add_task("building", total=len(loaded))
            for _, agreement, cal, records, p in loaded:
                bar.update(task, description=agreement.agreement.id)
                out = build_outputs(p, cal, records, os.environ)
                yield {f"{agreement.agreement.id}/{name}": data for name, data in out.items()}
                bar.advance(task)

    # one batch for every agreement: the whole build is all-or-nothing
    written = _write_and_publish(output, rendered(), [(f, p) for f, _, _, _, p in loaded])
    by_folder: dict[Path, list[Path]] = {}
    for w in written:
        by_folder.setdefault(w.parent, []).append(w)
    results = [
        (agreement, p, by_folder.get(output / agreement.agreement.id, []))
        for _, agreement, _, _, p in loaded
    ]
    _print(summary(results))
    if any(not p.complete for _, p, _ in results):
        raise typer.Exit(EXIT_INCOMPLETE)


def _progress(wanted: bool) -> Any:
    """A progress bar on a terminal for long work; otherwise a silent stand-in (no import)."""
    console = _console(stderr=True)
    if wanted and console.is_terminal:
        from rich.progress import Progress

        return Progress(console=console, transient=True)
    return _NoProgress()


class _NoProgress:
    """What `build` uses when no bar is shown: the calls of rich's Progress, doing nothing."""

    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, description: str, total: float | None = None) -> int:
        return 0

    def update(self, task: int, description: str | None = None) -> None:
        return None

    def advance(self, task: int) -> None:
        return None


def main() -> None:
    """Console-script entry point."""
    app()
