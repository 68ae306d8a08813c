"""District tests plan on one core under mutation testing (docs/mutation.md): mutmut runs
each mutant in a process forked from one that has run the tests, and a process forked
from that one again, or a HiGHS MIP in it, would hang. The multi-core tests
(test_parallel.py) stay out of that run."""

from __future__ import annotations

import os

import pytest

from partnership import parallel
from partnership.district.highs import quiet_highs


def _under_mutation() -> bool:
    return os.environ.get("HYPOTHESIS_PROFILE") == "mutation" or "MUTANT_UNDER_TEST" in os.environ


if _under_mutation():
    # HiGHS starts its thread pool once per process, at its first run, and a forked child
    # has none of those threads: the exact MIP (tests/district/exact.py) would wait on
    # them for ever. Started here with one thread, the pool needs no other.
    _first = quiet_highs()
    _first.setOptionValue("threads", 1)
    _first.run()


@pytest.fixture(autouse=True)
def _one_core_under_mutation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plan on one core while mutants are judged; on every core otherwise."""
    if _under_mutation():
        monkeypatch.setattr(parallel, "cores", lambda: 1)
