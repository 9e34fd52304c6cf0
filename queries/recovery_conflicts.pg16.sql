-- Probe: recovery_conflicts (every tables_interval_s)
-- Purpose: on a standby, the queries each database had cancelled because replay needed what
--   they held (rows vacuumed on the primary, locks, pinned buffers); no rows on a primary.
-- Privilege: any role (pg_stat_database_conflicts is readable by all).
-- Fills: RecoveryConflicts
-- Since 16: logical_slot (a logical slot on the standby invalidated by replay).
SELECT c.datname::text AS database,
       c.confl_tablespace AS tablespace,
       c.confl_lock AS lock,
       c.confl_snapshot AS snapshot,
       c.confl_bufferpin AS bufferpin,
       c.confl_deadlock AS deadlock,
       c.confl_active_logicalslot AS logical_slot
  FROM pg_stat_database_conflicts c
  JOIN pg_database d ON d.oid = c.datid
 WHERE pg_is_in_recovery() AND NOT d.datistemplate
 ORDER BY c.datname
