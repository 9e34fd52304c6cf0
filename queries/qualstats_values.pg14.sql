-- Query: qualstats_values (on demand, when pg_qualstats is installed)
-- Purpose: the constants a statement really compares a table's columns with, and how often:
--          the evidence for a partial index (WHERE status = 'pending') that statistics alone
--          cannot give for a normalized statement.
-- Privilege: any role that may read pg_qualstats.
-- Fills: QualValue (advisor)
-- Parameters: table (text), queryid (bigint).
SELECT a.attname AS column_name,
       q.constvalue AS value,
       sum(q.occurences)::int8 AS occurrences
  FROM pg_qualstats() q
  JOIN pg_attribute a ON a.attrelid = q.lrelid AND a.attnum = q.lattnum
  JOIN pg_operator o ON o.oid = q.opno AND o.oprname = '='
 WHERE q.lrelid = to_regclass(%(table)s)
   AND q.queryid = %(queryid)s
   AND q.constvalue IS NOT NULL
 GROUP BY 1, 2
 ORDER BY 3 DESC
 LIMIT 10
