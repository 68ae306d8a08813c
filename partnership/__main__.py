"""``python -m partnership``: the same as the ``partnership`` command."""

import gc

gc.disable()  # a short-lived process: see cli.main

from partnership.cli import main  # noqa: E402  (after the collector is off: imports are most of it)

main()
