"""The command line: parse options, call the core, render, and turn errors into exit codes.

Every command runs inside :class:`_Group.invoke`, the one place where the
project's own errors become ``FILE:LINE:COLUMN`` messages and exit status 2, and
any other exception becomes a one-line "this is a bug" message and status 70.
Heavy modules are imported inside the commands so ``--help`` stays quick.
"""

import datetime as dt
import gc
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn, cast, get_args

import typer
import typer.core
from typer._click import exceptions as click_exc

from partnership import __version__
from partnership.messages import t

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from partnership.checklist_templates import Templates
    from partnership.district.planner import SchoolPlan
    from partnership.model import Agreement, TimeRange
    from partnership.plan import Plan
    from partnership.records import Records
    from partnership.schoolcalendar import SchoolCalendar
    from partnership.yamlsource import Document

EXIT_INCOMPLETE = 1
EXIT_INPUT = 2
EXIT_BUG = 70
DEBUG_ENV = "PARTNERSHIP_DEBUG"
LangOpt = Literal["zh-CN", "en"]


class _Group(typer.core.TyperGroup):
    """Runs a command and translates errors, once, for every command."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        """Choose the language and make the console safe before click parses anything."""
        from partnership import clitext, console
        from partnership.messages import set_language, system_language

        words = sys.argv[1:] if args is None else list(args)
        set_language(clitext.chosen_language(words) or system_language())
        console.degrade_streams()
        clitext.translate_tree(self)
        if clitext.wants_help(words):
            clitext.translate_rich_help()
        try:
            return super().main(args, *rest, **extra)
        finally:
            set_language(None)

    def make_context(self, *args: Any, **extra: Any) -> Any:
        try:
            return super().make_context(*args, **extra)
        except click_exc.UsageError as exc:
            raise _usage_error(exc) from exc

    def invoke(self, ctx: Any) -> Any:  # typer's (vendored) click Context
        from partnership.errors import InputError, PartnershipError

        try:
            return super().invoke(ctx)
        except InputError as exc:
            for problem in exc.problems:
                _say(str(problem), err=True)
            ctx.exit(EXIT_INPUT)
        except PartnershipError as exc:
            _say(t("cli.error", message=exc), err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            _reader_gone()
            ctx.exit(0)
        except OSError as exc:
            if _debug(ctx):
                raise
            # the disk, not the program: full, read-only, permissions; nothing was changed
            where = f"{exc.filename}: " if exc.filename else ""
            _say(t("cli.os_error", where=where, problem=exc.strerror or exc), err=True)
            ctx.exit(EXIT_INPUT)
        except click_exc.UsageError as exc:
            raise _usage_error(exc) from exc
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # typer's own: --help, usage errors, exit codes
        except Exception as exc:
            if _debug(ctx):
                raise
            _say(
                t(
                    "cli.bug",
                    version=__version__,
                    error=f"{type(exc).__name__}: {exc}",
                    env=DEBUG_ENV,
                ),
                err=True,
            )
            ctx.exit(EXIT_BUG)


def _reader_gone() -> None:
    """The reader of our pipe (``| head``) has left: say nothing more, to nobody."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _usage_error(exc: click_exc.UsageError) -> click_exc.UsageError:
    """click's usage error in the user's language, shown in typer's translated panel."""
    from partnership import clitext

    clitext.translate_rich_help()
    return clitext.usage_error(exc)


def _say(message: object, err: bool = False) -> None:
    """One line to stdout (or stderr) in the stream's own encoding, degraded where needed.

    Not ``typer.echo``: click writes UTF-8 to a stream it thinks misconfigured (ASCII).
    """
    stream = sys.stderr if err else sys.stdout
    stream.write(f"{message}\n")
    stream.flush()


def _debug(ctx: Any) -> bool:
    root = ctx.find_root()
    return bool(root.params.get("debug")) or os.environ.get(DEBUG_ENV, "") not in ("", "0")


app = typer.Typer(
    cls=_Group,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="cli.help.app",
)


def _version(value: bool) -> None:
    if value:
        _say(f"partnership {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="cli.help.version"),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="cli.help.debug")] = False,
    lang: Annotated[
        LangOpt | None, typer.Option("--lang", help="cli.help.lang", show_default=False)
    ] = None,
) -> None:
    """partnership: school–fire-brigade partnership plans."""


# --------------------------------------------------------------------------- helpers


def _console(stderr: bool = False) -> "Console":
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _print(renderable: "RenderableType") -> None:
    _console().print(renderable)


def _fail(message: str) -> NoReturn:
    from partnership.errors import UsageError

    raise UsageError(message)


def _load(path: Path) -> "Agreement":
    from partnership.inputs import is_records_file
    from partnership.loader import load_agreement

    if is_records_file(path):
        agreement = path.with_name(path.name.replace(".records.", ".", 1))
        _fail(t("cli.records_given", file=path, agreement=agreement))
    return load_agreement(path)


def _records(
    path: Path, agreement: "Agreement", mend: str | None = None
) -> "tuple[Records, Document | None]":
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


