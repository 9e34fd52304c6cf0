-- Probe: replication (every tick that wants it)
-- Purpose: each WAL sender (standby or logical subscriber) with its lag in bytes behind this
--   server's WAL position and in time, as the standby last reported it, and the slot it
--   streams through (a logical one: a subscriber, not a standby).
-- Privilege: pg_monitor (pg_read_all_stats) for the positions of other roles' senders; without
--   it the rows are there and the lags NULL.
-- Fills: Standby
-- On a cascading standby the position is its last replayed LSN (it writes no WAL of its own).
WITH here AS (
  SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
              ELSE pg_current_wal_lsn() END AS lsn
)
SELECT r.pid,
       r.application_name AS application,
       host(r.client_addr) AS client_addr,
       r.state,
       r.sync_state,
       r.sync_priority,
       pg_wal_lsn_diff(here.lsn, r.sent_lsn)::bigint AS sent_lag_bytes,
       pg_wal_lsn_diff(here.lsn, r.write_lsn)::bigint AS write_lag_bytes,
       pg_wal_lsn_diff(here.lsn, r.flush_lsn)::bigint AS flush_lag_bytes,
       pg_wal_lsn_diff(here.lsn, r.replay_lsn)::bigint AS replay_lag_bytes,
       extract(epoch FROM r.write_lag)::float8 * 1000 AS write_lag_ms,
       extract(epoch FROM r.flush_lag)::float8 * 1000 AS flush_lag_ms,
       extract(epoch FROM r.replay_lag)::float8 * 1000 AS replay_lag_ms,
       r.reply_time,
       r.backend_start,
       sl.slot_name::text AS slot_name,
       sl.slot_type
  FROM pg_stat_replication r
  CROSS JOIN here
  LEFT JOIN pg_replication_slots sl ON sl.active_pid = r.pid
 ORDER BY r.application_name, r.pid
