"""SQL choice per server and extension version, for every supported major."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pgwatch_tui.core.collect.probes import ON_DEMAND, ON_DEMAND_QUERIES, PROBES, SUPPORTED_MAJORS
from pgwatch_tui.core.collect.querybook import QueryBook
from pgwatch_tui.core.versions import parse_version

# The pg_stat_statements version each major ships, and older ones an upgraded server may keep.
SHIPPED_PGSS = {14: (1, 9), 15: (1, 10), 16: (1, 10), 17: (1, 11), 18: (1, 12)}
OLD_PGSS = [(1, 3), (1, 4), (1, 7), (1, 8)]
BOOK = QueryBook()


def test_every_probe_has_sql_and_every_sql_file_a_use() -> None:
    assert set(BOOK.probes()) == set(PROBES) | ON_DEMAND_QUERIES


def test_the_shipped_extension_table_covers_every_supported_major() -> None:
    assert set(SHIPPED_PGSS) == set(SUPPORTED_MAJORS)


@pytest.mark.parametrize("major", SUPPORTED_MAJORS)
@pytest.mark.parametrize("name", sorted(ON_DEMAND_QUERIES))
def test_every_on_demand_query_resolves(name: str, major: int) -> None:
    chosen = BOOK.resolve(name, server_major=major, pgss_version=SHIPPED_PGSS[major])
    assert (chosen is not None) == (major >= ON_DEMAND[name].needs.min_major), name


@pytest.mark.parametrize("major", SUPPORTED_MAJORS)
@pytest.mark.parametrize("probe", sorted(PROBES))
def test_every_probe_resolves_on_every_supported_major(probe: str, major: int) -> None:
    # A probe that needs a newer server must have no file for the older ones, and one for
    # every major from there on.
    chosen = BOOK.resolve(probe, server_major=major, pgss_version=SHIPPED_PGSS[major])
    expected = major >= PROBES[probe].needs.min_major
    assert (chosen is not None) == expected, f"{probe} on PostgreSQL {major}"


@pytest.mark.parametrize(
    ("probe", "major", "expected"),
    [
        ("checkpoints", 14, "checkpoints.pg14.sql"),
        ("checkpoints", 16, "checkpoints.pg14.sql"),
        ("checkpoints", 17, "checkpoints.pg17.sql"),
        ("checkpoints", 18, "checkpoints.pg17.sql"),
        ("vacuum_progress", 16, "vacuum_progress.pg14.sql"),
        ("vacuum_progress", 17, "vacuum_progress.pg17.sql"),
        ("tables", 15, "tables.pg14.sql"),
        ("tables", 16, "tables.pg16.sql"),
        ("indexes", 18, "indexes.pg16.sql"),
    ],
)
def test_highest_file_not_above_the_server_major_wins(
    probe: str, major: int, expected: str
) -> None:
    chosen = BOOK.resolve(probe, server_major=major)
    assert chosen is not None
    assert chosen.label == expected


def test_a_server_older_than_every_file_gets_nothing() -> None:
    assert BOOK.resolve("checkpoints", server_major=13) is None


def test_checkpointer_view_is_used_from_17_and_bgwriter_before() -> None:
    for major in SUPPORTED_MAJORS:
        chosen = BOOK.resolve("checkpoints", server_major=major)
        assert chosen is not None
        view = "pg_stat_checkpointer" if major >= 17 else "pg_stat_bgwriter"
        assert f"FROM {view}" in chosen.sql


def _columns_read(sql: str) -> set[str]:
    return set(re.findall(r"\bs\.([a-z_]+)\b", sql))


@pytest.mark.parametrize("version", [*OLD_PGSS, *SHIPPED_PGSS.values(), (1, 13)])
def test_statement_columns_match_the_extension_version(version: tuple[int, int]) -> None:
    chosen = BOOK.resolve("statements", server_major=17, pgss_version=version)
    assert chosen is not None
    columns = _columns_read(chosen.sql)
    if version < (1, 8):
        assert {"total_time", "mean_time"} <= columns
        assert not columns & {"total_exec_time", "total_plan_time", "toplevel"}
    else:
        assert {"total_exec_time", "total_plan_time", "plans", "wal_bytes"} <= columns
        assert "total_time" not in columns
    assert ("toplevel" in columns) == (version >= (1, 9))
    if version >= (1, 11):
        assert {"shared_blk_read_time", "shared_blk_write_time", "stats_since"} <= columns
        assert not columns & {"blk_read_time", "blk_write_time"}
    else:
        assert {"blk_read_time", "blk_write_time"} <= columns
        assert not columns & {"shared_blk_read_time", "stats_since"}


def test_outdated_extension_on_a_new_server_uses_the_extension_version() -> None:
    # PostgreSQL 17 whose pg_stat_statements was never updated past 1.8.
    chosen = BOOK.resolve("statements", server_major=17, pgss_version=(1, 8))
    assert chosen is not None
    assert chosen.label == "statements.pgss1_8.sql"


def test_statements_are_unavailable_without_the_extension() -> None:
    assert BOOK.resolve("statements", server_major=16, pgss_version=None) is None


def test_statements_info_needs_extension_1_9() -> None:
    assert BOOK.resolve("statements_info", server_major=15, pgss_version=(1, 8)) is None
    assert BOOK.resolve("statements_info", server_major=15, pgss_version=(1, 10)) is not None


def test_statements_never_ask_for_query_texts() -> None:
    for file in BOOK.files("statements"):
        assert "pg_stat_statements(false)" in file.sql
        assert re.search(r"\bs\.query\b", file.sql) is None


@pytest.mark.parametrize("probe", sorted(set(PROBES) | ON_DEMAND_QUERIES))
def test_every_sql_file_documents_itself(probe: str) -> None:
    kind = "Action" if probe.startswith("do_") else "Probe" if probe in PROBES else "Query"
    for file in BOOK.files(probe):
        head = []
        for line in file.sql.splitlines():
            if not line.startswith("--"):
                break
            head.append(line)
        text = "\n".join(head)
        assert head[0].startswith(f"-- {kind}: {probe}"), file.label
        assert "-- Purpose:" in text
        assert "-- Privilege:" in text
        assert "-- Fills:" in text


@pytest.mark.parametrize("probe", sorted(set(PROBES) | ON_DEMAND_QUERIES))
def test_later_versions_say_what_changed(probe: str) -> None:
    for file in BOOK.files(probe)[1:]:
        assert re.search(r"^-- Since \S+", file.sql, re.M), f"{file.label} lacks a 'Since' line"


def test_only_do_files_change_anything() -> None:
    writes = re.compile(r"\b(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|TRUNCATE|REINDEX|VACUUM)\b")
    for probe in [p for p in BOOK.probes() if not p.startswith("do_")]:
        for file in BOOK.files(probe):
            body = "\n".join(ln for ln in file.sql.splitlines() if not ln.startswith("--"))
            assert not writes.search(body), file.label


def test_monitoring_sql_reads_no_relation_sizes_with_locks() -> None:
    for probe in PROBES:
        for file in BOOK.files(probe):
            body = "\n".join(ln for ln in file.sql.splitlines() if not ln.startswith("--"))
            assert "pg_relation_size" not in body
            assert "pg_total_relation_size" not in body


def test_unknown_file_names_are_refused(tmp_path: Path) -> None:
    (tmp_path / "weird-name.sql").write_text("SELECT 1")
    with pytest.raises(ValueError, match="not understood"):
        QueryBook(tmp_path)


def test_a_probe_cannot_mix_version_keys(tmp_path: Path) -> None:
    (tmp_path / "x.pg14.sql").write_text("SELECT 1")
    (tmp_path / "x.pgss1_9.sql").write_text("SELECT 1")
    with pytest.raises(ValueError, match="mixes"):
        QueryBook(tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.10", (1, 10)), ("1.9", (1, 9)), ("2", (2, 0)), (None, None), ("junk", None)],
)
def test_parse_version(text: str | None, expected: tuple[int, int] | None) -> None:
    assert parse_version(text) == expected


def test_no_comment_names_a_placeholder() -> None:
    # psycopg.sql formats the comments too: an identifier substituted into a `--` comment
    # could end it with a line break and run the rest of its name as SQL.
    for probe in BOOK.probes():
        for file in BOOK.files(probe):
            comments = [ln for ln in file.sql.splitlines() if ln.lstrip().startswith("--")]
            assert not any("{" in ln or "}" in ln for ln in comments), file.label
