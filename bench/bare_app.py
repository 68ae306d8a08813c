"""A bare Typer app shaped like `partnership` (same 12 commands, similar options), doing no work.

It is the reference for `--help` start-up: `python bench/bare_app.py --help` costs only
Python, Typer and option parsing, which is the least the real command line can cost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    help="A bare app with the command structure of partnership (benchmark reference).",
)


Fmt = Literal["rich", "html"]
DocFmt = Literal["rich", "md", "html", "json"]
Owner = Literal["school", "brigade"]
Audience = Literal["teachers", "students", "parents", "brigade"]


FileArg = Annotated[Path, typer.Argument(help="The agreement file (YAML).", dir_okay=False)]
TermOpt = Annotated[str | None, typer.Option("--term", help="Only this term (its id).")]
OutOpt = Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead.")]
AllowOpt = Annotated[bool, typer.Option("--allow-incomplete", help="Write even when unplaced.")]


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", help="Show the version.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Bare app: nothing but the command structure."""


@app.command()
def init(path: Annotated[Path, typer.Argument(help="Where to write.")] = Path("a.yaml")) -> None:
    """Write a starter agreement."""


@app.command()
def validate(files: Annotated[list[Path], typer.Argument(help="Files to check.")]) -> None:
    """Check agreement files."""


@app.command()
def holidays(
    year: Annotated[int, typer.Argument(help="The year.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Agreement.")] = None,
) -> None:
    """Days off and make-up workdays of a year."""


@app.command()
def schema() -> None:
    """The JSON Schema of the agreement file."""


@app.command()
def plan(
    file: FileArg,
    term: TermOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The placed activities."""


@app.command()
def calendar(
    file: FileArg,
    term: TermOpt = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="rich or html.")] = "rich",
    output: OutOpt = None,
) -> None:
    """The term calendar."""


@app.command()
def ics(
    file: FileArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder.")],
    term: TermOpt = None,
    audience: Annotated[Audience | None, typer.Option("--audience", help="Audience.")] = None,
    allow_incomplete: AllowOpt = False,
) -> None:
    """Write .ics files."""


@app.command()
def checklist(
    file: FileArg,
    term: TermOpt = None,
    owner: Annotated[Owner | None, typer.Option("--owner", help="Owner.")] = None,
    today: Annotated[str | None, typer.Option("--today", help="Today's date.")] = None,
    weeks: Annotated[int | None, typer.Option("--weeks", min=0, help="Coming N weeks.")] = None,
    fmt: Annotated[DocFmt, typer.Option("--format", help="Format.")] = "rich",
    output: OutOpt = None,
) -> None:
    """Preparation and follow-up tasks."""


@app.command()
def record(
    file: FileArg,
    occurrence: Annotated[str, typer.Argument(help="The occurrence id.")],
    done: Annotated[bool, typer.Option("--done", help="It took place.")] = False,
    note: Annotated[str | None, typer.Option("--note", help="A note.")] = None,
    cancel: Annotated[str | None, typer.Option("--cancel", help="Cancelled, why.")] = None,
    move: Annotated[str | None, typer.Option("--move", help="New date.")] = None,
    time: Annotated[str | None, typer.Option("--time", help="New time.")] = None,
) -> None:
    """Record what happened."""


@app.command()
def tick(
    file: FileArg,
    task: Annotated[str, typer.Argument(help="The task id.")],
    undo: Annotated[bool, typer.Option("--undo", help="Untick.")] = False,
) -> None:
    """Tick a checklist task."""


@app.command()
def report(
    file: FileArg,
    year: Annotated[int | None, typer.Option("--year", help="The year.")] = None,
    fmt: Annotated[DocFmt, typer.Option("--format", help="Format.")] = "rich",
    output: OutOpt = None,
) -> None:
    """The fulfilment report."""


@app.command()
def build(
    files: Annotated[list[Path], typer.Argument(help="Agreement files.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder.")] = Path("calendars"),
    allow_incomplete: AllowOpt = False,
) -> None:
    """Everything for each agreement."""


if __name__ == "__main__":
    app()
