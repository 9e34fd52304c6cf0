"""The version matrix: a sandbox cluster per PostgreSQL major other than Debian's 15, from the
pinned npm builds (tests/matrix/embedded_builds.py). Each major's tests stay on one xdist
worker (--dist loadgroup), so each cluster is made once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pgwatch_tui.sandbox.cluster import SandboxCluster, sandbox_cluster
from tests.matrix.embedded_builds import VERSIONS, install_for_major
from tests.pg_fixtures import create_extensions

MAJORS = [
    pytest.param(major, marks=[pytest.mark.xdist_group(f"pg{major}")], id=f"pg{major}")
    for major in sorted(VERSIONS)
]


@pytest.fixture(scope="module", params=MAJORS)
def versioned_cluster(request: pytest.FixtureRequest) -> Iterator[SandboxCluster]:
    install = install_for_major(request.param)
    assert install.major == request.param
    with sandbox_cluster(install) as made:
        create_extensions(made.conninfo(), install)
        yield made
