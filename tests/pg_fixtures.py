"""Fixtures for tests that need a real server: a throwaway cluster per test session.

A missing server fails the run: these tests never skip."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator

import psycopg
import pytest
from psycopg import sql

from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.sandbox.binaries import PgInstall, find_install
from pgwatch_tui.sandbox.cluster import SandboxCluster, sandbox_cluster

EXTENSIONS = ("pg_stat_statements", "hypopg", "pgstattuple", "pg_qualstats")
FAST = Settings(statement_timeout_ms=1500, lock_timeout_ms=300, connect_timeout_s=3)


@pytest.fixture(scope="session")
def pg_install() -> PgInstall:
    """The server binaries; a missing server fails the run instead of skipping it."""
    return find_install()


def create_extensions(conninfo: str, install: PgInstall) -> None:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for name in EXTENSIONS:
            if install.has_extension(name):
                conn.execute(
                    sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(name))
                )


@pytest.fixture(scope="session")
def cluster(pg_install: PgInstall) -> Iterator[SandboxCluster]:
    """The shared cluster. Tests that restart or reconfigure a server make their own."""
    with sandbox_cluster(pg_install) as made:
        create_extensions(made.conninfo(), pg_install)
        yield made


@pytest.fixture
def own_cluster(pg_install: PgInstall) -> Iterator[SandboxCluster]:
    """A private cluster for tests that restart, break or reconfigure the server."""
    with sandbox_cluster(pg_install) as made:
        create_extensions(made.conninfo(), pg_install)
        yield made


@contextlib.asynccontextmanager
async def connected_poller(conninfo: str, settings: Settings = FAST) -> AsyncIterator[Poller]:
    made = Poller(ConnTarget(conninfo), settings)
    await made.connect()
    try:
        yield made
    finally:
        await made.close()


@pytest.fixture
async def poller(cluster: SandboxCluster) -> AsyncIterator[Poller]:
    async with connected_poller(cluster.conninfo()) as made:
        yield made
