"""The capability report: every gap carries the exact fix."""

from __future__ import annotations

from pgwatch_tui.core.model.capabilities import Severity, build_report
from tests.factories import facts


def test_everything_available_has_no_warnings() -> None:
    report = build_report(facts())
    assert report.warnings == ()
    assert report.statements_usable
    assert report.pgss_version == (1, 10)


def test_pg_stat_statements_not_preloaded() -> None:
    report = build_report(
        facts(shared_preload_libraries="auto_explain", pgss_loaded=False, pgss_version=None)
    )
    item = report.item("pg_stat_statements")
    assert item.severity is Severity.WARNING
    assert "not loaded" in item.summary
    assert item.fix is not None
    assert "shared_preload_libraries = 'auto_explain, pg_stat_statements'" in item.fix
    assert not report.statements_usable
    assert report.pgss_version is None


def test_pg_stat_statements_preloaded_but_not_created_names_where_it_exists() -> None:
    report = build_report(facts(pgss_version=None, pgss_schema=None), ["postgres"])
    item = report.item("pg_stat_statements")
    assert item.severity is Severity.WARNING
    assert "not created in database shop" in item.summary
    assert "it exists in postgres" in item.summary
    assert item.fix == "CREATE EXTENSION pg_stat_statements; -- in database shop"


def test_where_else_puts_postgres_first_and_stays_short() -> None:
    report = build_report(
        facts(pgss_version=None, pgss_schema=None), ["app", "billing", "crm", "postgres", "zoo"]
    )
    summary = report.item("pg_stat_statements").summary
    assert "it exists in postgres, app, billing and 2 more" in summary
    assert summary.endswith("connect there with -d postgres")


def test_outdated_extension_still_works_with_update_advice() -> None:
    report = build_report(facts(pgss_version="1.8", pgss_available="1.10"))
    item = report.item("pg_stat_statements")
    assert item.severity is Severity.INFO
    assert item.fix == "ALTER EXTENSION pg_stat_statements UPDATE;"
    assert report.statements_usable
    assert report.pgss_version == (1, 8)


def test_too_old_extension_is_unusable() -> None:
    report = build_report(facts(pgss_version="1.2"))
    assert not report.statements_usable


def test_role_without_read_all_stats_is_told_to_grant_pg_monitor() -> None:
    report = build_report(
        facts(is_superuser=False, has_pg_monitor=False, has_read_all_stats=False, role_name="web")
    )
    item = report.item("read_all_stats")
    assert item.severity is Severity.WARNING
    assert item.fix == 'GRANT pg_monitor TO "web";'
    assert not report.can_read_all_stats


def test_pg_monitor_member_sees_everything() -> None:
    report = build_report(facts(is_superuser=False, has_pg_monitor=True, has_read_all_stats=True))
    assert report.item("read_all_stats").severity is Severity.OK


def test_missing_hypopg_names_the_package_for_the_server_major() -> None:
    report = build_report(facts(hypopg_version=None, hypopg_available=None, version_num=170002))
    item = report.item("hypopg")
    assert item.fix is not None
    assert "postgresql-17-hypopg" in item.fix


def test_installed_but_not_created_extension() -> None:
    report = build_report(facts(pgstattuple_version=None))
    assert report.item("pgstattuple").fix == "CREATE EXTENSION pgstattuple;"


def test_track_io_timing_off_and_standby_are_reported() -> None:
    report = build_report(facts(track_io_timing=False, in_recovery=True))
    assert report.item("track_io_timing").fix is not None
    assert report.item("standby").severity is Severity.INFO
    assert report.in_recovery


def test_each_gap_is_reported_once_with_its_fix_and_a_hostile_role_is_quoted() -> None:
    role = 'we"b; DROP ROLE x'
    report = build_report(
        facts(
            is_superuser=False,
            has_read_all_stats=False,
            has_signal_backend=False,
            track_io_timing=False,
            track_counts=False,
            track_activities=True,
            in_recovery=True,
            role_name=role,
        )
    )
    by_key = {item.key: item for item in report.items}
    assert [item.key for item in report.items].count("track_counts") == 1
    assert "track_activities" not in by_key  # on: nothing to say
    assert by_key["track_counts"].severity is Severity.WARNING
    assert by_key["track_io_timing"].severity is Severity.INFO
    assert by_key["track_io_timing"].fix == (
        "ALTER SYSTEM SET track_io_timing = on; SELECT pg_reload_conf();"
    )
    assert by_key["signal_backend"].fix == 'GRANT pg_signal_backend TO "we""b; DROP ROLE x";'
    assert by_key["read_all_stats"].fix == 'GRANT pg_monitor TO "we""b; DROP ROLE x";'
    assert by_key["standby"].fix is None
