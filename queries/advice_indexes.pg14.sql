-- Query: advice_indexes (on demand, when advising on a table)
-- Purpose: the table's valid indexes with their key columns by name and predicate, to tell a
--          suggestion that an existing index already covers.
-- Privilege: any role.
-- Fills: ExistingIndex (advisor)
-- Parameters: table (text).
SELECT ic.relname AS name,
       ARRAY(SELECT a.attname::text
               FROM generate_series(0, x.indnkeyatts - 1) k
               LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[k]
              ORDER BY k) AS keys,
       pg_get_expr(x.indpred, x.indrelid) AS predicate,
       am.amname AS method
  FROM pg_index x
  JOIN pg_class ic ON ic.oid = x.indexrelid
  JOIN pg_am am ON am.oid = ic.relam
 WHERE x.indrelid = to_regclass(%(table)s)
   AND x.indisvalid
