"""Allow `python -m pgwatch_tui`."""

from pgwatch_tui.launch import main

raise SystemExit(main())
