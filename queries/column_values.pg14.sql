-- Query: column_values (on demand, when planning a normalized statement for real values)
-- Purpose: a column's most common values and their frequencies, and a typical value from its
--          histogram, to plan a statement for a frequent, a rare and a typical value.
-- Privilege: any role; pg_stats shows only columns the role may SELECT.
-- Fills: ColumnValues
-- Parameters: schema_name (text), table_name (text), column_name (text).
SELECT s.most_common_vals::text::text[] AS common_values,
       s.most_common_freqs::float8[] AS common_freqs,
       (s.histogram_bounds::text::text[])[greatest(1, array_length(s.histogram_bounds::text::text[], 1) / 2)]
           AS typical_value,
       s.null_frac::float8 AS null_frac,
       s.n_distinct::float8 AS n_distinct
  FROM pg_stats s
 WHERE s.schemaname = %(schema_name)s
   AND s.tablename = %(table_name)s
   AND s.attname = %(column_name)s
   AND NOT s.inherited
