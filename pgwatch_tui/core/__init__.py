"""The headless core: connection, probes, snapshots, rates. Never imports textual or plotext."""
