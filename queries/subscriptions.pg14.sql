-- Probe: subscriptions (every tick)
-- Purpose: each logical subscription of this cluster with its apply worker: enabled or not,
--   running or not, when the publisher last spoke, and tables still being copied.
-- Privilege: any role (every pg_subscription column but subconninfo is readable by all;
--   pg_stat_subscription and pg_subscription_rel too).
-- Fills: Subscription
-- pg_subscription is shared by the cluster, pg_subscription_rel is not: the tables being
--   copied are known only in the subscription's own database (NULL from the others).
-- Before 15 there are no error counters (pg_stat_subscription_stats).
SELECT s.subname::text AS name,
       d.datname::text AS database,
       s.subenabled AS enabled,
       s.subslotname::text AS slot_name,
       s.subpublications::text[] AS publications,
       w.pid AS worker_pid,
       w.received_lsn::text AS received_lsn,
       w.last_msg_send_time,
       w.last_msg_receipt_time,
       w.latest_end_time,
       CASE WHEN d.datname = current_database() THEN
         (SELECT count(*) FROM pg_subscription_rel r WHERE r.srsubid = s.oid)::int
       END AS tables,
       CASE WHEN d.datname = current_database() THEN
         (SELECT count(*) FROM pg_subscription_rel r
           WHERE r.srsubid = s.oid AND r.srsubstate <> 'r')::int
       END AS tables_syncing,
       NULL::bigint AS apply_errors,
       NULL::bigint AS sync_errors
  FROM pg_subscription s
  JOIN pg_database d ON d.oid = s.subdbid
  LEFT JOIN pg_stat_subscription w ON w.subid = s.oid AND w.relid IS NULL
 ORDER BY s.subname
