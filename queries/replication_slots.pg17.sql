-- Probe: replication_slots (every tables_interval_s)
-- Purpose: every slot with the WAL it keeps on this server, its state and xmin ages, and
--   the logical decoding spill and stream counters.
-- Privilege: any role (pg_replication_slots and pg_stat_replication_slots are public).
-- Fills: ReplicationSlot
-- Since 17: inactive_since (when it was last released) and invalidation_reason.
WITH here AS (
  SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
              ELSE pg_current_wal_lsn() END AS lsn
)
SELECT s.slot_name::text AS slot_name,
       s.slot_type,
       s.plugin::text AS plugin,
       s.database::text AS database,
       s.temporary,
       s.active,
       s.active_pid,
       pg_wal_lsn_diff(here.lsn, s.restart_lsn)::bigint AS retained_bytes,
       s.wal_status,
       s.safe_wal_size,
       age(s.xmin)::bigint AS xmin_age,
       age(s.catalog_xmin)::bigint AS catalog_xmin_age,
       s.inactive_since,
       s.invalidation_reason,
       st.spill_bytes,
       st.stream_bytes,
       st.total_bytes
  FROM pg_replication_slots s
  CROSS JOIN here
  LEFT JOIN pg_stat_replication_slots st ON st.slot_name = s.slot_name
 ORDER BY s.slot_name
