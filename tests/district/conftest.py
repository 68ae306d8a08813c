"""District tests plan on one core under mutation testing (docs/mutation.md): mutmut runs
each mutant in a forked process of its own, and workers forked from that one hang or run
another copy of the code. The multi-core tests (test_parallel.py) stay out of that run."""

from __future__ import annotations

import os

import pytest

from partnership.district import parallel


@pytest.fixture(autouse=True)
def _one_core_under_mutation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plan on one core while mutants are judged; on every core otherwise."""
    if os.environ.get("HYPOTHESIS_PROFILE") == "mutation" or "MUTANT_UNDER_TEST" in os.environ:
        monkeypatch.setattr(parallel, "cores", lambda: 1)