def _plan(path: Path, mend: str | None = None) -> "tuple[Agreement, SchoolCalendar, Records, Plan]":
    from partnership.placement import place
    from partnership.records import unknown_ids
    from partnership.schoolcalendar import SchoolCalendar

    agreement = _load(path)
    calendar = SchoolCalendar(agreement)
    records, doc = _records(path, agreement, mend)
    plan = place(agreement, calendar, records)
    for warning in unknown_ids(records, doc, _occurrence_ids(plan), None):
        _say(str(warning), err=True)
    _warn_moved_onto_days_off(plan, records)
    return agreement, calendar, records, plan


def _occurrence_ids(p: "Plan") -> list[str]:
    return [o.id for o in p.occurrences] + [u.id for u in p.unplaced]


def _warn_moved_onto_days_off(plan: "Plan", records: "Records") -> None:
    """A move in the records file (perhaps hand-edited) onto a day off warns like --move."""
    for n in plan.notices:
        rec = records.occurrences.get(n.occurrence)
        if n.kind == "given-day-off" and rec is not None and rec.status == "moved":
            _say(t("calendar.warning", message=n.message), err=True)


def _check_term(agreement: "Agreement", term: str | None) -> None:
    if term is None:
        return
    known = [t.id for t in agreement.calendar.terms]
    _check_known("term", term, known, t("cli.known.terms", terms=", ".join(known)))


def _date(value: str | None, option: str) -> dt.date:
    """The date an option names (today when it is not given); a usage error if malformed."""
    from partnership.model import DATE_YEARS

    if value is None:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        _fail(t("cli.bad_date", option=option, value=repr(value)))
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


def _report_unplaced(plan: "Plan") -> None:
    from rich.text import Text

    err = _console(stderr=True)
    for u in plan.unplaced:
        # one line each, however long: scripts grep these lines (soft_wrap: no wrapping)
        err.print(Text(t("cli.unplaced", id=u.id, reason=u.reason), style="red"), soft_wrap=True)


# the choices of options (typer checks them and lists them in --help)
Fmt = Literal["rich", "html"]
DocFmt = Literal["rich", "md", "html", "json", "xlsx"]
PlanFmt = Literal["rich", "json", "xlsx"]
OwnerOpt = Literal["school", "brigade"]
AudienceOpt = Literal["teachers", "students", "parents", "brigade"]


# no dir_okay=False: a folder gets the one-line `FILE: message` of every input error
FileArg = Annotated[Path, typer.Argument(help="cli.help.file", show_default=False)]
TermOpt = Annotated[str | None, typer.Option("--term", help="cli.help.term")]


# --------------------------------------------------------------------------- commands


@app.command(help="cli.help.init")
def init(
    path: Annotated[Path, typer.Argument(help="cli.help.init.path")] = Path(
        "schedules/agreement.yaml"
    ),
    agreement_id: Annotated[
        str | None, typer.Option("--id", metavar="ID", help="cli.help.init.id")
    ] = None,
) -> None:
    """Write a commented starter agreement (refuses to overwrite an existing file)."""
    from partnership.fsio import atomic_write, prepare_output_dir
    from partnership.model import SLUG_RE
    from partnership.starter import PLACEHOLDER, derived_id, starter_yaml

    if path.exists():
        _fail(t("cli.init.exists", path=path))
    aid = agreement_id if agreement_id is not None else derived_id(path)
    if aid is None:
        _fail(t("cli.init.no_id", name=path.name))
    if not SLUG_RE.fullmatch(aid):
        _fail(t("cli.init.bad_id", id=repr(aid)))
    prepare_output_dir(path.parent)
    atomic_write(path, starter_yaml(aid))
    _say(t("cli.init.wrote", path=path, id=aid, mark=PLACEHOLDER))


@app.command(help="cli.help.validate")
def validate(
    files: Annotated[list[Path], typer.Argument(help="cli.help.validate.files")],
) -> None:
    """Check agreement files: a one-line OK per file, or every problem found."""
    from partnership.errors import InputError, Problem
    from partnership.loader import load_agreement

    problems = []
    first: dict[str, Path] = {}
    for f in _agreement_files(files):
        try:
            a = load_agreement(f)
            _templates(f, a)
            _check_records(f, a)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        aid = a.agreement.id
        if aid in first:
            problems.append(Problem(str(f), None, None, _id_taken(aid, first[aid])))
            continue
        first[aid] = f
        _calendar_warnings(f, a)
        _say(t("cli.validate.ok", file=f, id=aid, count=len(a.commitments)))
    if problems:
        raise InputError(problems)


def _check_records(path: Path, agreement: "Agreement") -> None:
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
    tasks = [
        task.id
        for task in build_checklist(
            p, calendar, records, dt.date.today(), _templates(path, agreement)
        )
    ]
    for warning in unknown_ids(records, doc, _occurrence_ids(p), tasks):
        _say(str(warning), err=True)


def _calendar_warnings(path: Path, agreement: "Agreement") -> None:
    """Kept-but-surprising calendar facts of a valid agreement, each at its key (stderr)."""
    from partnership.calendar_checks import warnings
    from partnership.loader import read_limited
    from partnership.schoolcalendar import SchoolCalendar
    from partnership.yamlsource import parse_yaml

    found = warnings(agreement, SchoolCalendar(agreement))
    if found:
        doc = parse_yaml(read_limited(path), str(path))
        for where, message in found:
            _say(str(doc.problem(where, t("calendar.warning", message=message))), err=True)


