-- Probe: session_locks (every tick while a session's detail is open)
-- Purpose: every lock one session holds or waits for, with the object it is on.
-- Privilege: any role.
-- Fills: SessionLock
-- Parameters: pid (int).
SELECT l.locktype,
       l.mode,
       l.granted,
       l.fastpath,
       CASE WHEN l.relation IS NOT NULL
                 AND l.database = (SELECT d.oid FROM pg_database d
                                    WHERE d.datname = current_database())
            THEN l.relation::regclass::text
            WHEN l.relation IS NOT NULL THEN 'oid ' || l.relation::text
       END AS relation,
       concat_ws(' ', l.locktype,
                 CASE WHEN l.page IS NOT NULL THEN 'page ' || l.page END,
                 CASE WHEN l.tuple IS NOT NULL THEN 'tuple ' || l.tuple END,
                 CASE WHEN l.virtualxid IS NOT NULL THEN l.virtualxid END,
                 CASE WHEN l.transactionid IS NOT NULL THEN l.transactionid::text END,
                 CASE WHEN l.objid IS NOT NULL THEN l.classid || '/' || l.objid END) AS target,
       l.waitstart AS waiting_since
  FROM pg_locks l
 WHERE l.pid = %(pid)s
 ORDER BY l.granted, l.locktype, l.mode
