"""Speed benchmark of the `partnership` CLI (issue 7): medians, ratios and goals in one run.

Run: python bench/run.py [--quick] [--with-yaml2ics]
Not a test: it prints numbers and PASS/MISS beside each goal; it asserts nothing.
Command-line measures run interleaved, round-robin, each run in a fresh temporary folder
with its own copy of the agreement files (so no records file leaks from one run to the next).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
EXAMPLE = ROOT / "schedules" / "damo-primary.yaml"
PY = sys.executable
OURS = [PY, "-m", "partnership"]
FLOOR_IMPORTS = "import typer, pydantic, icalendar, rich.console"
YAML2ICS = "yaml2ics==0.3"
SMALL, LARGE = 20, 200
STAMP = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

sys.path.insert(0, str(BENCH))
from generate import write_agreements  # noqa: E402  (bench/ is not a package)


@dataclass
class Command:
    """One command line to time: what to copy into its fresh folder, and its arguments."""

    name: str
    argv: list[str]
    inputs: Sequence[Path] = ()
    rounds: int | None = None  # None: every round
    seconds: list[float] = field(default_factory=list)
    peak_kb: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def median(self) -> float:
        """Median wall time in seconds (nan when it never succeeded)."""
        return statistics.median(self.seconds) if self.seconds else float("nan")


@dataclass
class Row:
    """One line of the final table."""

    measure: str
    ours: str
    reference: str
    ratio: float | None
    goal: float | None
    skipped: bool = False

    def verdict(self) -> str:
        """PASS/MISS against the goal; `info` when there is none; ERROR when not measured."""
        if self.skipped:
            return "skipped"
        if self.ratio is None or self.ratio != self.ratio:
            return "ERROR"
        if self.goal is None:
            return "info"
        return "PASS" if self.ratio <= self.goal else "MISS"


# as users run it: bytecode cached (some shells here set PYTHONDONTWRITEBYTECODE, which
# makes every start recompile the package and would measure the compiler, not the tool)
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(cmd: Command, scratch: Path) -> None:
    """Copy the inputs into a fresh folder, run the command there, record time and peak RSS."""
    folder = Path(tempfile.mkdtemp(prefix=f"{cmd.name}-", dir=scratch))
    try:
        for path in cmd.inputs:
            shutil.copy2(path, folder / path.name)
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd.argv,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=CHILD_ENV,
        )
        # wait4 gives this child's own rusage: its peak RSS, not the max over all children
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            cmd.failures.append(f"exit {proc.returncode}: {' '.join(cmd.argv)}")
            return
        cmd.seconds.append(elapsed)
        cmd.peak_kb.append(usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def interleave(commands: Sequence[Command], rounds: int, scratch: Path) -> None:
    """Round-robin: every round runs each command once, starting one later each round."""
    for cmd in commands:  # warm-up, untimed: .pyc files and the disk cache
        if cmd.rounds is None:
            run_once(cmd, scratch)
            cmd.seconds.clear()
            cmd.peak_kb.clear()
    for r in range(rounds):
        order = list(commands[r % len(commands) :]) + list(commands[: r % len(commands)])
        started = time.perf_counter()
        for cmd in order:
            if cmd.rounds is None or r < cmd.rounds:
                run_once(cmd, scratch)
        print(f"  round {r + 1}/{rounds}: {time.perf_counter() - started:.1f} s", flush=True)


def ms(seconds: float) -> str:
    """Seconds as milliseconds text."""
    return f"{seconds * 1000:.0f} ms"


def us(seconds: float) -> str:
    """Seconds as microseconds text."""
    return f"{seconds * 1e6:.0f} µs"


def ratio(ours: Command, reference: Command, scale: float = 1.0) -> float | None:
    """Median of ours ÷ median of the reference (times scale); None when any run failed."""
    if ours.failures or reference.failures or not ours.seconds or not reference.seconds:
        return None
    return ours.median() / reference.median() * scale


def command_rows(cmds: dict[str, Command]) -> list[Row]:
    """Measures 1-3: start-up against the import floor, --help, and linear scaling."""
    build, floor = cmds["build"], cmds["floor"]
    help_ours, help_bare = cmds["help"], cmds["bare"]
    small, large = cmds["small"], cmds["large"]
    per_small = small.median() / SMALL
    per_large = large.median() / LARGE
    peak_small = max(small.peak_kb, default=0) / 1024
    peak_large = max(large.peak_kb, default=0) / 1024
    return [
        Row(
            "build example vs import floor",
            ms(build.median()),
            ms(floor.median()),
            ratio(build, floor),
            1.5,
        ),
        Row(
            "--help vs bare Typer app",
            ms(help_ours.median()),
            ms(help_bare.median()),
            ratio(help_ours, help_bare),
            1.3,
        ),
        Row(
            f"build per agreement: {LARGE} vs {SMALL}",
            ms(per_large),
            ms(per_small),
            ratio(large, small, SMALL / LARGE),
            1.1,
        ),
        Row(
            f"peak RSS: build {LARGE} vs {SMALL}",
            f"{peak_large:.0f} MB",
            f"{peak_small:.0f} MB",
            peak_large / peak_small if peak_small else None,
            None,
        ),
    ]


def events_of(data: bytes) -> list[dict[str, Any]]:
    """The values of every VEVENT in an .ics, so that the references write the same events."""
    import icalendar

    keys = ("UID", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "LOCATION")
    return [
        {key: ev.decoded(key) if key in ("DTSTART", "DTEND") else str(ev[key]) for key in keys}
        for ev in icalendar.Calendar.from_ical(data).walk("VEVENT")
    ]


def _render(plan: Any) -> bytes:
    """Our whole-agreement .ics for a plan, with a fixed DTSTAMP."""
    from partnership.ics import render_ics

    data: bytes = render_ics(plan, dtstamp=STAMP)
    return data


def icalendar_floor(events: Sequence[dict[str, Any]]) -> bytes:
    """The least this stack can do: the same events built and serialised by icalendar alone."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("PRODID", "-//bench//floor//EN")
    cal.add("VERSION", "2.0")
    for values in events:
        ev = Event()
        ev.add("UID", values["UID"])
        ev.add("DTSTAMP", STAMP)
        ev.add("DTSTART", values["DTSTART"])
        ev.add("DTEND", values["DTEND"])
        ev.add("SUMMARY", values["SUMMARY"])
        ev.add("DESCRIPTION", values["DESCRIPTION"])
        ev.add("LOCATION", values["LOCATION"])
        cal.add_component(ev)
    data: bytes = cal.to_ical()
    return data


