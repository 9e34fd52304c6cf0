"""Integration tests use the shared real-server fixtures."""

from tests.pg_fixtures import FAST, cluster, own_cluster, pg_install, poller

__all__ = ["FAST", "cluster", "own_cluster", "pg_install", "poller"]
