"""End-to-end tests use the shared real-server fixtures."""

from tests.pg_fixtures import cluster, own_cluster, pg_install

__all__ = ["cluster", "own_cluster", "pg_install"]
