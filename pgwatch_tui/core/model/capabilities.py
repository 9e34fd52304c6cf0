"""What the server and role let pgwatch see and do, each gap with the exact fix.

Read once per connection from the capabilities probe; `build_report` is pure so every
combination of facts is unit-tested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from pgwatch_tui.core.model.rows import Row
from pgwatch_tui.core.sql_names import quote_ident
from pgwatch_tui.core.versions import Version, parse_version


class CapabilityFacts(Row):
    """Raw facts from the capabilities probe."""

    shared_preload_libraries: str | None
    pgss_loaded: bool
    pgss_version: str | None
    pgss_schema: str | None
    pgss_available: str | None
    hypopg_version: str | None
    hypopg_schema: str | None
    hypopg_available: str | None
    pgstattuple_version: str | None
    pgstattuple_schema: str | None
    pgstattuple_available: str | None
    role_name: str
    database: str
    is_superuser: bool
    has_pg_monitor: bool
    has_read_all_stats: bool
    has_stat_scan_tables: bool
    has_signal_backend: bool
    track_io_timing: bool
    track_activities: bool
    track_counts: bool
    compute_query_id: str
    in_recovery: bool
    version_num: int


class Severity(StrEnum):
    OK = "ok"
    INFO = "info"
    WARNING = "warning"


class Capability(BaseModel):
    """One line of the capability report: what, whether it is there, and how to fix it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    severity: Severity
    summary: str
    fix: str | None = None


