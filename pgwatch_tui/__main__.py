"""Allow `python -m pgwatch_tui`."""

from pgwatch_tui.cli import main

raise SystemExit(main())
