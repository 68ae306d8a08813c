"""District file → validated district and its agreements; every problem located, all at once.

The district file is read with the agreement machinery (:mod:`partnership.yamlsource`,
:func:`partnership.loader.validate_document`); its ``agreements`` entries are paths or
globs relative to the file, and every agreement they name is validated as by
``validate``. Problems of all files are reported together.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

from partnership.district.model import District, district_check
from partnership.errors import InputError, Problem
from partnership.loader import load_agreements, read_limited, validate_document
from partnership.messages import Lang, t
from partnership.model import Agreement
from partnership.yamlsource import parse_yaml

RECORDS_SUFFIX = ".records.yaml"


@dataclass(frozen=True)
class Member:
    """One agreement of the district, and the brigade it joins (None: planned on its own)."""

    path: Path
    agreement: Agreement
    brigade: str | None


@dataclass(frozen=True)
class LoadedDistrict:
    """The district file and its agreements in file order (sorted within each glob)."""

    path: Path
    district: District
    members: tuple[Member, ...]

    @property
    def language(self) -> Lang:
        """The language of the district's own outputs (the brigade files and report)."""
        return self.district.district.language


def load_district(path: Path) -> LoadedDistrict:
    """Read and validate the district file and every agreement it names."""
    name = str(path)
    doc = parse_yaml(read_limited(path), name)
    problems: list[Problem] = []
    district: District | None = None
    try:
        district = validate_document(doc, District, district_check)
        entries = list(district.agreements)
    except InputError as exc:  # the agreements are still checked, when they can be read
        problems.extend(exc.problems)
        raw = doc.data.get("agreements") if isinstance(doc.data, dict) else None
        entries = [e for e in raw if isinstance(e, str)] if isinstance(raw, list) else []
    base = path.parent
    files: list[Path] = []
    seen: set[Path] = set()
    for i, entry in enumerate(entries):
        matches = _expand(base, entry)
        if not matches:
            problems.append(doc.problem(("agreements", i), t("district.no_match", entry=entry)))
        for m in matches:
            key = m.resolve()
            if key not in seen:
                seen.add(key)
                files.append(m)
    members: list[Member] = []
    owner: dict[str, Path] = {}
    loaded, failed = load_agreements(files)
    problems.extend(failed)
    for f, a in loaded:
        aid = a.agreement.id
        if aid in owner:
            problems.append(
                Problem(str(f), None, None, t("district.id_twice", id=aid, other=owner[aid]))
            )
            continue
        owner[aid] = f
        bid = a.parties.brigade.id
        listed = district is not None and bid is not None and district.brigade(bid) is not None
        members.append(Member(f, a, bid if listed else None))
    if problems or district is None:
        raise InputError(problems)
    return LoadedDistrict(path, district, tuple(members))


def _expand(base: Path, entry: str) -> list[Path]:
    """The files an entry names: a path, or a glob (``*``, ``?``, ``[...]``, ``**``)."""
    pattern = Path(entry).expanduser()
    full = pattern if pattern.is_absolute() else base / pattern
    if not glob.has_magic(str(full)):
        return [full] if full.is_file() else []
    found = (Path(p) for p in glob.glob(str(full), recursive=True))
    # a records file lives beside its agreement: a glob over agreements skips it
    return sorted(p for p in found if p.is_file() and not p.name.endswith(RECORDS_SUFFIX))
