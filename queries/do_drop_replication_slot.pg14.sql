-- Action: do_drop_replication_slot (on confirmation, never in read-only mode)
-- Purpose: drop a replication slot nothing streams from, so the WAL and the xmin horizon it
--          holds are released (the WAL goes at the next checkpoint).
-- Privilege: the REPLICATION attribute (or superuser; rds_replication on RDS).
-- Fills: nothing
-- Parameters: name (text).
SELECT pg_drop_replication_slot(%(name)s)
