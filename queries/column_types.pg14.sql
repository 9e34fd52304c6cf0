-- Query: column_types (on demand, when planning a normalized statement)
-- Purpose: the columns of the tables a statement names, with their types, so that parameters
--          PostgreSQL cannot type by itself ($1 / $2, $1 IS NULL) get the type of the column
--          they are compared with. Names resolve through the statement's search_path.
-- Privilege: any role (catalog only).
-- Fills: ColumnType
-- Parameters: tables (text[]).
SELECT lower(a.attname) AS column_name,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       n.nspname AS schema_name,
       c.relname AS table_name
  FROM unnest(%(tables)s::text[]) AS t(name)
  JOIN pg_class c ON c.oid = to_regclass(t.name)
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY c.relname, a.attnum
