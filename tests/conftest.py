"""Suite-wide setup: the Hypothesis profile (tests/profiles.py) and the ``slow`` marker on
every property test, so ``HYPOTHESIS_PROFILE=long pytest -m slow`` runs exactly those."""

from __future__ import annotations

import profiles  # noqa: F401  (registers and loads the Hypothesis profile)
import pytest

from partnership import holidays, reasons


@pytest.fixture(autouse=True)
def _worked_out_afresh() -> None:
    """Each test words its reasons and works its official years out itself, not from what
    an earlier test left kept (a mutation run would otherwise test the kept results
    instead of the code)."""
    reasons._KEPT.clear()
    holidays._without_notices.cache_clear()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each Hypothesis test ``slow``."""
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)