def timed(fn: Callable[[], object], repeats: int) -> float:
    """Median seconds of ``repeats`` calls after one warm-up call."""
    fn()
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def event_rows(repeats: int, with_yaml2ics: bool, scratch: Path) -> tuple[list[Row], list[str]]:
    """Measures 4-5: cost per written event against icalendar alone and against yaml2ics."""
    from partnership.loader import load_agreement
    from partnership.placement import place
    from partnership.schoolcalendar import SchoolCalendar

    agreement = load_agreement(EXAMPLE)
    plan = place(agreement, SchoolCalendar(agreement))
    data = _render(plan)
    events, zone = events_of(data), agreement.agreement.timezone
    n = data.count(b"BEGIN:VEVENT")
    ours = timed(lambda: _render(plan), repeats) / n
    floor = timed(lambda: icalendar_floor(events), repeats) / n
    rows = [Row(f"per event ({n}) vs icalendar alone", us(ours), us(floor), ours / floor, None)]
    peer, notes = yaml2ics_per_event(events, zone, repeats, with_yaml2ics, scratch)
    notes = [*validity("our output", data), *notes]
    if peer is None:
        rows.append(Row("per event vs yaml2ics (invalid)", us(ours), "—", None, None, skipped=True))
    else:
        rows.append(Row("per event vs yaml2ics (invalid)", us(ours), us(peer), ours / peer, None))
    return rows, notes


def agreement_floor(paths: Sequence[Path], repeats: int) -> float:
    """Seconds icalendar alone takes, per agreement, to build and serialise the events of
    each generated agreement (the VEVENTs of its whole-agreement .ics), averaged."""
    from partnership.loader import load_agreement
    from partnership.placement import place
    from partnership.schoolcalendar import SchoolCalendar

    total = 0.0
    for path in paths:
        agreement = load_agreement(path)
        events = events_of(_render(place(agreement, SchoolCalendar(agreement))))
        total += timed(functools.partial(icalendar_floor, events), repeats)
    return total / len(paths)


