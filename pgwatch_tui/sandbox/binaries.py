"""Finding PostgreSQL server binaries for the throwaway cluster.

Order: an explicit directory (--pg-bin), then `pg_config --bindir` on PATH, then the newest
/usr/lib/postgresql/*/bin (Debian's layout). Relocatable builds that carry their own
libraries (native/bin beside native/lib) get that lib directory on LD_LIBRARY_PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pgwatch_tui.core.errors import SandboxError

REQUIRED_TOOLS = ("initdb", "pg_ctl", "postgres")
DEFAULT_MAJOR = 15
DEBIAN_ROOT = Path("/usr/lib/postgresql")


@dataclass(frozen=True)
class PgInstall:
    """A PostgreSQL server installation pgwatch can run a sandbox cluster from."""

    bindir: Path
    version: str
    libdir: Path | None = None

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])

    def tool(self, name: str) -> Path:
        return self.bindir / name

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """The environment to run this installation's tools in."""
        env = dict(os.environ if base is None else base)
        if self.libdir is not None:
            previous = env.get("LD_LIBRARY_PATH")
            env["LD_LIBRARY_PATH"] = f"{self.libdir}:{previous}" if previous else str(self.libdir)
        return env

    def sharedir(self) -> Path | None:
        """Where extension control files live (for 'is HypoPG installed?')."""
        candidates = [
            self.bindir.parent / "share" / "postgresql",
            self.bindir.parent / "share",
            Path("/usr/share/postgresql") / str(self.major),
        ]
        for candidate in candidates:
            if (candidate / "extension").is_dir():
                return candidate
        return None

    def has_extension(self, name: str) -> bool:
        share = self.sharedir()
        return share is not None and (share / "extension" / f"{name}.control").is_file()


def _version_of(bindir: Path, libdir: Path | None) -> str | None:
    probe = PgInstall(bindir, "0", libdir)
    try:
        out = subprocess.run(
            [str(probe.tool("postgres")), "--version"],
            capture_output=True,
            text=True,
            timeout=10,
            env=probe.env(),
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\)\s+(\d+(?:\.\d+)?)", out)
    return match.group(1) if match else None


def inspect_bindir(bindir: Path) -> PgInstall | None:
    """A PgInstall for a directory holding initdb, pg_ctl and postgres, or None."""
    bindir = bindir.resolve()
    if not all((bindir / tool).is_file() for tool in REQUIRED_TOOLS):
        return None
    libdir = bindir.parent / "lib"
    own_libs = libdir.is_dir() and any(libdir.glob("libpq.so*"))
    version = _version_of(bindir, libdir if own_libs else None)
    if version is None:
        return None
    return PgInstall(bindir, version, libdir if own_libs else None)


def _pg_config_bindir() -> Path | None:
    pg_config = shutil.which("pg_config")
    if not pg_config:
        return None
    try:
        out = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out) if out else None


def _debian_bindirs() -> list[Path]:
    if not DEBIAN_ROOT.is_dir():
        return []
    found = [p / "bin" for p in DEBIAN_ROOT.iterdir() if p.name.isdigit()]
    return sorted(found, key=lambda p: int(p.parent.name), reverse=True)


def find_install(explicit: Path | None = None) -> PgInstall:
    """The server binaries to use, or a SandboxError naming the package to install."""
    if explicit is not None:
        install = inspect_bindir(explicit)
        if install is None:
            raise SandboxError(
                f"--pg-bin {explicit}: no usable PostgreSQL server there "
                f"(it needs {', '.join(REQUIRED_TOOLS)})"
            )
        return install
    candidates = [c for c in [_pg_config_bindir(), *_debian_bindirs()] if c is not None]
    for candidate in candidates:
        install = inspect_bindir(candidate)
        if install is not None:
            return install
    raise SandboxError(
        "no PostgreSQL server binaries found: install them (Debian/Ubuntu: "
        f"apt-get install postgresql-{DEFAULT_MAJOR} postgresql-{DEFAULT_MAJOR}-hypopg) "
        "or pass --pg-bin DIR"
    )