def _agreement_files(files: Sequence[Path]) -> list[Path]:
    """The agreements among ``files``; a records file among them is skipped with a note."""
    from partnership.inputs import split_records

    agreements, records = split_records(files)
    for f in records:
        _say(t("cli.skip_records", file=f), err=True)
    if not agreements:
        _fail(t("cli.no_agreements"))
    return agreements


def _id_taken(aid: str, first: Path) -> str:
    return t("cli.id_taken", id=repr(aid), first=first)


@app.command(help="cli.help.holidays")
def holidays(
    year: Annotated[int, typer.Argument(help="cli.help.holidays.year")],
    as_json: Annotated[bool, typer.Option("--json", help="cli.help.json")] = False,
    file: Annotated[
        Path | None,
        typer.Option("--file", "-f", help="cli.help.holidays.file"),
    ] = None,
) -> None:
    """The days off and make-up workdays of YEAR, and where they come from."""
    from partnership.holidays import official_year

    notices = _load(file).calendar.notices if file is not None else []
    o = official_year(year, notices)
    if as_json:
        _write_stdout(
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
            + "\n"
        )
        return
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from partnership.i18n import weekday
    from partnership.messages import language

    source = t(f"cli.holidays.source.{o.source.replace('-', '_')}")
    table = Table(title=str(year))
    table.add_column(t("cli.holidays.date"), no_wrap=True)
    table.add_column(t("cli.holidays.weekday"), no_wrap=True)
    table.add_column(t("cli.holidays.kind"), no_wrap=True)
    table.add_column(t("cli.holidays.name"))
    rows = [(d, t("cli.holidays.off"), n) for d, n in o.days_off] + [
        (d, t("cli.holidays.workday"), n) for d, n in o.workdays
    ]
    for d, kind, name in sorted(rows):
        table.add_row(d.isoformat(), weekday(d, language()), kind, name)
    _print(Group(Text(t("cli.holidays.source", year=year, source=source)), table))


@app.command(help="cli.help.schema")
def schema() -> None:
    """Print the JSON Schema of the agreement file (for editor completion)."""
    from partnership.model import Agreement

    body = Agreement.model_json_schema()
    out = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "partnership agreement (version 1)",
        **{k: v for k, v in body.items() if k != "title"},
    }
    _write_stdout(json.dumps(out, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


@app.command(help="cli.help.plan")
def plan(
    file: FileArg,
    term: TermOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="cli.help.json")] = False,
    fmt: Annotated[
        PlanFmt | None, typer.Option("--format", help="outputs.help.plan_format")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="outputs.help.plan_output")
    ] = None,
) -> None:
    """The placed activities with date, time, place and why this date; unplaced ones with why."""
    from partnership.views.plan_views import plan_json, render_plan

    agreement, _, _, p = _plan(file)
    _check_term(agreement, term)
    chosen = _output_format(_json_flag(as_json, fmt), output, get_args(PlanFmt))
    if chosen == "xlsx":
        import dataclasses

        from partnership.views.plan import sheets

        _emit_xlsx(sheets(dataclasses.replace(p, occurrences=p.for_term(term))), output)
    elif chosen == "json":
        _emit_text(json.dumps(plan_json(p, term), ensure_ascii=False, indent=2) + "\n", output)
    else:
        _emit_renderable(render_plan(p, term), output)
    if not p.complete:
        raise typer.Exit(EXIT_INCOMPLETE)


@app.command(help="cli.help.calendar")
def calendar(
    file: FileArg,
    term: TermOpt = None,
    fmt: Annotated[
        Fmt | None, typer.Option("--format", help="cli.help.calendar.format", show_default=False)
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="cli.help.calendar.output")
    ] = None,
) -> None:
    """The term calendar (校历 grid): weeks × Mon..Sun with activities, holidays and closures."""
    from partnership.views.grid import build_grid

    fmt = cast(Fmt, _output_format(fmt, output, get_args(Fmt)))
    agreement, cal, _, p = _plan(file)
    _check_term(agreement, term)
    terms = [t.id for t in cal.terms if term is None or t.id == term]
    grids = [build_grid(p, cal, t) for t in terms]
    if fmt == "rich":
        from rich.console import Group

        from partnership.views.calendar_rich import render_rich

        _emit_renderable(Group(*(render_rich(g) for g in grids)), output)
    else:
        from partnership.fsio import atomic_write, prepare_output_dir
        from partnership.views.calendar_html import render_html

        page = render_html(grids, agreement.agreement.title)
        if output is None:
            _write_stdout(page)
        else:
            if output.is_dir():
                output = output / f"{agreement.agreement.id}{'-' + term if term else ''}.html"
            prepare_output_dir(output.parent)
            atomic_write(output, page.encode("utf-8"))
            _say(t("cli.wrote", path=output))
    if not p.complete:
        _report_unplaced(p)
        raise typer.Exit(EXIT_INCOMPLETE)


_FORMAT_OF_SUFFIX = {
    ".html": "html",
    ".htm": "html",
    ".txt": "rich",
    ".md": "md",
    ".json": "json",
    ".xlsx": "xlsx",
}


