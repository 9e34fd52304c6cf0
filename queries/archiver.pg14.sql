-- Probe: archiver (every tables_interval_s)
-- Purpose: WAL archiving counts and the last success and failure, with archive_mode.
-- Privilege: any role.
-- Fills: Archiver
SELECT current_setting('archive_mode') AS archive_mode,
       a.archived_count,
       a.last_archived_wal,
       a.last_archived_time,
       a.failed_count,
       a.last_failed_wal,
       a.last_failed_time,
       a.stats_reset
  FROM pg_stat_archiver a
