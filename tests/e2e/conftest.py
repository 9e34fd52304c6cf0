"""End-to-end tests use the shared real-server fixtures."""

from tests.pg_fixtures import cluster, pg_install

__all__ = ["cluster", "pg_install"]