def _output_format(fmt: str | None, output: Path | None, choices: tuple[str, ...]) -> str:
    """--format, else the one ``-o FILE``'s extension says (rich without -o); a mismatch is
    refused, so an ``.html`` file never gets a text table."""
    suffix = output.suffix.lower() if output is not None and not output.is_dir() else ""
    implied = _FORMAT_OF_SUFFIX.get(suffix)
    implied = implied if implied in choices else None
    if fmt is None:
        if suffix and implied is None:
            known = ", ".join(k for k, v in _FORMAT_OF_SUFFIX.items() if v in choices)
            formats = "|".join(choices)
            _fail(
                t(
                    "cli.format.unknown_suffix",
                    path=output,
                    suffix=suffix,
                    known=known,
                    formats=formats,
                )
            )
        return implied or "rich"
    if implied is not None and implied != fmt:
        _fail(t("cli.format.mismatch", path=output, format=fmt, implied=implied))
    return fmt


def _ics_files(
    p: "Plan",
    cal: "SchoolCalendar",
    records: "Records",
    term: str | None,
    audience: str | None,
    templates: "Templates",
) -> dict[str, bytes]:
    from partnership.ics import dtstamp_now, ics_filename, render_ics

    a = p.agreement
    stamp = dtstamp_now(os.environ)
    prep = _prep(p, cal, records, templates)
    files: dict[str, bytes] = {}
    events: dict[str, bytes] = {}  # each VEVENT serialised once
    terms: list[str | None] = [t.id for t in cal.terms if term is None or t.id == term]
    for term_id in [*terms, None] if term is None else terms:  # None: the whole agreement
        files[ics_filename(a.agreement.id, term_id, audience)] = render_ics(
            p,
            term=term_id,
            audience=audience,
            dtstamp=stamp,
            prep=prep,
            events=events,
            templates=templates,
        )
    return files


def _prep(
    p: "Plan", cal: "SchoolCalendar", records: "Records", templates: "Templates"
) -> dict[str, list[str]]:
    """Each occurrence's preparation lines for its DESCRIPTION (the checklist's next steps)."""
    from partnership.checklist import build_checklist, prep_by_occurrence

    tasks = build_checklist(p, cal, records, dt.date.today(), templates)
    language = p.agreement.agreement.language
    return prep_by_occurrence(tasks, [o.id for o in p.occurrences], language)


def _refuse_incomplete(p: "Plan", allow: bool) -> None:
    if p.complete or allow:
        return
    _report_unplaced(p)
    _say(t("cli.incomplete"), err=True)
    raise typer.Exit(EXIT_INCOMPLETE)


def _write_and_publish(
    output: Path, chunks: Iterable[Mapping[str, bytes]], published: "Sequence[tuple[Path, Plan]]"
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
    typer.Option("--allow-incomplete", help="cli.help.allow_incomplete"),
]


@app.command(help="cli.help.ics")
def ics(
    file: FileArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="cli.help.ics.output")],
    term: TermOpt = None,
    audience: Annotated[
        AudienceOpt | None, typer.Option("--audience", help="cli.help.ics.audience")
    ] = None,
    allow_incomplete: AllowOpt = False,
) -> None:
    """Write .ics files: one per term and one for the whole agreement."""
    from partnership.fsio import prepare_output_dir

    agreement, cal, records, p = _plan(file)
    _check_term(agreement, term)
    prepare_output_dir(output, create=False)  # made with the files: a failure leaves none
    _refuse_incomplete(p, allow_incomplete)
    files = _ics_files(p, cal, records, term, audience, _templates(file, agreement))
    for path in _write_and_publish(output, [files], [(file, p)]):
        _say(t("cli.wrote", path=path))
    if not p.complete:
        raise typer.Exit(EXIT_INCOMPLETE)


@app.command(help="cli.help.checklist")
def checklist(
    file: FileArg,
    term: TermOpt = None,
    owner: Annotated[
        OwnerOpt | None, typer.Option("--owner", help="cli.help.checklist.owner")
    ] = None,
    today: Annotated[str | None, typer.Option("--today", help="cli.help.today")] = None,
    weeks: Annotated[
        int | None, typer.Option("--weeks", min=0, max=520, help="cli.help.checklist.weeks")
    ] = None,
    fmt: Annotated[
        DocFmt | None, typer.Option("--format", help="cli.help.doc_format", show_default=False)
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="outputs.help.output_xlsx")
    ] = None,
    all_terms: Annotated[bool, typer.Option("--all", help="outputs.help.all_terms")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="cli.help.checklist.json")] = False,
) -> None:
    """Preparation and follow-up tasks with due dates, owners and status; overdue ones marked."""
    from partnership import checklist as cl
    from partnership.views import checklist as views

    agreement, cal, records, p = _plan(file)
    _check_term(agreement, term)
    day = _date(today, "--today")
    scope = None if term or all_terms or weeks is not None else cl.current_terms(cal.terms, day)
    tasks = cl.select(
        cl.build_checklist(p, cal, records, day, _templates(file, agreement)),
        today=day,
        term=term,
        owner=owner,
        weeks=weeks,
        terms=scope,
    )
    lang = agreement.agreement.language
    shown = [s.name for s in scope or ()]
    chosen = _output_format(_json_flag(as_json, fmt), output, get_args(DocFmt))
    if chosen == "rich":
        _emit_renderable(views.render_rich(tasks, p, today=day, language=lang, scope=shown), output)
    elif chosen == "md":
        _emit_text(views.render_markdown(tasks, p, today=day, language=lang, scope=shown), output)
    elif chosen == "html":
        _emit_text(views.render_html(tasks, p, today=day, language=lang, scope=shown), output)
    elif chosen == "xlsx":
        _emit_xlsx(views.sheets(tasks, p, language=lang), output)
    else:
        _emit_text(json.dumps(cl.to_json(tasks), ensure_ascii=False, indent=2) + "\n", output)


