-- Query: snapshot_holders (before an index build is confirmed)
-- Purpose: transactions in this database that hold a snapshot: a concurrent index build waits
--          for every one of them to finish, so the DBA should see them first.
-- Privilege: any role; other roles' sessions show without details unless pg_read_all_stats.
-- Fills: SnapshotHolder
SELECT a.pid,
       coalesce(a.application_name, '') AS application,
       a.state,
       extract(epoch FROM now() - a.xact_start)::float8 AS age_s
  FROM pg_stat_activity a
 WHERE a.datname = current_database()
   AND a.pid <> pg_backend_pid()
   AND a.backend_xmin IS NOT NULL
   AND a.backend_type = 'client backend'
 ORDER BY a.xact_start
