-- Probe: sessions (every tick)
-- Purpose: every backend in pg_stat_activity but pgwatch's own, the query text capped at
--          the configured length. Idle sessions only when a visible screen lists them
--          (with_idle); idle_count counts them otherwise. No ages: pgwatch works them out from
--          the start times against the tick's server clock, so a quiet session's row is the
--          same from one tick to the next and its model is reused.
-- Privilege: any role; without pg_read_all_stats (pg_monitor), other roles' sessions show
--            "<insufficient privilege>" and NULL details, which the capability report explains.
-- Fills: Session
-- Parameters: query_max (int), query_size (track_activity_query_size, from server_settings),
--             with_idle (bool).
SELECT a.pid,
       a.leader_pid,
       a.datname AS database,
       a.usename AS "user",
       coalesce(a.application_name, '') AS application,
       host(a.client_addr) AS client_addr,
       a.client_port,
       a.backend_type,
       a.state,
       a.wait_event_type,
       a.wait_event,
       a.backend_start,
       a.xact_start,
       a.query_start,
       a.state_change,
       age(a.backend_xmin)::int8 AS backend_xmin_age,
       age(a.backend_xid)::int8 AS backend_xid_age,
       a.query_id,
       left(coalesce(a.query, ''), %(query_max)s) AS query,
       length(coalesce(a.query, '')) AS query_length,
       -- The server keeps at most track_activity_query_size - 1 bytes of a query.
       octet_length(coalesce(a.query, '')) >= %(query_size)s - 1 AS query_truncated
  FROM pg_stat_activity a
 WHERE a.pid <> pg_backend_pid()
   AND (%(with_idle)s OR a.state IS DISTINCT FROM 'idle')
 ORDER BY a.pid
