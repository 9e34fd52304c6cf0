"""The dashboard's tabs: one pane per job, each handed the snapshot while it is visible."""
