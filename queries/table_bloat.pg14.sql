-- Probe: table_bloat (slow cadence, default every 5 minutes, or on demand)
-- Purpose: what a bloat estimate of each table needs: page and row counts from the catalog
--          and per-column width, null fraction and alignment from pg_stats. Pages are never
--          read: the maths is done by pgwatch (core/bloat.py) from these figures only.
-- Privilege: any role; pg_stats shows only columns the role may SELECT, others are n/a.
-- Fills: TableBloatInput
SELECT c.oid::int8 AS relid,
       n.nspname AS schema_name,
       c.relname AS name,
       c.relpages::int8 AS relpages,
       c.reltuples::float8 AS reltuples,
       coalesce((SELECT o.option_value::int FROM pg_options_to_table(c.reloptions) o
                  WHERE o.option_name = 'fillfactor'), 100) AS fillfactor,
       current_setting('block_size')::int AS block_size,
       cols.widths,
       cols.null_fracs,
       cols.aligns,
       cols.lengths,
       cols.missing_stats::int AS missing_stats,
       -- The statistics functions, not pg_stat_user_tables: that view aggregates every table.
       greatest(pg_stat_get_last_vacuum_time(c.oid), pg_stat_get_last_autovacuum_time(c.oid))
           AS last_vacuum,
       pg_stat_get_dead_tuples(c.oid) AS n_dead_tup
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 CROSS JOIN LATERAL (
        SELECT array_agg(coalesce(st.avg_width, 0) ORDER BY a.attnum) AS widths,
               array_agg(coalesce(st.null_frac, 0)::float8 ORDER BY a.attnum) AS null_fracs,
               array_agg(t.typalign::text ORDER BY a.attnum) AS aligns,
               array_agg(t.typlen::int ORDER BY a.attnum) AS lengths,
               count(*) FILTER (WHERE st.attname IS NULL) AS missing_stats
          FROM pg_attribute a
          JOIN pg_type t ON t.oid = a.atttypid
          LEFT JOIN pg_stats st ON st.schemaname = n.nspname AND st.tablename = c.relname
                                AND st.attname = a.attname AND NOT st.inherited
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS cols
 WHERE c.relkind IN ('r', 'm')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname !~ '^pg_toast'
 ORDER BY c.relpages DESC
