-- Probe: lock_waits (every tick, only when some session waits on a lock)
-- Purpose: each waiting lock request with the pids blocking it (pg_blocking_pids) and the
--          modes those blockers hold on the same object. pg_locks is read once (MATERIALIZED):
--          every read of it briefly takes all lock-manager partition locks.
-- Privilege: any role.
-- Fills: LockWait
-- Since 14: pg_locks.waitstart tells how long each request has waited.
WITH locks AS MATERIALIZED (
    SELECT l.locktype, l.database, l.relation, l.page, l.tuple, l.virtualxid,
           l.transactionid::text AS transactionid, l.classid, l.objid, l.objsubid,
           l.pid, l.mode, l.granted, l.waitstart
      FROM pg_locks l
     WHERE l.pid IS NOT NULL
),
waiting AS (
    SELECT w.*, pg_blocking_pids(w.pid) AS blocking_pids,
           -- A row-lock wait is on the holder's transaction; the row's table is known from
           -- the tuple lock the waiter already holds.
           coalesce(w.relation, (SELECT t.relation FROM locks t
                                  WHERE t.pid = w.pid AND t.granted AND t.locktype = 'tuple'
                                  LIMIT 1)) AS on_relation,
           coalesce(w.database, (SELECT t.database FROM locks t
                                  WHERE t.pid = w.pid AND t.granted AND t.locktype = 'tuple'
                                  LIMIT 1)) AS on_database
      FROM locks w
     WHERE NOT w.granted
)
SELECT w.pid,
       w.blocking_pids,
       w.mode,
       w.locktype,
       CASE WHEN w.on_relation IS NOT NULL
                 AND w.on_database = (SELECT d.oid FROM pg_database d
                                       WHERE d.datname = current_database())
            THEN w.on_relation::regclass::text
            WHEN w.on_relation IS NOT NULL THEN 'oid ' || w.on_relation::text
       END AS relation,
       CASE w.locktype
            WHEN 'relation' THEN 'relation'
            WHEN 'tuple' THEN format('row (%s,%s)', w.page, w.tuple)
            WHEN 'page' THEN format('page %s', w.page)
            WHEN 'transactionid' THEN 'transaction ' || w.transactionid
            WHEN 'virtualxid' THEN 'virtual transaction ' || w.virtualxid
            WHEN 'advisory' THEN format('advisory lock %s/%s', w.classid, w.objid)
            ELSE format('%s %s/%s', w.locktype, w.classid, w.objid)
       END AS target,
       w.waitstart AS waiting_since,
       CASE WHEN w.waitstart IS NOT NULL
            THEN extract(epoch FROM now() - least(w.waitstart, now()))::float8 END AS wait_age_s,
       ARRAY(SELECT DISTINCT h.mode
               FROM locks h
              WHERE h.granted
                AND h.pid = ANY (w.blocking_pids)
                AND h.locktype = w.locktype
                AND h.database IS NOT DISTINCT FROM w.database
                AND h.relation IS NOT DISTINCT FROM w.relation
                AND h.page IS NOT DISTINCT FROM w.page
                AND h.tuple IS NOT DISTINCT FROM w.tuple
                AND h.virtualxid IS NOT DISTINCT FROM w.virtualxid
                AND h.transactionid IS NOT DISTINCT FROM w.transactionid
                AND h.classid IS NOT DISTINCT FROM w.classid
                AND h.objid IS NOT DISTINCT FROM w.objid
              ORDER BY h.mode) AS blocker_modes
  FROM waiting w
 ORDER BY w.pid