class CapabilityReport(BaseModel):
    """Everything the UI and `pgwatch snapshot` say about the server's capabilities."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: str
    database: str
    server_major: int
    pg_stat_statements: str | None
    pg_stat_statements_schema: str | None
    hypopg: str | None
    hypopg_schema: str | None
    pgstattuple: str | None
    pgstattuple_schema: str | None
    can_read_all_stats: bool
    can_signal_backends: bool
    can_scan_tables: bool
    in_recovery: bool
    items: tuple[Capability, ...]

    @property
    def statements_usable(self) -> bool:
        return self.item("pg_stat_statements").severity is not Severity.WARNING

    @property
    def pgss_version(self) -> Version | None:
        return parse_version(self.pg_stat_statements) if self.statements_usable else None

    @property
    def warnings(self) -> tuple[Capability, ...]:
        return tuple(i for i in self.items if i.severity is Severity.WARNING)

    def unusable(self, key: str) -> str | None:
        """Why the extension or privilege `key` cannot be used, or None when it can."""
        entry = self.item(key)
        return entry.summary if entry.severity is Severity.WARNING else None

    def item(self, key: str) -> Capability:
        for entry in self.items:
            if entry.key == key:
                return entry
        raise KeyError(key)


def _preload_has(libraries: str, name: str) -> bool:
    """Whether a shared_preload_libraries value names a library (quotes and spaces allowed)."""
    return name in {part.strip().strip('"') for part in libraries.split(",")}


def _where_else(databases: list[str]) -> str:
    """Where else the extension exists: `postgres` first (the usual home of monitoring),
    at most three names so the message stays one line."""
    if not databases:
        return ""
    ordered = sorted(databases, key=lambda name: (name != "postgres", name))
    shown = ", ".join(ordered[:3]) + (f" and {len(ordered) - 3} more" if len(ordered) > 3 else "")
    return f"; it exists in {shown}: connect there with -d {ordered[0]}"


def _pgss_item(facts: CapabilityFacts, elsewhere: list[str]) -> Capability:
    libs = (facts.shared_preload_libraries or "").strip()
    # None: the role may not read shared_preload_libraries; the loaded check alone decides.
    listed = facts.shared_preload_libraries is None or _preload_has(libs, "pg_stat_statements")
    if not (facts.pgss_loaded and listed):
        new = f"{libs}, pg_stat_statements" if libs else "pg_stat_statements"
        return Capability(
            key="pg_stat_statements",
            severity=Severity.WARNING,
            summary="pg_stat_statements is not loaded (shared_preload_libraries): "
            "the Statements pane is empty",
            fix=f"ALTER SYSTEM SET shared_preload_libraries = '{new}'; -- then restart the server,"
            f" and CREATE EXTENSION pg_stat_statements; in {facts.database}",
        )
    if facts.pgss_version is None:
        where = _where_else(elsewhere)
        return Capability(
            key="pg_stat_statements",
            severity=Severity.WARNING,
            summary=f"pg_stat_statements is loaded but not created in database "
            f"{facts.database}{where}",
            fix=f"CREATE EXTENSION pg_stat_statements; -- in database {facts.database}",
        )
    have = parse_version(facts.pgss_version)
    if have is None or have < (1, 3):
        return Capability(
            key="pg_stat_statements",
            severity=Severity.WARNING,
            summary=f"pg_stat_statements {facts.pgss_version} is too old for pgwatch (1.3+)",
            fix="ALTER EXTENSION pg_stat_statements UPDATE;",
        )
    latest = parse_version(facts.pgss_available)
    if latest is not None and have < latest:
        return Capability(
            key="pg_stat_statements",
            severity=Severity.INFO,
            summary=f"pg_stat_statements {facts.pgss_version} works, but {facts.pgss_available}"
            " is installed on the server and has more columns",
            fix="ALTER EXTENSION pg_stat_statements UPDATE;",
        )
    return Capability(
        key="pg_stat_statements",
        severity=Severity.OK,
        summary=f"pg_stat_statements {facts.pgss_version} in schema {facts.pgss_schema}",
    )


def _extension_item(
    name: str, created: str | None, available: str | None, purpose: str, package: str
) -> Capability:
    if created:
        return Capability(key=name, severity=Severity.OK, summary=f"{name} {created}: {purpose}")
    if available:
        return Capability(
            key=name,
            severity=Severity.INFO,
            summary=f"{name} is installed but not created: {purpose} unavailable",
            fix=f"CREATE EXTENSION {name};",
        )
    return Capability(
        key=name,
        severity=Severity.INFO,
        summary=f"{name} is not installed on the server: {purpose} unavailable",
        fix=f"install the {package} package on the server, then CREATE EXTENSION {name};",
    )


@dataclass(frozen=True)
class Gap:
    """One rule of the report: when `applies(facts)`, the item it adds."""

    key: str
    severity: Severity
    applies: Callable[[CapabilityFacts], bool]
    summary: Callable[[CapabilityFacts], str]
    fix: Callable[[CapabilityFacts], str | None] = lambda _: None


def _setting_off(name: str, severity: Severity, consequence: str) -> Gap:
    return Gap(
        name,
        severity,
        lambda f: not getattr(f, name),
        lambda _: f"{name} is off: {consequence}",
        lambda _: f"ALTER SYSTEM SET {name} = on; SELECT pg_reload_conf();",
    )


GAPS: tuple[Gap, ...] = (
    Gap(
        "signal_backend",
        Severity.INFO,
        lambda f: not (f.is_superuser or f.has_signal_backend),
        lambda f: f"role {f.role_name} can cancel or terminate only its own sessions",
        lambda f: f"GRANT pg_signal_backend TO {quote_ident(f.role_name)};",
    ),
    _setting_off("track_io_timing", Severity.INFO, "no read/write times for statements"),
    _setting_off("track_counts", Severity.WARNING, "table statistics and autovacuum do not work"),
    _setting_off("track_activities", Severity.WARNING, "sessions show no query or state"),
    Gap(
        "standby",
        Severity.INFO,
        lambda f: f.in_recovery,
        lambda _: "this server is a standby: index builds and other writes are refused",
    ),
)


def _visibility_item(facts: CapabilityFacts) -> Capability:
    if facts.is_superuser or facts.has_read_all_stats:
        return Capability(
            key="read_all_stats",
            severity=Severity.OK,
            summary=f"role {facts.role_name} sees every session and statement",
        )
    return Capability(
        key="read_all_stats",
        severity=Severity.WARNING,
        summary=f"role {facts.role_name} sees only its own sessions' queries and "
        "statements; others show as <insufficient privilege>",
        fix=f"GRANT pg_monitor TO {quote_ident(facts.role_name)};",
    )


def build_report(
    facts: CapabilityFacts, pgss_elsewhere: list[str] | None = None
) -> CapabilityReport:
    """Turn raw facts into the report, with the exact fix for each gap."""
    major = facts.version_num // 10000
    items = [
        _pgss_item(facts, pgss_elsewhere or []),
        _extension_item(
            "hypopg",
            facts.hypopg_version,
            facts.hypopg_available,
            "validated index advice",
            f"postgresql-{major}-hypopg",
        ),
        _extension_item(
            "pgstattuple",
            facts.pgstattuple_version,
            facts.pgstattuple_available,
            "exact bloat measurement",
            f"postgresql-contrib (or postgresql-{major})",
        ),
        _visibility_item(facts),
    ]
    items.extend(
        Capability(
            key=gap.key, severity=gap.severity, summary=gap.summary(facts), fix=gap.fix(facts)
        )
        for gap in GAPS
        if gap.applies(facts)
    )
    sees_all = facts.is_superuser or facts.has_read_all_stats
    return CapabilityReport(
        role=facts.role_name,
        database=facts.database,
        server_major=major,
        pg_stat_statements=facts.pgss_version,
        pg_stat_statements_schema=facts.pgss_schema,
        hypopg=facts.hypopg_version,
        hypopg_schema=facts.hypopg_schema,
        pgstattuple=facts.pgstattuple_version,
        pgstattuple_schema=facts.pgstattuple_schema,
        can_read_all_stats=sees_all,
        can_signal_backends=facts.is_superuser or facts.has_signal_backend,
        can_scan_tables=facts.is_superuser or facts.has_stat_scan_tables,
        in_recovery=facts.in_recovery,
        items=tuple(items),
    )