def _templates(path: Path, agreement: "Agreement") -> "Templates":
    """The checklist templates in force for the agreement in ``path`` (its own file merged)."""
    from partnership.checklist_templates import load_templates

    return load_templates(path, agreement)


def _emit_text(text: str, output: Path | None) -> None:
    if output is None:
        _write_stdout(text)
        return
    _emit_bytes(text.encode("utf-8"), output)


def _emit_bytes(data: bytes, output: Path) -> None:
    from partnership.fsio import atomic_write, prepare_output_dir

    if output.is_dir():
        _fail(t("cli.output_is_folder", path=output))
    prepare_output_dir(output.parent)
    atomic_write(output, data)
    _say(t("cli.wrote", path=output))


def _write_stdout(text: str) -> None:
    """A document on stdout: UTF-8 into a pipe or file, the console's encoding on a terminal."""
    if sys.stdout.isatty():
        sys.stdout.write(text)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def _emit_renderable(renderable: "RenderableType", output: Path | None) -> None:
    if output is None:
        _print(renderable)
        return
    import io

    from rich.console import Console

    console = Console(record=True, width=120, file=io.StringIO())
    console.print(renderable)
    _emit_text(console.export_text(), output)


def _known_occurrence(p: "Plan", occurrence: str) -> None:
    known = _occurrence_ids(p)
    _check_known("occurrence", occurrence, known, t("cli.known.occurrences"))


def _check_known(kind: str, value: str, known: Sequence[str], where: str) -> None:
    """A usage error for an id the agreement does not have, with the closest one."""
    if value in known:
        return
    from partnership.model import suggest

    hint = suggest(value, known)
    did_you_mean = t("cli.did_you_mean", hint=repr(hint)) if hint else ""
    _fail(t(f"cli.unknown.{kind}", value=repr(value), hint=did_you_mean, where=where))


def _time_range(value: str) -> "TimeRange":
    from pydantic import ValidationError

    from partnership.model import TimeRange

    start, sep, end = value.partition("-")
    if not sep:
        _fail(t("cli.record.time_form", value=repr(value)))
    try:
        return TimeRange.model_validate({"start": start.strip(), "end": end.strip()})
    except ValidationError as exc:
        problem = exc.errors()[0]["msg"].removeprefix("Value error, ")
        _fail(t("cli.record.bad_time", value=repr(value), problem=problem))


@app.command(help="cli.help.record")
def record(
    file: FileArg,
    occurrence: Annotated[str, typer.Argument(help="cli.help.record.occurrence")],
    done: Annotated[bool, typer.Option("--done", help="cli.help.record.done")] = False,
    note: Annotated[str | None, typer.Option("--note", help="cli.help.record.note")] = None,
    cancel: Annotated[
        str | None, typer.Option("--cancel", metavar="REASON", help="cli.help.record.cancel")
    ] = None,
    move: Annotated[
        str | None, typer.Option("--move", metavar="DATE", help="cli.help.record.move")
    ] = None,
    time: Annotated[
        str | None, typer.Option("--time", metavar="HH:MM-HH:MM", help="cli.help.record.time")
    ] = None,
) -> None:
    """Record what happened: done (with a note), cancelled (with a reason) or moved."""
    from partnership import records as rec

    chosen = [name for name, on in (("--done", done), ("--cancel", cancel), ("--move", move)) if on]
    if len(chosen) != 1:
        _fail(t("cli.record.one_of"))
    if note is not None and not done:
        _fail(t("cli.record.note_with_done"))
    if time is not None and move is None:
        _fail(t("cli.record.time_with_move"))
    note = _typed(note, "--note")
    cancel = _typed(cancel, "--cancel")
    agreement, cal, _, p = _plan(file, mend=occurrence)
    _known_occurrence(p, occurrence)
    path = rec.records_path(file)

    def mended(r: "Records") -> "Records":
        return rec.mend(r, occurrence, agreement)

    if done:
        rec.update_records(path, lambda r: rec.record_done(mended(r), occurrence, note))
    elif cancel is not None:
        if not cancel.strip():
            _fail(t("cli.record.cancel_reason"))
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
    what = t(f"cli.record.what.{chosen[0].lstrip('-')}")
    _say(t("cli.record.recorded", what=what, occurrence=occurrence, path=path))


def _typed(value: str | None, option: str) -> str | None:
    """Free text from the command line as the user typed it; refused if it is not text."""
    from partnership import console

    if value is None:
        return None
    from partnership.yamlsource import control_character

    text = console.typed_text(value)
    if text is None:
        _fail(t("cli.undecodable", option=option, encoding=console.encoding()))
    bad = control_character(text)
    if bad is not None:  # the records file could hold it only as an escape it refuses
        _fail(t("cli.control_character", option=option, code=f"U+{ord(bad):04X}"))
    return text


