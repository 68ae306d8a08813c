"""The command line's own words in the user's language: help texts and click's usage errors.

typer reads ``help=`` when the module is imported, before ``--lang`` is known, so
cli.py gives catalogue *keys* as help; :func:`translate_tree` replaces them with
their text once the language is chosen, just before click parses the arguments.
click's usage errors ("Missing argument", "No such option", ...) are English
literals; :func:`usage_error` renders each from its type and fields instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from typer._click import exceptions as click_exc
from typer._click.core import Context
from typer._click.formatting import HelpFormatter

from partnership.messages import Lang, catalogue, normalise, raw, t

LANG_OPTION = "--lang"
_HELP_FLAGS = ("--help", "-h")
_KEY = "_partnership_help_key"


def chosen_language(args: Sequence[str]) -> Lang | None:
    """The language ``--lang`` names among the options before the command word, if any."""
    words = list(args)
    for i, word in enumerate(words):
        if word == LANG_OPTION and i + 1 < len(words):
            return _lang(words[i + 1])
        if word.startswith(f"{LANG_OPTION}="):
            return _lang(word.split("=", 1)[1])
        if not word.startswith("-"):
            return None
    return None


def _lang(value: str) -> Lang | None:
    """The language of a valid ``--lang`` value (click reports an invalid one)."""
    return normalise(value) if value in ("zh-CN", "en") else None


def wants_help(args: Sequence[str]) -> bool:
    """Whether click is going to print a help page (``--help``/``-h``, or no arguments)."""
    return not args or any(a in _HELP_FLAGS for a in args)


class _Formatter(HelpFormatter):
    """click's help formatter with the "Usage:" prefix in the user's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, t("cli.click.usage") if prefix is None else prefix)


class TranslatedContext(Context):
    """The click context every command of the tool uses: usage line and --help translated."""

    formatter_class = _Formatter

    def __init__(self, *args: Any, **extra: Any) -> None:
        super().__init__(*args, **extra)
        option = self.command.get_help_option(self)
        if option is not None:
            option.help = t("cli.click.help")
            option.metavar = ""  # a flag: no "<bool>" beside it


def translate_tree(command: Any) -> None:
    """Replace the help keys of ``command``, its parameters and subcommands with their text."""
    known = catalogue()
    command.context_class = TranslatedContext
    for owner in (command, *getattr(command, "params", ())):
        key = getattr(owner, _KEY, None) or getattr(owner, "help", None)
        if isinstance(key, str) and key in known:
            setattr(owner, _KEY, key)
            owner.help = t(key)
        if getattr(owner, "is_flag", False) and owner.metavar is None:
            owner.metavar = ""  # a flag takes no value: no "<bool>" beside it in --help
    for sub in getattr(command, "commands", {}).values():
        translate_tree(sub)


def translate_rich_help() -> None:
    """typer's rich help and error panels: their fixed words in the user's language."""
    from typer import rich_utils

    rich_utils.DEFAULT_STRING = raw("cli.click.default")
    rich_utils.REQUIRED_LONG_STRING = raw("cli.click.required")
    rich_utils.ARGUMENTS_PANEL_TITLE = raw("cli.click.arguments")
    rich_utils.OPTIONS_PANEL_TITLE = raw("cli.click.options")
    rich_utils.COMMANDS_PANEL_TITLE = raw("cli.click.commands")
    rich_utils.ERRORS_PANEL_TITLE = raw("cli.click.error")
    rich_utils.ABORTED_TEXT = raw("cli.click.aborted")
    rich_utils.RICH_HELP = raw("cli.click.try_help")
    rich_utils.ENVVAR_STRING = raw("cli.click.envvar")
    if not hasattr(rich_utils._make_rich_text, _KEY):
        rich_utils._make_rich_text = _folding(rich_utils._make_rich_text)


def _folding(make: Any) -> Any:
    """typer's help-text maker, its text folding instead of cut with "…" in a narrow column.

    Chinese has no spaces; rich wraps at spaces, so a Chinese help text is one long
    word that a table column would otherwise crop.
    """

    def make_folding(**kwargs: Any) -> Any:
        text = make(**kwargs)
        if hasattr(text, "overflow"):
            text.overflow = "fold"
        return text

    setattr(make_folding, _KEY, True)
    return make_folding


# click's inner messages of a bad value (typer checks values with pydantic); compiled by
# re on first use: only a usage error needs them
_VALUE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"(?:Value error, )?(?P<value>'.*') is not one of (?P<choices>.*?)\.?$", "choice"),
    (r"Input should be a valid integer", "integer"),
    (r"Input should be a valid number", "number"),
    (r"Input should be greater than or equal to (?P<limit>\S+)", "at_least"),
    (r"Input should be less than or equal to (?P<limit>\S+)", "at_most"),
    (r"Input should be greater than (?P<limit>\S+)", "above"),
    (r"Input should be less than (?P<limit>\S+)", "below"),
    (r"^\w+ (?P<path>'.*') does not exist\.$", "missing_path"),
    (r"^\w+ (?P<path>'.*') is a file\.$", "is_file"),
    (r"^\w+ (?P<path>'.*') is a directory\.$", "is_folder"),
    (r"^\w+ (?P<path>'.*') is not readable\.$", "not_readable"),
    (r"^\w+ (?P<path>'.*') is not writable\.$", "not_writable"),
)
_USAGE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"No such command (?P<name>'.*')\.$", "no_such_command"),
    (r"Missing command\.$", "missing_command"),
    (
        r"Got unexpected extra argument(?:s|\(s\))? \((?P<words>.*)\)$",
        "extra_arguments",
    ),
    (r"Option (?P<name>'.*') requires an argument\.$", "needs_value"),
    (r"Option (?P<name>'.*') requires (?P<n>\d+) arguments\.$", "needs_values"),
    (r"Option (?P<name>'.*') does not take a value\.$", "takes_no_value"),
)


def usage_error(exc: click_exc.UsageError) -> click_exc.UsageError:
    """The same usage error, its message in the user's language (click's own as a fallback)."""
    if isinstance(exc, click_exc.NoArgsIsHelpError):
        return exc
    if isinstance(exc, click_exc.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param else "parameter")
        what = t(f"cli.click.kind.{kind}") if f"cli.click.kind.{kind}" in catalogue() else kind
        text = t("cli.click.missing", what=what, name=_hint(exc))
    elif isinstance(exc, click_exc.NoSuchOption):
        text = t("cli.click.no_such_option", name=exc.option_name)
        if exc.possibilities:
            text += t("cli.click.possible", options=", ".join(sorted(exc.possibilities)))
    elif isinstance(exc, click_exc.BadParameter):
        inner = _matched(exc.message, _VALUE_PATTERNS, "cli.click.value.")
        text = t("cli.click.invalid", name=_hint(exc), problem=inner)
    else:
        text = _matched(exc.message, _USAGE_PATTERNS, "cli.click.usage_error.")
    new = click_exc.UsageError(text, ctx=exc.ctx)
    new.exit_code = exc.exit_code
    return new


def _hint(exc: click_exc.BadParameter) -> str:
    hint: Any = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint()
    if isinstance(hint, (list, tuple)):
        return " / ".join(repr(h) for h in hint)
    return str(hint) if hint else ""


def _matched(message: str, patterns: Sequence[tuple[str, str]], prefix: str) -> str:
    for pattern, name in patterns:
        m = re.search(pattern, message)
        if m:
            return raw(prefix + name).format_map(m.groupdict())
    return message
