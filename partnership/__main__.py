"""``python -m partnership``: the same as the ``partnership`` command."""

from partnership.cli import main

main()
