"""docs/agreement-format.md and the JSON Schema (`partnership schema`) say the same.

Every key path of the schema has a row in the document and every row is a key of the
schema; each row states the schema's default and every numeric bound (so a bound added
to the model, such as ``Field(le=...)``, fails here until the page says it).
"""

from __future__ import annotations

import json
import re
from typing import Any

from factory import ROOT
from typer.testing import CliRunner

from partnership.cli import app
from partnership.loader import parse_agreement

DOC = (ROOT / "docs" / "agreement-format.md").read_text(encoding="utf-8")
_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems")


def _schema() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    schema: dict[str, Any] = json.loads(result.stdout)
    return schema


class _Walker:
    def __init__(self, schema: dict[str, Any]) -> None:
        self.defs = schema.get("$defs", {})
        self.rows: dict[str, dict[str, Any]] = {}
        self.walk(schema, "")

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = self.defs[node["$ref"].rsplit("/", 1)[-1]]
        return node

    def branches(self, node: dict[str, Any]) -> list[dict[str, Any]]:
        node = self.resolve(node)
        for key in ("anyOf", "oneOf", "allOf"):
            if key in node:
                return [b for sub in node[key] for b in self.branches(sub)]
        return [node]

    def bounds(self, node: dict[str, Any]) -> list[Any]:
        found = []
        for b in self.branches(node):
            found += [b[k] for k in _BOUNDS if k in b]
            if b.get("minLength", 1) > 1 or "maxLength" in b:
                found += [b[k] for k in ("minLength", "maxLength") if k in b]
            items = b.get("items")
            for item in [items] if isinstance(items, dict) else b.get("prefixItems", []):
                if item is not None:
                    found += [
                        x for ib in self.branches(item) for k, x in ib.items() if k in _BOUNDS
                    ]
        return found

    def walk(self, node: dict[str, Any], path: str) -> None:
        for b in self.branches(node):
            required = set(b.get("required", []))
            for key, sub in b.get("properties", {}).items():
                name = f"{path}.{key}" if path else key
                default = sub.get("default", self.resolve(sub).get("default"))
                self.rows[name] = {
                    "required": key in required,
                    "default": default,
                    "bounds": self.bounds(sub),
                }
                self.walk(sub, name)
            if b.get("type") == "array" and isinstance(b.get("items"), dict):
                self.walk(b["items"], f"{path}[]")


def _documented() -> dict[str, list[str]]:
    rows = {}
    for line in DOC.splitlines():
        m = re.match(r"\|\s*`([^`]+)`\s*\|(.*)\|\s*$", line)
        if m:
            rows[m.group(1)] = [cell.strip() for cell in m.group(2).split("|")]
    return rows


def _yaml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    return str(value)


def test_every_key_of_the_schema_is_documented_and_nothing_else() -> None:
    schema = _Walker(_schema()).rows
    documented = _documented()
    missing = sorted(set(schema) - set(documented))
    extra = sorted(set(documented) - set(schema))
    assert missing == [], "add rows for: " + ", ".join(missing)
    assert extra == [], "no such key in the schema: " + ", ".join(extra)


def test_each_row_states_required_the_default_and_the_bounds() -> None:
    documented = _documented()
    for path, facts in _Walker(_schema()).rows.items():
        default_cell, bounds_cell = documented[path][0], documented[path][1]
        if facts["required"]:
            assert default_cell == "required", path
        elif facts["default"] is not None:
            assert f"`{_yaml(facts['default'])}`" in default_cell, (path, facts["default"])
        for bound in facts["bounds"]:
            assert re.search(rf"(?<![\d.]){re.escape(str(bound))}(?![\d.])", bounds_cell), (
                path,
                bound,
            )


def test_the_example_of_the_page_is_a_valid_agreement() -> None:
    example = DOC.split("```yaml\n", 1)[1].split("```", 1)[0]
    agreement = parse_agreement(example.encode("utf-8"), "docs/agreement-format.md")
    assert agreement.agreement.id == "xiaoxue-fire-2025"
