"""The project's own error types; the CLI turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file, printed as ``FILE:LINE:COLUMN: message``."""

    file: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class PartnershipError(Exception):
    """Base of every error the tool expects; anything else is a bug."""

    exit_code = 2


class InputError(PartnershipError):
    """Bad input (an agreement or records file): one or more located problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Problem]]]:
        # rebuilt from its problems (not its text) when a district worker sends it back
        return (InputError, (self.problems,))


class UsageError(PartnershipError):
    """Bad command-line use: an unknown id, an output path that is a file, and so on."""


class CalendarRangeError(PartnershipError):
    """A year the calendar cannot compute (neither built-in, notice nor provisional rules)."""
