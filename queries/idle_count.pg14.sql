-- Probe: idle_count (every tick in which sessions left idle ones out)
-- Purpose: how many idle client sessions there are, for the connection counts of the
--          Overview and the header, when no visible screen lists idle sessions. Counting them
--          costs the server far less than sending a row for each.
-- Privilege: any role.
-- Fills: IdleCount
SELECT count(*)::int AS idle_clients
  FROM pg_stat_activity a
 WHERE a.backend_type = 'client backend'
   AND a.state = 'idle'
   AND a.pid <> pg_backend_pid()
