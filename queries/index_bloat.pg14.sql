-- Probe: index_bloat (slow cadence, default every 5 minutes, or on demand)
-- Purpose: what a btree bloat estimate needs, per index: its own page and tuple counts (right
--          for partial indexes), the table's row count, and per column the width, null
--          fraction, distinct count and alignment (for expressions, the statistics ANALYZE keeps
--          under the index's name), plus whether the index can deduplicate (PostgreSQL 13+
--          stores duplicates as posting lists: no INCLUDE columns, deduplicate_items not off,
--          and every key type with an "equal image" support function and a deterministic
--          collation). Pages are never read.
-- Privilege: any role; pg_stats shows only columns the role may SELECT, others are n/a.
-- Fills: IndexBloatInput
SELECT ic.oid::int8 AS indexrelid,
       n.nspname AS schema_name,
       ic.relname AS name,
       tc.relname AS table_name,
       ic.relpages::int8 AS relpages,
       ic.reltuples::float8 AS index_tuples,
       tc.reltuples::float8 AS table_tuples,
       coalesce((SELECT o.option_value::int FROM pg_options_to_table(ic.reloptions) o
                  WHERE o.option_name = 'fillfactor'), 90) AS fillfactor,
       current_setting('block_size')::int AS block_size,
       x.indisunique AS is_unique,
       x.indnkeyatts::int AS key_count,
       x.indnatts::int AS column_count,
       x.indpred IS NOT NULL AS is_partial,
       x.indnkeyatts = x.indnatts
         AND coalesce((SELECT o.option_value FROM pg_options_to_table(ic.reloptions) o
                        WHERE o.option_name = 'deduplicate_items'), 'on')
             NOT IN ('off', 'false', '0')
         AND NOT EXISTS (
               SELECT 1
                 FROM generate_subscripts(x.indclass, 1) AS k(i)
                 JOIN pg_opclass opc ON opc.oid = x.indclass[k.i]
                 LEFT JOIN pg_collation coll ON coll.oid = x.indcollation[k.i]
                WHERE NOT EXISTS (SELECT 1 FROM pg_amproc p
                                   WHERE p.amprocfamily = opc.opcfamily
                                     AND p.amprocnum = 4
                                     AND p.amproclefttype = opc.opcintype)
                   OR coalesce(NOT coll.collisdeterministic, false)) AS can_deduplicate,
       cols.widths,
       cols.null_fracs,
       cols.n_distincts,
       cols.aligns,
       cols.lengths,
       cols.expressions,
       cols.missing_stats::int AS missing_stats,
       -- The statistics functions, not pg_stat_user_tables: that view aggregates every table
       -- and would be joined once per index (seconds at 10,000 relations).
       greatest(pg_stat_get_last_vacuum_time(tc.oid), pg_stat_get_last_autovacuum_time(tc.oid))
           AS last_vacuum
  FROM pg_index x
  JOIN pg_class ic ON ic.oid = x.indexrelid
  JOIN pg_class tc ON tc.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = ic.relnamespace
  JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'btree'
 CROSS JOIN LATERAL (
        SELECT array_agg(coalesce(coalesce(st.avg_width, se.avg_width), 0) ORDER BY k.i)
                   AS widths,
               array_agg(coalesce(coalesce(st.null_frac, se.null_frac), 0)::float8 ORDER BY k.i)
                   AS null_fracs,
               array_agg(coalesce(coalesce(st.n_distinct, se.n_distinct), 0)::float8
                         ORDER BY k.i) AS n_distincts,
               array_agg(t.typalign::text ORDER BY k.i) AS aligns,
               array_agg(t.typlen::int ORDER BY k.i) AS lengths,
               array_agg(x.indkey[k.i - 1] = 0 ORDER BY k.i) AS expressions,
               count(*) FILTER (WHERE st.attname IS NULL AND se.attname IS NULL) AS missing_stats
          FROM generate_series(1, x.indnatts) AS k(i)
          JOIN pg_attribute ia ON ia.attrelid = x.indexrelid AND ia.attnum = k.i
          JOIN pg_type t ON t.oid = ia.atttypid
          LEFT JOIN pg_attribute ta ON ta.attrelid = x.indrelid AND ta.attnum = x.indkey[k.i - 1]
                                    AND x.indkey[k.i - 1] <> 0
          -- A plain column's statistics are the table's; an expression's are kept under the
          -- index's name. Two joins, not one with OR: each can then use the catalog indexes
          -- (with OR, every index scanned all of pg_stats: seconds at 10,000 relations).
          LEFT JOIN pg_stats st
                 ON st.schemaname = n.nspname AND NOT st.inherited
                AND st.tablename = tc.relname AND st.attname = ta.attname
          LEFT JOIN pg_stats se
                 ON x.indkey[k.i - 1] = 0 AND se.schemaname = n.nspname AND NOT se.inherited
                AND se.tablename = ic.relname AND se.attname = ia.attname) AS cols
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname !~ '^pg_toast'
 ORDER BY ic.relpages DESC