def _warn_if_not_open(cal: "SchoolCalendar", day: dt.date) -> None:
    """A move is the admin's decision; still say when the new day is no ordinary school day."""
    from partnership.errors import PartnershipError

    try:
        info = cal.day(day)
    except PartnershipError:
        return
    why = [
        *([t("cli.move.day_off", holiday=info.holiday)] if info.official == "off" else []),
        *info.closures,
        *([] if info.term else [t("cli.move.outside_terms")]),
        *(
            []
            if info.school_day or info.official == "off" or not info.term
            else [t("cli.move.not_school_day")]
        ),
    ]
    if why:
        _say(t("cli.move.warning", day=day, why=t("cli.list_sep").join(why)), err=True)


@app.command(help="cli.help.tick")
def tick(
    file: FileArg,
    task: Annotated[str, typer.Argument(help="cli.help.tick.task")],
    undo: Annotated[bool, typer.Option("--undo", help="cli.help.tick.undo")] = False,
) -> None:
    """Tick a checklist task (or untick it with --undo)."""
    from partnership import records as rec
    from partnership.checklist import build_checklist

    a, cal, records, p = _plan(file)
    today = dt.date.today()
    known = [t.id for t in build_checklist(p, cal, records, today, _templates(file, a))]
    _check_known("task", task, known, t("cli.known.tasks"))
    path = rec.records_path(file)
    rec.update_records(path, lambda r: rec.tick(r, task, today, undo=undo))
    _say(t("cli.tick.unticked" if undo else "cli.tick.ticked", task=task, path=path))


@app.command(help="cli.help.report")
def report(
    file: FileArg,
    year: Annotated[int | None, typer.Option("--year", help="cli.help.report.year")] = None,
    fmt: Annotated[
        DocFmt | None, typer.Option("--format", help="cli.help.doc_format", show_default=False)
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="outputs.help.output_xlsx")
    ] = None,
    today: Annotated[str | None, typer.Option("--today", help="outputs.help.today")] = None,
) -> None:
    """The fulfilment report: required / placed / done / cancelled / missed / pending."""
    from partnership import report as rp
    from partnership.views import report as views

    chosen = _output_format(fmt, output, get_args(DocFmt))
    _, _, records, p = _plan(file)
    r = rp.build_report(p, records, year, today=_date(today, "--today"))
    if chosen == "rich":
        _emit_renderable(views.render_rich(r), output)
    elif chosen == "md":
        _emit_text(views.render_markdown(r), output)
    elif chosen == "html":
        _emit_text(views.render_html(r), output)
    elif chosen == "xlsx":
        _emit_xlsx(views.sheets(r), output)
    else:
        _emit_text(json.dumps(rp.to_json(r), ensure_ascii=False, indent=2) + "\n", output)


def _json_flag(as_json: bool, fmt: str | None) -> str | None:
    """``--json`` is ``--format json``; with another --format it is a usage error."""
    if not as_json:
        return fmt
    if fmt not in (None, "json"):
        _fail(t("cli.checklist.json_and_format", format=fmt))
    return "json"


def _emit_xlsx(sheets: Sequence[Any], output: Path | None) -> None:
    """Write a workbook to ``-o`` (a spreadsheet is never printed to a terminal)."""
    from partnership.ics import dtstamp_now
    from partnership.views.xlsx import workbook

    if output is None:
        _fail(t("outputs.xlsx_needs_output"))
    data = workbook(sheets, dtstamp_now(os.environ))
    _emit_bytes(data, output)


@app.command(help="cli.help.build")
def build(
    files: Annotated[list[Path], typer.Argument(help="cli.help.build.files")],
    output: Annotated[Path, typer.Option("-o", "--output", help="cli.help.build.output")] = Path(
        "calendars"
    ),
    allow_incomplete: AllowOpt = False,
    feed_url: Annotated[
        str | None, typer.Option("--feed-url", metavar="BASE", help="publishing.help.feed_url")
    ] = None,
) -> None:
    """Everything for each agreement: .ics files, term calendars, checklists and report."""
    from partnership import parallel
    from partnership.build import build_outputs, summary
    from partnership.fsio import prepare_output_dir
    from partnership.publishing import feeds as fd

    prepare_output_dir(output, create=False)  # made with the files: a failure leaves none
    loaded = [(f, *_plan(f)) for f in _agreement_files(files)]
    first: dict[str, Path] = {}
    for f, a, *_ in loaded:
        aid = a.agreement.id
        if aid in first:
            _fail(f"{f}: {_id_taken(aid, first[aid])}")
        first[aid] = f
    templates = {f: _templates(f, a) for f, a, *_ in loaded}
    for _, _, _, _, p in loaded:
        _refuse_incomplete(p, allow_incomplete)
    feeds_of = {}
    if feed_url is not None:
        base = fd.check_base(feed_url)
        feeds_of = {
            a.agreement.id: fd.feeds(a.agreement.id, base, _tokens(f)) for f, a, *_ in loaded
        }
    progress = _progress(len(loaded) + sum(len(a.calendar.terms) for _, a, *_ in loaded) > 2)

    def outputs(k: int) -> dict[str, bytes]:
        f, agreement, cal, records, p = loaded[k]
        feeds = feeds_of.get(agreement.agreement.id, ())
        return build_outputs(p, cal, records, os.environ, templates[f], feeds)

    def rendered() -> Iterator[dict[str, bytes]]:
        # each agreement's files made apart from the others', on every core; the workers
        # start before the progress bar's thread does
        made = parallel.ordered(outputs, range(len(loaded)), parallel.cores())
        with progress as bar:
            task = bar.add_task(t("cli.build.progress"), total=len(loaded))
            for (_, agreement, *_), out in zip(loaded, made, strict=True):
                aid = agreement.agreement.id
                bar.update(task, description=t("cli.build.progress_of", id=aid))
                yield {f"{aid}/{name}": data for name, data in out.items()}
                if aid in feeds_of:
                    yield fd.feed_files(aid, out, feeds_of[aid])
                bar.advance(task)

    # one batch for every agreement: the whole build is all-or-nothing
    written = _write_and_publish(output, rendered(), [(f, p) for f, _, _, _, p in loaded])
    if feeds_of:
        _remove_stale_feeds(output / fd.FOLDER, feeds_of)
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


