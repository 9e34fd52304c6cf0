-- Query: advice_columns (on demand, when advising on a table)
-- Purpose: every column of the table with its statistics (width, nulls, distinct values,
--          most common values), its alignment, and whether btree deduplication works for its
--          type (an "equal image" support function and a deterministic collation).
-- Privilege: any role; pg_stats shows only columns the role may SELECT.
-- Fills: ColumnStats (advisor)
-- Parameters: table (text).
SELECT a.attname AS name,
       a.attnum::int AS attnum,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       s.avg_width,
       s.null_frac::float8 AS null_frac,
       s.n_distinct::float8 AS n_distinct,
       t.typalign::text AS align,
       t.typlen::int AS length,
       EXISTS (SELECT 1
                 FROM pg_opclass opc
                 JOIN pg_am am ON am.oid = opc.opcmethod AND am.amname = 'btree'
                 JOIN pg_amproc p ON p.amprocfamily = opc.opcfamily AND p.amprocnum = 4
                                 AND p.amproclefttype = opc.opcintype
                WHERE opc.opcintype = a.atttypid AND opc.opcdefault)
         AND coalesce((SELECT coll.collisdeterministic FROM pg_collation coll
                        WHERE coll.oid = a.attcollation), true) AS dedup_capable,
       coalesce(s.most_common_vals::text::text[], '{}') AS common_values,
       coalesce(s.most_common_freqs::float8[], '{}') AS common_freqs
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname
                      AND s.attname = a.attname AND NOT s.inherited
 WHERE a.attrelid = to_regclass(%(table)s)
   AND a.attnum > 0
   AND NOT a.attisdropped
 ORDER BY a.attnum
