-- Query: measure_table (on demand, `v` on a table in the Bloat pane, after confirmation)
-- Purpose: measure a table's real free space with pgstattuple_approx, which reads the pages the
--          visibility map does not vouch for. It reads the table: never on a refresh.
-- Privilege: pg_stat_scan_tables (or superuser); pgstattuple created in the database.
-- Fills: (size_bytes, wasted_bytes)
-- Parameters: table (text).
SELECT s.table_len::int8 AS size_bytes,
       (s.approx_free_space + s.dead_tuple_len)::int8 AS wasted_bytes
  FROM pgstattuple_approx(to_regclass(%(table)s)) s
