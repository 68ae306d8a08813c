"""HiGHS, the LP/MIP solver of district mode (through highspy), made silent."""

from __future__ import annotations

import os
import sys
from typing import Any


def quiet_highs() -> Any:
    """A HiGHS instance that prints nothing (its banner goes to the C stdout otherwise)."""
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    return h
