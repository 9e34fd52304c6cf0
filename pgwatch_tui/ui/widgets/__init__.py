"""One widget per pane, each fed from a snapshot through a pure row builder in views/."""
