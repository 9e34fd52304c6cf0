-- Probe: foreign_keys (slow cadence, with the Indexes pane)
-- Purpose: foreign keys of the connected database with their referencing columns, so index
--          health can list those no index covers (each delete or key update on the referenced
--          table then scans the referencing one).
-- Privilege: any role (catalog only).
-- Fills: ForeignKey
SELECT con.oid::int8 AS constraint_oid,
       con.conname AS name,
       con.conrelid::int8 AS relid,
       n.nspname AS schema_name,
       c.relname AS table_name,
       con.conkey::int[] AS columns,
       ARRAY(SELECT a.attname::text
               FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
              ORDER BY k.ord) AS column_names,
       con.confrelid::regclass::text AS referenced_table
  FROM pg_constraint con
  JOIN pg_class c ON c.oid = con.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE con.contype = 'f'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
 ORDER BY n.nspname, c.relname, con.conname
