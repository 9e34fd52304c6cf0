-- Query: measure_index (on demand, `v` on an index in the Bloat pane, after confirmation)
-- Purpose: measure a btree index's real density with pgstatindex. It reads the whole index:
--          never on a refresh.
-- Privilege: pg_stat_scan_tables (or superuser); pgstattuple created in the database.
-- Fills: (size_bytes, wasted_bytes)
-- Parameters: index (text).
SELECT s.index_size::int8 AS size_bytes,
       (s.index_size * (1 - coalesce(nullif(s.avg_leaf_density, 'NaN'), 0) / 100.0)
        * s.leaf_pages / greatest(s.leaf_pages + s.internal_pages + 1, 1))::int8 AS wasted_bytes
  FROM pgstatindex(%(index)s) s