@app.command(help="publishing.help.publish")
def publish(
    file: FileArg,
    caldav: Annotated[str, typer.Option("--caldav", metavar="URL", help="publishing.help.caldav")],
    audience: Annotated[
        AudienceOpt | None, typer.Option("--audience", help="publishing.help.audience")
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="publishing.help.user")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="publishing.help.dry_run")] = False,
    force: Annotated[bool, typer.Option("--force", help="publishing.help.force")] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="publishing.help.timeout")
    ] = 30.0,
    allow_incomplete: AllowOpt = False,
) -> None:
    from partnership.ics import dtstamp_now
    from partnership.publishing import publish as pub
    from partnership.publishing.report import report_lines

    url = pub.collection_url(caldav)
    name, password = pub.credentials(url, user, os.environ)
    if password is None:
        _say(t("publishing.no_password", env=pub.PASSWORD_ENV), err=True)
    agreement, cal, records, p = _plan(file)
    _refuse_incomplete(p, allow_incomplete)
    templates = _templates(file, agreement)
    prep = _prep(p, cal, records, templates)
    wanted = pub.wanted_objects(p, audience, dtstamp_now(os.environ), prep, templates)
    req = pub.Request(url, audience, name, password, timeout, dry_run, force)
    result = pub.publish(file, p, wanted, req)
    lines, error, code = report_lines(result, url)
    for line in lines:
        _say(line)
    if error is not None:
        raise error
    if code:
        raise typer.Exit(code)


def _tokens(file: Path) -> dict[str, str]:
    """The feed token of every audience of an agreement, made (and kept) the first time."""
    from partnership import records as rec
    from partnership.model import AUDIENCES
    from partnership.publishing.state import with_tokens

    def change(r: "Records") -> "Records":
        return r.model_copy(update={"publishing": with_tokens(r.publishing)})

    tokens = rec.update_records(rec.records_path(file), change).publishing.feeds
    return {a: tokens[a] for a in AUDIENCES if a in tokens}


def _remove_stale_feeds(folder: Path, feeds_of: Mapping[str, Sequence[Any]]) -> None:
    """Remove the feed files of rotated tokens, so that their links stop working."""
    from partnership.publishing.feeds import stale

    present = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    for aid, current in feeds_of.items():
        for name in stale(aid, present, current):
            (folder / name).unlink(missing_ok=True)
            _say(t("publishing.removed_feed", path=folder / name))


