"""Collecting: the monitoring connection, probe declarations, the poller, rates, history."""