def marginal_row(cmds: dict[str, Command], floor: float) -> Row:
    """Issue 15: each extra agreement's cost in `build`, (t200 − t20) / 180, against
    icalendar alone building and serialising that agreement's events."""
    small, large = cmds["small"], cmds["large"]
    bad = small.failures or large.failures or not small.seconds or not large.seconds
    marginal = (large.median() - small.median()) / (LARGE - SMALL)
    return Row(
        f"marginal per agreement ({SMALL}→{LARGE}) vs icalendar alone",
        ms(marginal),
        ms(floor),
        None if bad else marginal / floor,
        6.0,
    )


def yaml2ics_python(with_yaml2ics: bool, scratch: Path) -> tuple[str | None, str]:
    """An interpreter that can import yaml2ics: this one, or a throwaway venv when asked."""
    probe = subprocess.run([PY, "-c", "import yaml2ics"], capture_output=True, check=False)
    if probe.returncode == 0:
        return PY, "yaml2ics from this interpreter"
    if not with_yaml2ics:
        return None, "yaml2ics not installed: skipped (run with --with-yaml2ics to install it)"
    env_dir = scratch / "yaml2ics-venv"
    venv.create(env_dir, with_pip=True)
    python = str(env_dir / "bin" / "python")
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", YAML2ICS],
        capture_output=True,
        text=True,
        check=False,
    )
    if install.returncode != 0:
        tail = install.stderr.strip().splitlines()[-1:] or ["?"]
        return None, f"pip install {YAML2ICS} failed: {tail[0]}"
    return python, f"{YAML2ICS} installed into a throwaway venv"


