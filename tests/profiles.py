"""Hypothesis profiles: derandomized by default and in CI, a long random one on request.

``ci`` (the default) draws the same examples on every run, so the suite passes or fails
the same way each time. ``long`` (``HYPOTHESIS_PROFILE=long``) draws fresh examples, ten
times as many; run it with ``-m slow`` before handing work in and pin any failure it finds
with ``@example``. ``mutation`` (docs/mutation.md) is ``ci`` with a tenth of the examples
and no shrinking, so each mutant is judged in seconds. Tests size themselves with :func:`examples`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

LONG_FACTOR = 10
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    derandomize=False,
    deadline=None,
    max_examples=100 * LONG_FACTOR,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# a mutant is judged by whether a test fails, not by the smallest example: no shrinking
settings.register_profile(
    "mutation",
    settings.get_profile("ci"),
    max_examples=10,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """``n`` examples in the ci profile, ``LONG_FACTOR`` times as many in the long one and
    a ``LONG_FACTOR``-th in the mutation one."""
    if PROFILE == "long":
        return n * LONG_FACTOR
    return max(1, n // LONG_FACTOR) if PROFILE == "mutation" else n
