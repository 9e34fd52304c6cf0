"""Snapshots outside the live dashboard: replayed, exported as JSON, summarised as text."""
