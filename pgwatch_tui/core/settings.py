"""pgwatch settings: defaults < config file (TOML) < PGWATCH_* environment < command line.

Connection parameters are deliberately not settings: libpq owns them (conninfo, PG* variables,
~/.pgpass, pg_service.conf), and pgwatch passes them through untouched.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pgwatch_tui.core.errors import UsageError

ENV_PREFIX = "PGWATCH_"


class Settings(BaseModel):
    """Everything a user can tune. Field names are the config keys; `PGWATCH_<NAME>` the env."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    refresh: float = Field(2.0, ge=0.5, le=60, description="seconds between polls")
    read_only: bool = Field(False, description="no actions; the server session is read-only")
    statement_timeout_ms: int = Field(2000, ge=100, le=600_000)
    lock_timeout_ms: int = Field(500, ge=10, le=60_000)
    idle_in_transaction_timeout_ms: int = Field(15_000, ge=1000, le=3_600_000)
    connect_timeout_s: int = Field(5, ge=2, le=300, description="libpq's minimum is 2 s")
    query_text_max_chars: int = Field(
        4096, ge=64, le=1_048_576, description="longest session query text kept"
    )
    statement_text_max_chars: int = Field(
        65_536, ge=256, le=4_194_304, description="longest pg_stat_statements text kept"
    )
    top_statements: int = Field(50, ge=1, le=10_000, description="statements in snapshot output")
    table_rows: int = Field(
        500,
        ge=20,
        le=100_000,
        description="most rows a pane's table shows (after filter, sort)",
    )
    long_query_s: float = Field(60.0, gt=0, description="highlight queries running longer")
    idle_in_transaction_s: float = Field(10.0, gt=0, description="highlight idle-in-transaction")
    slow_statement_ms: float = Field(100.0, gt=0, description="highlight slower mean time")
    tables_interval_s: float = Field(30.0, ge=1, le=3600, description="table/index stats cadence")
    bloat_interval_s: float = Field(300.0, ge=10, le=86_400, description="bloat estimate cadence")
    history_minutes: int = Field(15, ge=1, le=240, description="length of the Overview charts")
    action_lock_timeout_ms: int = Field(
        60_000,
        ge=10,
        le=3_600_000,
        description="lock wait limit of an action (concurrent index builds also wait this long "
        "for older transactions)",
    )
    action_statement_timeout_ms: int = Field(
        0, ge=0, le=86_400_000, description="0: index builds run as long as they need"
    )
    analyze_timeout_ms: int = Field(
        30_000, ge=100, le=3_600_000, description="limit of EXPLAIN ANALYZE"
    )
    measure_timeout_ms: int = Field(
        300_000, ge=1000, le=86_400_000, description="limit of an exact bloat measurement"
    )
    theme: str = Field("textual-dark", min_length=1, description="any Textual theme name")


SETTING_NAMES: tuple[str, ...] = tuple(Settings.model_fields)


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """`$XDG_CONFIG_HOME/pgwatch/config.toml`, with the XDG default of ~/.config."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "pgwatch" / "config.toml"


def read_config_file(path: Path, *, required: bool) -> dict[str, Any]:
    """Parse a TOML config; a missing default file is fine, a missing named file is not."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if required:
            raise UsageError(f"config file {path} does not exist") from None
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"cannot read config file {path}: {reason}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"config file {path} is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(SETTING_NAMES))
    if unknown:
        raise UsageError(
            f"config file {path}: unknown key {', '.join(repr(k) for k in unknown)}"
            f" (known keys: {', '.join(SETTING_NAMES)})"
        )
    return data


def settings_from_env(environ: Mapping[str, str]) -> dict[str, str]:
    """Pick `PGWATCH_<SETTING>` variables; other PGWATCH_* names are left alone."""
    found: dict[str, str] = {}
    for name in SETTING_NAMES:
        value = environ.get(ENV_PREFIX + name.upper())
        if value is not None:
            found[name] = value
    return found


def _where(name: str, origins: Mapping[str, str]) -> str:
    return origins.get(name, "settings")


def build_settings(
    *,
    config_path: Path | None,
    environ: Mapping[str, str],
    cli: Mapping[str, Any],
) -> Settings:
    """Merge the layers in order of precedence and validate once, naming the culprit on error."""
    path = config_path if config_path is not None else default_config_path(environ)
    from_file = read_config_file(path, required=config_path is not None)
    from_env = settings_from_env(environ)
    from_cli = {k: v for k, v in cli.items() if v is not None}

    origins: dict[str, str] = {}
    for name in from_file:
        origins[name] = f"{path}: {name}"
    for name in from_env:
        origins[name] = ENV_PREFIX + name.upper()
    for name in from_cli:
        origins[name] = "--" + name.replace("_", "-")

    merged: dict[str, Any] = {**from_file, **from_env, **from_cli}
    try:
        return Settings.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "settings"
        given = merged.get(name)
        raise UsageError(
            f"{_where(name, origins)}: {first['msg'].lower()} (got {given!r})"
        ) from None
