-- Query: action_slot_target (before a replication slot is dropped)
-- Purpose: what dropping a slot must know first and what the confirmation says is lost:
--          whether something streams from it now, what kind of consumer it serves, the WAL
--          it keeps and the xmin horizons it holds back, and whether this role may drop it.
-- Privilege: any role (pg_replication_slots and pg_roles are public).
-- Fills: slot facts
-- Parameters: name (text).
SELECT s.slot_type, s.plugin::text AS plugin, s.database::text AS database,
       s.active, s.active_pid,
       pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                            ELSE pg_current_wal_lsn() END, s.restart_lsn)::bigint AS retained_bytes,
       age(s.xmin)::bigint AS xmin_age, age(s.catalog_xmin)::bigint AS catalog_xmin_age,
       (SELECT r.rolreplication OR r.rolsuper FROM pg_roles r
         WHERE r.rolname = current_user) AS may_drop
  FROM pg_replication_slots s
 WHERE s.slot_name = %(name)s