feeds_app = typer.Typer(help="publishing.help.feeds", no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")


@feeds_app.command("rotate", help="publishing.help.rotate")
def feeds_rotate(
    file: FileArg,
    audience: Annotated[AudienceOpt, typer.Argument(help="publishing.help.audience")],
) -> None:
    from partnership import records as rec
    from partnership.publishing.state import rotate

    _load(file)  # a bad agreement file is reported as such, before the records change
    path = rec.records_path(file)

    def change(r: "Records") -> "Records":
        return r.model_copy(update={"publishing": rotate(r.publishing, audience)})

    rec.update_records(path, change)
    _say(t("publishing.rotated", audience=audience, path=path))


def _progress(wanted: bool) -> Any:
    """A progress bar on a terminal for long work; otherwise a silent stand-in (no import)."""
    console = _console(stderr=True)
    if wanted and console.is_terminal:
        from rich.progress import Progress

        return Progress(console=console, transient=True)
    return _NoProgress()


class _NoProgress:
    """What `build` uses when no bar is shown: the calls of rich's Progress, doing nothing."""

    def __enter__(self) -> "_NoProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, description: str, total: float | None = None) -> int:
        return 0

    def update(self, task: int, description: str | None = None) -> None:
        return None

    def advance(self, task: int) -> None:
        return None


# --------------------------------------------------------------------------- district mode

district_app = typer.Typer(cls=_Group, no_args_is_help=True, help="district.help")
app.add_typer(district_app, name="district")
DistrictArg = Annotated[
    Path, typer.Argument(help="district.help_file", dir_okay=False, show_default=False)
]


def _district(file: Path) -> Any:
    """The district's joint plan (heavy imports only here)."""
    from partnership.district.loader import load_district
    from partnership.district.planner import plan_district

    loaded = load_district(file)
    return plan_district(loaded, {m.path: _records(m.path, m.agreement)[0] for m in loaded.members})


@district_app.command("validate", help="district.help_validate")
def district_validate(file: DistrictArg) -> None:
    """Check the district file and every agreement it names."""
    from partnership.district.loader import load_district

    loaded = load_district(file)
    alone = [m.agreement.agreement.id for m in loaded.members if m.brigade is None]
    _say(
        t(
            "district.ok",
            file=file,
            id=loaded.district.district.id,
            n=len(loaded.members),
            brigades=len(loaded.district.brigades),
        )
    )
    if alone:
        _say(t("district.alone_note", ids=", ".join(alone)))


@district_app.command("plan", help="district.help_plan")
def district_plan(
    file: DistrictArg,
    as_json: Annotated[bool, typer.Option("--json", help="district.help_json")] = False,
) -> None:
    """The joint plan: per school its activities, per brigade its load per day."""
    from partnership.district.views import district_json

    dp = _district(file)
    if as_json:
        _write_stdout(json.dumps(district_json(dp), ensure_ascii=False, indent=2) + "\n")
    else:
        _say(
            t(
                "district.plan_summary",
                objective=dp.objective,
                bound=dp.bound,
                gap=f"{100 * dp.gap:.2f}%",
            )
        )
        for sp in dp.schools:
            a = sp.plan.agreement
            moved = sum(1 for aid, _ in dp.moved if aid == a.agreement.id)
            mains = sum(1 for o in sp.plan.occurrences if o.is_main)
            _say(
                t(
                    "district.plan_school",
                    id=a.agreement.id,
                    name=a.parties.school.name,
                    n=mains,
                    moved=moved,
                    unplaced=len(sp.plan.unplaced),
                )
            )
        caps = {b.id: b.capacity for b in dp.loaded.district.brigades}
        for bid, days in sorted(dp.brigades.items()):
            _say(t("district.plan_brigade", id=bid, days=len(days)))
            for d in days:
                cap = caps[bid]
                _say(
                    t(
                        "district.plan_day",
                        date=d.date,
                        hosted=len(d.hosted),
                        host=cap.host_per_day,
                        attended=len(d.attended),
                        attend=cap.attend_per_day,
                    )
                )
        for u in dp.unplaced:
            _say(f"{u.agreement} {u.id}: {u.reason}")
    for notice in dp.notices:
        _say(t("district.warning", notice=notice), err=True)
    if dp.unplaced:
        raise typer.Exit(EXIT_INCOMPLETE)


@district_app.command("build", help="district.help_build")
def district_build(
    file: DistrictArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="district.help_output")] = Path(
        "calendars"
    ),
    allow_incomplete: AllowOpt = False,
) -> None:
    """Every school's build outputs, and per brigade its .ics, load calendar and report."""
    from partnership import parallel
    from partnership.build import build_outputs
    from partnership.district import views
    from partnership.fsio import prepare_output_dir
    from partnership.ics import dtstamp_now

    prepare_output_dir(output)
    dp = _district(file)
    for s in dp.schools:
        _refuse_incomplete(s.plan, allow_incomplete)
    stamp = dtstamp_now(os.environ)

    def outputs(s: "SchoolPlan") -> dict[str, bytes]:
        return build_outputs(s.plan, s.calendar, s.records, os.environ)

    def rendered() -> Iterator[dict[str, bytes]]:
        # each school's files made apart from the others', on every core
        made = parallel.ordered(outputs, dp.schools, parallel.cores())
        for s, out in zip(dp.schools, made, strict=True):
            yield {f"{s.plan.agreement.agreement.id}/{n}": data for n, data in out.items()}
        report = views.build_report(dp)
        for b in dp.loaded.district.brigades:
            folder = f"brigades/{b.id}"
            yield {
                f"{folder}/{b.id}.ics": views.brigade_ics(dp, b, stamp),
                f"{folder}/load.html": views.load_html(dp, b).encode("utf-8"),
                f"{folder}/report.md": views.render_markdown(report).encode("utf-8"),
                f"{folder}/report.html": views.render_report_html(report).encode("utf-8"),
            }
        yield {"district.json": views.json_bytes(views.district_json(dp))}

    written = _write_and_publish(output, rendered(), [(s.member.path, s.plan) for s in dp.schools])
    _say(t("district.built", n=len(written), path=output))
    if dp.unplaced:
        raise typer.Exit(EXIT_INCOMPLETE)


@district_app.command("report", help="district.help_report")
def district_report(
    file: DistrictArg,
    fmt: Annotated[
        Literal["md", "html"], typer.Option("--format", help="district.help_format")
    ] = "md",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="district.help_report_output")
    ] = None,
) -> None:
    """Fulfilment across schools, per brigade and per programme."""
    from partnership.district import views

    report = views.build_report(_district(file))
    text = views.render_markdown(report) if fmt == "md" else views.render_report_html(report)
    _emit_text(text, output)


def main() -> None:
    """Console-script entry point.

    The cycle collector is off for the run: a command is a short-lived process whose
    objects (modules, models, the plans) live until it ends, so the collector's passes
    over them (~30 ms of a single `build`, mostly during imports) would free nothing; the
    peak memory of a 200-agreement build is the same without it. At the end everything is
    frozen, so the interpreter's last collection on the way out (which runs even with the
    collector off: ~50 ms of a `build`) has nothing to walk; files are closed and
    ``atexit`` handlers run as usual.
    """
    gc.disable()
    try:
        app()
    except BrokenPipeError:  # help or usage text cut off by the reader (``| head``)
        _reader_gone()
    finally:
        gc.freeze()
