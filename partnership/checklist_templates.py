"""Checklist templates as data: the built-in file shipped with the package, and an agreement's own.

``partnership/templates/checklists.yaml`` holds, per commitment kind, the tasks every
occurrence gets and what parents and students are told (what to bring, how early to be
there). An agreement may name its own file of the same shape (``checklist_templates:``,
a path relative to the agreement file, e.g. a district's required forms): the kinds it
lists replace the built-in ones, and its ``follow_up``, when given, replaces the common
follow-ups. Both files are validated like the agreement, every problem located.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from partnership.errors import InputError, Problem
from partnership.messages import t
from partnership.model import Agreement, DayCount, Kind, Owner, Slug, Text

TaskKind = Literal["before", "after"]
BUILTIN = "templates/checklists.yaml"


class _Model(BaseModel):
    # deferred: the validator of the whole file is built once, at its first validation
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Texts(_Model):
    """A text in both languages (``en`` defaults to the Chinese text)."""

    zh: Text
    en: Text | None = None

    def pick(self, language: str) -> str:
        """The text in ``language``."""
        return self.en if language == "en" and self.en else self.zh


class TemplateTask(_Model):
    """One task: a stable key (part of the task id), owner, timing, texts."""

    key: Slug
    owner: Owner = "school"
    days_before: DayCount | None = None
    days_after: DayCount | None = None
    zh: Text
    en: Text | None = None

    @model_validator(mode="after")
    def _one_offset(self) -> "TemplateTask":
        if (self.days_before is None) == (self.days_after is None):
            raise ValueError("give exactly one of days_before or days_after")
        return self

    @property
    def when(self) -> TaskKind:
        """Before or after the activity."""
        return "before" if self.days_before is not None else "after"

    @property
    def days(self) -> int:
        """Days before or after the activity."""
        return self.days_before if self.days_before is not None else self.days_after or 0

    def text(self, language: str) -> str:
        """The task text in ``language``."""
        return self.en if language == "en" and self.en else self.zh


class KindTemplate(_Model):
    """A kind's tasks, and what its parents' and students' calendars say."""

    tasks: list[TemplateTask] = []
    bring: Texts | None = None
    arrive_minutes: Annotated[StrictInt, Field(ge=0, le=240)] = 0


class TemplateFile(_Model):
    """A whole templates file."""

    version: Literal[1]
    kinds: dict[Kind, KindTemplate] = {}
    follow_up: list[TemplateTask] | None = None


def _unique_keys(f: TemplateFile) -> list[tuple[tuple[str | int, ...], str]]:
    """A key names one task of a kind (with the follow-ups): a second use is an error."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    follow = [t.key for t in f.follow_up or ()]
    for kind, template in f.kinds.items():
        seen = Counter(follow)
        for i, task in enumerate(template.tasks):
            seen[task.key] += 1
            if seen[task.key] > 1:
                problems.append(
                    (
                        ("kinds", kind, "tasks", i, "key"),
                        t("outputs.templates.key_twice", key=task.key, kind=kind),
                    )
                )
    return problems


@dataclass(frozen=True)
class Templates:
    """The templates in force for one agreement: per kind, and the common follow-ups."""

    kinds: Mapping[str, KindTemplate]
    follow_up: tuple[TemplateTask, ...]

    def tasks(self, kind: str) -> tuple[TemplateTask, ...]:
        """A kind's own tasks, then the common follow-ups."""
        template = self.kinds.get(kind)
        return (*(template.tasks if template else ()), *self.follow_up)

    def family(self, kind: str) -> KindTemplate:
        """What parents and students are told for this kind."""
        return self.kinds.get(kind) or KindTemplate()

    def merged(self, own: TemplateFile) -> "Templates":
        """These templates with an agreement's own file over them."""
        follow_up = self.follow_up if own.follow_up is None else tuple(own.follow_up)
        return Templates({**self.kinds, **_by_name(own)}, follow_up)


def _by_name(f: TemplateFile) -> dict[str, KindTemplate]:
    return {str(kind): template for kind, template in f.kinds.items()}


def parse_templates(data: bytes, filename: str) -> TemplateFile:
    """Validate a templates file's bytes (InputError with every problem located)."""
    from partnership.loader import validate_document
    from partnership.yamlsource import parse_yaml

    return validate_document(parse_yaml(data, filename), TemplateFile, _unique_keys)


@cache
def builtin() -> Templates:
    """The templates shipped with the package.

    Built without validating (the file is ours; a test validates it and checks these are
    the same models): validation would build the whole file's schema on every run.
    """
    from importlib.resources import files

    from partnership.yamlsource import parse_yaml

    data = files("partnership").joinpath(BUILTIN).read_bytes()
    f = _constructed(parse_yaml(data, f"partnership/{BUILTIN}").data)
    return Templates(_by_name(f), tuple(f.follow_up or ()))


def _constructed(data: dict[str, Any]) -> TemplateFile:
    """The models of a templates file's valid data, made without validation."""

    def task(t: dict[str, Any]) -> TemplateTask:
        return TemplateTask.model_construct(**t)

    def kind(k: dict[str, Any]) -> KindTemplate:
        bring = k.get("bring")
        fields = {**k, "tasks": [task(t) for t in k.get("tasks", [])]}
        if bring is not None:
            fields["bring"] = Texts.model_construct(**bring)
        return KindTemplate.model_construct(**fields)

    fields: dict[str, Any] = {
        "version": data["version"],
        "kinds": {name: kind(k) for name, k in data.get("kinds", {}).items()},
    }
    if data.get("follow_up") is not None:
        fields["follow_up"] = [task(t) for t in data["follow_up"]]
    return TemplateFile.model_construct(**fields)


def load_templates(agreement_path: Path, agreement: Agreement) -> Templates:
    """The templates in force for the agreement in ``agreement_path`` (its own file merged).

    A missing or unreadable file is a problem located at the agreement's key.
    """
    name = agreement.checklist_templates
    if name is None:
        return builtin()
    from partnership.loader import read_limited

    path = agreement_path.parent / name
    try:
        data = read_limited(path)
    except InputError as exc:
        raise InputError([_at_key(agreement_path, str(p)) for p in exc.problems]) from None
    return builtin().merged(parse_templates(data, str(path)))


def _at_key(agreement_path: Path, message: str) -> Problem:
    """A problem placed on ``checklist_templates`` in the agreement file."""
    from partnership.loader import read_limited
    from partnership.yamlsource import parse_yaml

    doc = parse_yaml(read_limited(agreement_path), str(agreement_path))
    return doc.problem(("checklist_templates",), t("outputs.templates.file", problem=message))
