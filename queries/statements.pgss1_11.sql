-- Probe: statements (every tick, when pg_stat_statements is usable)
-- Purpose: pg_stat_statements counters for extension version 1.11 and later (PostgreSQL 17+).
-- Privilege: any role; other roles' entries need pg_read_all_stats (pg_monitor) or are skipped.
-- Fills: StatementStats (query text comes from statement_texts, only for new query ids)
-- Never asks for query texts: pg_stat_statements(false) skips reading the texts file.
-- Since 1.11: blk_read_time/blk_write_time became shared_blk_*_time and local_blk_*_time
-- (summed here to keep the earlier meaning); stats_since tells when an entry was (re)created,
-- which lets rates tell an evicted-and-re-added entry from a continuing one.
SELECT s.userid::int8 AS userid,
       s.dbid::int8 AS dbid,
       s.queryid,
       s.toplevel,
       r.rolname AS "user",
       d.datname AS database,
       s.calls,
       s.plans,
       s.total_exec_time AS total_exec_ms,
       s.total_plan_time AS total_plan_ms,
       s.min_exec_time AS min_exec_ms,
       s.max_exec_time AS max_exec_ms,
       s.mean_exec_time AS mean_exec_ms,
       s.stddev_exec_time AS stddev_exec_ms,
       s.rows,
       s.shared_blks_hit,
       s.shared_blks_read,
       s.shared_blks_dirtied,
       s.shared_blks_written,
       s.local_blks_hit,
       s.local_blks_read,
       s.temp_blks_read,
       s.temp_blks_written,
       s.shared_blk_read_time + s.local_blk_read_time AS blk_read_ms,
       s.shared_blk_write_time + s.local_blk_write_time AS blk_write_ms,
       s.wal_bytes::int8 AS wal_bytes,
       s.stats_since
  FROM pg_stat_statements(false) s
  LEFT JOIN pg_roles r ON r.oid = s.userid
  LEFT JOIN pg_database d ON d.oid = s.dbid
 WHERE s.queryid IS NOT NULL
