"""``python -m raycourse``: the pi estimate as a command (see :mod:`raycourse.cli`)."""

from raycourse.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
