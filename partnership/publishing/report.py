"""What ``partnership publish`` says: a line per write, a summary, and the exit status."""

from __future__ import annotations

from collections import Counter

from partnership.errors import PartnershipError
from partnership.messages import t
from partnership.publishing.caldav import EXIT_CONFLICTS
from partnership.publishing.publish import Result
from partnership.publishing.sync import Step


def report_lines(result: Result, url: str) -> tuple[list[str], PartnershipError | None, int]:
    """The lines to print, the error that stopped the run (if any) and the exit status."""
    dry = result.outcome is None
    out = result.outcome
    done = result.steps if out is None else out.done
    conflicts = [s for s in result.steps if s.conflict] if out is None else out.conflicts
    lines = [_line(s, "would" if dry else "did") for s in done]
    lines += [t("publishing.conflict", uid=s.uid, label=_label(s)) for s in conflicts]
    count = Counter(s.kind for s in done)
    summary = "publishing.summary_dry" if dry else "publishing.summary"
    lines.append(
        t(
            summary,
            url=url,
            create=count["create"],
            update=count["update"],
            cancel=count["cancel"],
            delete=count["delete"],
            unchanged=result.unchanged,
            conflicts=len(conflicts),
        )
    )
    if out is not None and out.stopped is not None:
        lines.append(t("publishing.stopped", left=len(out.left)))
        return lines, out.stopped, out.stopped.exit_code
    if conflicts and not dry:
        lines.append(t("publishing.conflicts_hint"))
        return lines, None, EXIT_CONFLICTS
    return lines, None, 0


def _line(step: Step, mood: str) -> str:
    return t(f"publishing.{mood}.{step.kind}", uid=step.uid, label=_label(step))


def _label(step: Step) -> str:
    return step.wanted.label if step.wanted is not None else ""