def yaml2ics_per_event(
    events: Sequence[dict[str, Any]], zone: str, repeats: int, with_yaml2ics: bool, scratch: Path
) -> tuple[float | None, list[str]]:
    """Seconds per event for yaml2ics writing the same events, and what is wrong with its output."""
    import yaml

    python, how = yaml2ics_python(with_yaml2ics, scratch)
    notes = [how]
    if python is None:
        return None, notes
    document = {"name": "bench", "timezone": zone, "events": [_peer_event(e) for e in events]}
    source, target = scratch / "yaml2ics-events.yaml", scratch / "yaml2ics-out.ics"
    source.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    done = subprocess.run(
        [python, str(BENCH / "yaml2ics_peer.py"), str(source), str(target), str(repeats)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        notes.append(f"yaml2ics failed: {done.stderr.strip().splitlines()[-1:]}")
        return None, notes
    result = json.loads(done.stdout)
    notes.extend(validity("yaml2ics output", target.read_bytes()))
    return statistics.median(result["seconds"]) / result["events"], notes


def _peer_event(values: dict[str, Any]) -> dict[str, Any]:
    """One event in yaml2ics's input format (ics.py Event keywords), local wall-clock times."""
    start, end = values["DTSTART"], values["DTEND"]
    event: dict[str, Any] = {
        "summary": values["SUMMARY"],
        "uid": values["UID"],
        "location": values["LOCATION"],
        "description": values["DESCRIPTION"],
    }
    if isinstance(start, dt.datetime):
        event["begin"] = start.replace(tzinfo=None)
        event["end"] = end.replace(tzinfo=None)
    else:
        event["begin"] = start  # all-day: yaml2ics makes an event without `end` all-day
    return event


def parse_errors(data: bytes) -> list[str]:
    """Why icalendar and ical refuse an .ics (empty when both read it)."""
    import icalendar
    from ical.calendar_stream import IcsCalendarStream

    errors = []
    try:
        icalendar.Calendar.from_ical(data)
    except ValueError as exc:
        errors.append(f"icalendar: {exc}")
    try:
        IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    except Exception as exc:  # ical raises its own CalendarParseError
        errors.append(f"ical: {type(exc).__name__}: {str(exc).splitlines()[0][:110]}...")
    return errors


def validity(label: str, data: bytes) -> list[str]:
    """What strict readers say of an .ics, and which RFC 5545 rules it breaks."""
    errors = parse_errors(data)
    found = [f"{label} INVALID for {e}" for e in errors] or [f"{label}: icalendar and ical read it"]
    lines = data.split(b"\r\n")
    standard = _block(lines, b"STANDARD")
    if b"BEGIN:STANDARD" in data and not any(line.startswith(b"DTSTART") for line in standard):
        found.append(f"{label}: VTIMEZONE STANDARD has no DTSTART (required, RFC 5545 3.6.5)")
        patched = data.replace(
            b"BEGIN:STANDARD\r\n", b"BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        )
        if errors and not parse_errors(patched):
            found.append(f"{label}: with that DTSTART added, both parsers read it")
    long_lines = sum(len(line) > 75 for line in lines)
    if long_lines:
        found.append(f"{label}: {long_lines} lines longer than 75 octets (unfolded, RFC 5545 3.1)")
    return found


def _block(lines: Sequence[bytes], name: bytes) -> list[bytes]:
    """The lines inside the first BEGIN:name..END:name block."""
    inside: list[bytes] = []
    collecting = False
    for line in lines:
        if line == b"BEGIN:" + name:
            collecting = True
        elif line == b"END:" + name:
            break
        elif collecting:
            inside.append(line)
    return inside


def machine() -> list[str]:
    """Machine, interpreter and code version the numbers belong to."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [ln for ln in cpuinfo.read_text().splitlines() if ln.startswith("model name")]
        cpu = names[0].split(":", 1)[1].strip() if names else cpu
    git = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    )
    return [
        f"date:     {dt.datetime.now().astimezone().isoformat(timespec='minutes')}",
        f"machine:  {platform.platform()}; {os.cpu_count()} CPUs ({cpu})",
        f"python:   {platform.python_version()} ({PY})",
        f"code:     {git.stdout.strip() or 'unknown'}",
    ]


def table(rows: Sequence[Row]) -> str:
    """The final table as aligned plain text."""
    head = ("measure", "ours", "reference", "ratio", "goal", "result")
    body = [
        (
            r.measure,
            r.ours,
            r.reference,
            "—" if r.ratio is None or r.ratio != r.ratio else f"{r.ratio:.2f}×",
            "—" if r.goal is None else f"≤ {r.goal}×",
            r.verdict(),
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in (head, *body)) for i in range(len(head))]
    lines = [head, tuple("-" * w for w in widths), *body]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def main() -> None:
    """Parse options, run every measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for development")
    parser.add_argument("--rounds", type=int, help="rounds of the command measures (default 7)")
    parser.add_argument("--large-rounds", type=int, help=f"rounds with {LARGE} agreements (3)")
    parser.add_argument("--with-yaml2ics", action="store_true", help="install the peer in a venv")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated agreements")
    args = parser.parse_args()
    rounds = args.rounds or (3 if args.quick else 7)
    large_rounds = min(rounds, args.large_rounds or (1 if args.quick else 3))
    repeats = 5 if args.quick else 15
    print("\n".join(machine()))
    with tempfile.TemporaryDirectory(prefix="partnership-bench-") as tmp:
        scratch = Path(tmp)
        small = write_agreements(SMALL, scratch / "small", args.seed)
        large = write_agreements(LARGE, scratch / "large", args.seed)
        cmds = {
            "build": Command("build", [*OURS, "build", EXAMPLE.name, "-o", "out"], [EXAMPLE]),
            "floor": Command("floor", [PY, "-c", FLOOR_IMPORTS]),
            "help": Command("help", [*OURS, "--help"]),
            "bare": Command("bare", [PY, str(BENCH / "bare_app.py"), "--help"]),
            "small": Command(
                "small", [*OURS, "build", *(p.name for p in small), "-o", "out"], small
            ),
            "large": Command(
                "large",
                [*OURS, "build", *(p.name for p in large), "-o", "out"],
                large,
                rounds=large_rounds,
            ),
        }
        print(f"\ncommands: {rounds} interleaved rounds ({large_rounds} with {LARGE} agreements)")
        interleave(list(cmds.values()), rounds, scratch)
        rows = command_rows(cmds)
        print(f"\nevents: in-process, median of {repeats} after a warm-up")
        event, notes = event_rows(repeats, args.with_yaml2ics, scratch)
        rows.extend(event)
        rows.append(marginal_row(cmds, agreement_floor(small, repeats)))
    print()
    for cmd in cmds.values():
        runs = ", ".join(f"{s * 1000:.0f}" for s in cmd.seconds)
        print(f"{cmd.name:>6}: median {ms(cmd.median())} over {len(cmd.seconds)} runs [{runs}] ms")
        for failure in cmd.failures[:3]:
            print(f"        FAILED {failure[:160]}")
    per_small = cmds["small"].median() / SMALL
    marginal = (cmds["large"].median() - cmds["small"].median()) / (LARGE - SMALL)
    print(f"marginal cost per extra agreement ({SMALL}→{LARGE}): {ms(marginal)}", end="")
    print(f" (vs {ms(per_small)} per agreement at {SMALL}, start-up included)")
    for note in notes:
        print(f"note: {note}")
    print()
    print(table(rows))


if __name__ == "__main__":
    main()
