-- Probe: statement_texts (only when new query ids appear)
-- Purpose: normalised texts for query ids pgwatch has not seen yet; cached by query id.
--          pg_stat_statements(true) reads the whole texts file, so this runs rarely.
-- Privilege: as statements.
-- Fills: StatementText
-- Parameters: queryids (bigint[]), text_max (int).
-- Before 1.9 there is no toplevel column.
SELECT s.userid::int8 AS userid,
       s.dbid::int8 AS dbid,
       s.queryid,
       true AS toplevel,
       left(s.query, %(text_max)s) AS query,
       length(s.query) AS query_length
  FROM pg_stat_statements(true) s
 WHERE s.queryid = ANY (%(queryids)s::int8[])
