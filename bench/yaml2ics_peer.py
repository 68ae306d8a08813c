"""Time yaml2ics building and serialising the events of one yaml2ics input file.

Run by bench/run.py with an interpreter that has yaml2ics (possibly a throwaway venv):
    python bench/yaml2ics_peer.py EVENTS.yaml OUT.ics REPEATS
Prints JSON {"seconds": [...], "events": n} on stdout and writes one output to OUT.ics.
Only the conversion is timed (events → ics.Calendar → text); the YAML is parsed beforehand,
as the plan is for our own render_ics.
"""

from __future__ import annotations

import copy
import json
import sys
import time
from pathlib import Path
from typing import Any

import yaml
import yaml2ics


def convert(document: dict[str, Any]) -> str:
    """yaml2ics's own path from parsed YAML to .ics text (what its CLI prints)."""
    tz = yaml2ics.gettz(document["timezone"])
    events = [yaml2ics.event_from_yaml(event, tz=tz) for event in document["events"]]
    calendar = yaml2ics.events_to_calendar(events)
    text: str = calendar.serialize()
    return text


def main() -> None:
    """Convert the file REPEATS times (fresh copies, since yaml2ics pops keys) and report."""
    source, target, repeats = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    with source.open("rb") as fh:
        document = yaml.load(fh, Loader=yaml.FullLoader)
    copies = [copy.deepcopy(document) for _ in range(repeats + 1)]
    target.write_text(convert(copies.pop()), encoding="utf-8")
    seconds = []
    for doc in copies:
        start = time.perf_counter()
        convert(doc)
        seconds.append(time.perf_counter() - start)
    print(json.dumps({"seconds": seconds, "events": len(document["events"])}))


if __name__ == "__main__":
    main()
