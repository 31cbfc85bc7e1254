"""``python -m incidents``: the command-line interface."""

from incidents.cli import main

raise SystemExit(main())
