-- Probe: recovery (every tick that wants it)
-- Purpose: on a standby, the WAL receiver and where replay stands; no row on a primary.
-- Privilege: pg_monitor (pg_read_all_stats) for the receiver's sender and slot; without it
--   those are NULL and the replay position still shows.
-- Fills: Recovery
SELECT w.status AS receiver_status,
       w.sender_host,
       w.sender_port,
       w.slot_name,
       pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint
         AS received_behind_bytes,
       w.last_msg_receipt_time AS last_message_at,
       pg_last_xact_replay_timestamp() AS last_replay_at,
       pg_is_wal_replay_paused() AS replay_paused,
       current_setting('hot_standby_feedback')::bool AS hot_standby_feedback
  FROM (SELECT 1) one
  LEFT JOIN pg_stat_wal_receiver w ON true
 WHERE pg_is_in_recovery()
