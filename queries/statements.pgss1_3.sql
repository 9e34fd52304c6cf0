-- Probe: statements (every tick, when pg_stat_statements is usable)
-- Purpose: pg_stat_statements counters for extension versions 1.3 to 1.7 (a database upgraded
--          from PostgreSQL 12 or older without ALTER EXTENSION ... UPDATE).
-- Privilege: any role; other roles' entries need pg_read_all_stats (pg_monitor) or are skipped.
-- Fills: StatementStats (query text comes from statement_texts, only for new query ids)
-- Never asks for query texts: pg_stat_statements(false) skips reading the texts file.
-- Before 1.8: one total_time (no planning split), no plans, no wal_bytes, no toplevel.
SELECT s.userid::int8 AS userid,
       s.dbid::int8 AS dbid,
       s.queryid,
       true AS toplevel,
       r.rolname AS "user",
       d.datname AS database,
       s.calls,
       NULL::int8 AS plans,
       s.total_time AS total_exec_ms,
       NULL::float8 AS total_plan_ms,
       s.min_time AS min_exec_ms,
       s.max_time AS max_exec_ms,
       s.mean_time AS mean_exec_ms,
       s.stddev_time AS stddev_exec_ms,
       s.rows,
       s.shared_blks_hit,
       s.shared_blks_read,
       s.shared_blks_dirtied,
       s.shared_blks_written,
       s.local_blks_hit,
       s.local_blks_read,
       s.temp_blks_read,
       s.temp_blks_written,
       s.blk_read_time AS blk_read_ms,
       s.blk_write_time AS blk_write_ms,
       NULL::int8 AS wal_bytes,
       NULL::timestamptz AS stats_since
  FROM pg_stat_statements(false) s
  LEFT JOIN pg_roles r ON r.oid = s.userid
  LEFT JOIN pg_database d ON d.oid = s.dbid
 WHERE s.queryid IS NOT NULL
