"""The frozen row models and the Snapshot a tick produces."""
