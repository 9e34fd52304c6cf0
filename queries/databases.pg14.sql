-- Probe: databases (every tick)
-- Purpose: pg_stat_database counters for rates (TPS, cache hits, tuples, temp, deadlocks)
--          and each database's transaction-ID and multixact wraparound age.
-- Privilege: any role (the view is readable by all).
-- Fills: DatabaseStats
-- Since 14: session_time, active_time, idle_in_transaction_time and sessions* columns exist.
SELECT s.datid::int8 AS datid,
       s.datname AS name,
       s.numbackends,
       s.xact_commit,
       s.xact_rollback,
       s.blks_read,
       s.blks_hit,
       s.tup_returned,
       s.tup_fetched,
       s.tup_inserted,
       s.tup_updated,
       s.tup_deleted,
       s.conflicts,
       s.temp_files,
       s.temp_bytes,
       s.deadlocks,
       s.checksum_failures,
       s.blk_read_time AS blk_read_time_ms,
       s.blk_write_time AS blk_write_time_ms,
       s.session_time AS session_time_ms,
       s.active_time AS active_time_ms,
       s.idle_in_transaction_time AS idle_in_transaction_time_ms,
       s.sessions,
       s.sessions_abandoned,
       s.sessions_fatal,
       s.sessions_killed,
       s.stats_reset,
       age(d.datfrozenxid)::int8 AS frozen_xid_age,
       mxid_age(d.datminmxid)::int8 AS min_mxid_age,
       d.datconnlimit AS connection_limit,
       d.datallowconn AS allow_connections
  FROM pg_stat_database s
  JOIN pg_database d ON d.oid = s.datid
 WHERE s.datname IS NOT NULL
   AND NOT d.datistemplate
 ORDER BY s.datname
