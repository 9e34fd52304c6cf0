"""A corpus of varied statements for the EXPLAIN tests.

The statements are run for real with literal values (or bound parameters), so what the tests
explain is exactly what pg_stat_statements normalized them to: arithmetic on parameters,
IS NULL tests, IN lists, LIMIT/OFFSET, CTEs, DML, jsonb operators, ranges, ANY($1), a
partitioned table, joins, subqueries, window functions, casts.
"""

from __future__ import annotations

import psycopg

from pgwatch_tui.core.diagnose.normalized_sql import is_plannable
from pgwatch_tui.sandbox.cluster import SandboxCluster
from tests.pg_helpers import execute

SCHEMA = """
DROP TABLE IF EXISTS c_events, c_orders, c_customers CASCADE;
CREATE TABLE c_customers (
    id bigint PRIMARY KEY, name text NOT NULL, email text, country char(2), balance numeric(12, 2),
    created_at timestamptz, active boolean, tags text[], profile jsonb, during tstzrange,
    score double precision, age int
);
CREATE TABLE c_orders (
    id bigint PRIMARY KEY, customer_id bigint REFERENCES c_customers, status text,
    total numeric(12, 2), qty int, created_at timestamptz, shipped_on date, meta jsonb, note text
);
CREATE TABLE c_events (
    id bigint NOT NULL, happened_at timestamptz NOT NULL, kind text, payload jsonb, amount int
) PARTITION BY RANGE (happened_at);
CREATE TABLE c_events_2024 PARTITION OF c_events
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE c_events_2025 PARTITION OF c_events
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE c_events_later PARTITION OF c_events DEFAULT;
INSERT INTO c_customers
SELECT g, 'name ' || g, 'c' || g || '@example.com', (ARRAY['FR','DE','US','JP'])[1 + g % 4],
       g % 1000, now() - g * interval '1 hour', g % 3 <> 0, ARRAY['t' || g % 5],
       jsonb_build_object('level', g % 10, 'vip', g % 50 = 0, 'name', 'n' || g),
       tstzrange(now() - g * interval '1 day', now() + g * interval '1 hour'), g / 7.0, g % 90
  FROM generate_series(1, 2000) g;
INSERT INTO c_orders
SELECT g, 1 + g % 2000, CASE WHEN g % 100 = 0 THEN 'pending' WHEN g % 10 = 0 THEN 'shipped'
                             ELSE 'delivered' END,
       g % 500 + 0.5, g % 7, now() - g * interval '10 minutes', current_date - g % 400,
       jsonb_build_object('source', (ARRAY['web','app','api'])[1 + g % 3], 'n', g),
       CASE WHEN g % 4 = 0 THEN NULL ELSE 'note ' || g END
  FROM generate_series(1, 20000) g;
INSERT INTO c_events
SELECT g, timestamptz '2024-01-01' + g * interval '3 hours', (ARRAY['click','view','buy'])[1 + g % 3],
       jsonb_build_object('x', g), g % 100
  FROM generate_series(1, 9000) g;
CREATE INDEX c_orders_customer ON c_orders (customer_id);
CREATE INDEX c_orders_status ON c_orders (status);
CREATE INDEX c_customers_email ON c_customers (email);
CREATE INDEX c_events_kind ON c_events (kind);
ANALYZE c_customers, c_orders, c_events;
"""

_C_COLUMNS = {
    "id": "42",
    "name": "'name 7'",
    "email": "'c7@example.com'",
    "country": "'FR'",
    "balance": "100.5",
    "created_at": "'2025-06-01'",
    "active": "true",
    "score": "3.5",
    "age": "30",
}
_O_COLUMNS = {
    "id": "7",
    "customer_id": "12",
    "status": "'pending'",
    "total": "99.5",
    "qty": "3",
    "created_at": "'2025-06-01 10:00'",
    "shipped_on": "'2025-05-01'",
    "note": "'note 4'",
}


def _simple_filters() -> list[str]:
    out = []
    for table, columns in (("c_customers", _C_COLUMNS), ("c_orders", _O_COLUMNS)):
        for column, value in columns.items():
            out.append(f"SELECT * FROM {table} WHERE {column} = {value}")
            if column not in ("name", "email", "country", "active", "status", "note"):
                out.append(f"SELECT count(*) FROM {table} WHERE {column} > {value}")
                out.append(f"SELECT id FROM {table} WHERE {column} <= {value} ORDER BY id LIMIT 5")
    return out


def _aggregates() -> list[str]:
    out = []
    for column in _C_COLUMNS:
        if column != "id":
            out.append(
                f"SELECT {column}, count(*) FROM c_customers GROUP BY {column} HAVING count(*) > 1"
            )
    for column in _O_COLUMNS:
        out.append(f"SELECT max({column}) FROM c_orders WHERE id < 100")
    return out


STATEMENTS: list[str] = [
    *_simple_filters(),
    *_aggregates(),
    # Arithmetic on parameters
    "SELECT 1 + 2",
    "SELECT 10 / 3",
    "SELECT 2.5 * 4",
    "SELECT 7 - 5 AS diff",
    "SELECT 'a' || 'b'",
    "SELECT 3 % 2",
    "SELECT total * 1.2 FROM c_orders WHERE id = 5",
    "SELECT id FROM c_orders WHERE total > 100 * 2",
    "SELECT id FROM c_orders WHERE total / 2 > 30",
    "SELECT id FROM c_orders WHERE qty + 1 = 4",
    "SELECT balance - 10 FROM c_customers WHERE id = 3",
    "SELECT id, total / qty FROM c_orders WHERE qty > 0 AND id < 50",
    "SELECT now() - interval '1 day'",
    "SELECT 2 ^ 10",
    "SELECT abs(-5) + 1",
    # IS NULL and optional filters
    "SELECT * FROM c_orders WHERE (status = 'pending' OR 'pending' IS NULL)",
    "SELECT * FROM c_orders WHERE note IS NULL AND id < 100",
    "SELECT * FROM c_orders WHERE note IS NOT NULL AND qty = 2",
    "SELECT 5 IS NULL",
    "SELECT id FROM c_customers WHERE (country = 'FR' OR 'FR' IS NULL) AND (age > 20 OR 20 IS NULL)",
    "SELECT coalesce(note, 'none') FROM c_orders WHERE id = 9",
    "SELECT id FROM c_orders WHERE coalesce(note, 'x') = 'note 5'",
    "SELECT nullif(qty, 0) FROM c_orders WHERE id = 10",
    # IN lists
    "SELECT * FROM c_orders WHERE id IN (1, 2, 3)",
    "SELECT * FROM c_orders WHERE status IN ('pending', 'shipped')",
    "SELECT * FROM c_customers WHERE country IN ('FR', 'DE', 'US', 'JP')",
    "SELECT * FROM c_orders WHERE customer_id NOT IN (1, 2)",
    "SELECT count(*) FROM c_orders WHERE qty IN (1, 2, 3, 4, 5, 6)",
    "SELECT * FROM c_customers WHERE id IN (SELECT customer_id FROM c_orders WHERE total > 400)",
    "SELECT * FROM c_orders WHERE (customer_id, qty) IN ((1, 2), (3, 4))",
    # LIMIT / OFFSET
    "SELECT * FROM c_orders ORDER BY created_at DESC LIMIT 20",
    "SELECT * FROM c_orders ORDER BY id LIMIT 10 OFFSET 30",
    "SELECT * FROM c_customers ORDER BY balance DESC, id LIMIT 5",
    "SELECT id FROM c_orders WHERE status = 'pending' ORDER BY created_at LIMIT 50",
    "SELECT id FROM c_orders WHERE customer_id = 4 ORDER BY created_at DESC LIMIT 20",
    "SELECT * FROM c_events ORDER BY happened_at DESC LIMIT 3",
    "SELECT * FROM c_orders ORDER BY id OFFSET 100 ROWS FETCH FIRST 10 ROWS ONLY",
    # CTEs
    "WITH big AS (SELECT * FROM c_orders WHERE total > 300) SELECT count(*) FROM big",
    "WITH c AS (SELECT id FROM c_customers WHERE country = 'DE') "
    "SELECT o.* FROM c_orders o JOIN c ON c.id = o.customer_id WHERE o.qty > 2",
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) "
    "SELECT sum(i) FROM n",
    "WITH t AS MATERIALIZED (SELECT customer_id, sum(total) s FROM c_orders GROUP BY 1) "
    "SELECT * FROM t WHERE s > 1000",
    "WITH a AS (SELECT 1 AS x), b AS (SELECT 2 AS y) SELECT x + y FROM a, b",
    "WITH s AS (SELECT status, count(*) n FROM c_orders GROUP BY status) "
    "SELECT * FROM s ORDER BY n DESC LIMIT 1",
    # DML
    "INSERT INTO c_orders (id, customer_id, status, total, qty, created_at) "
    "VALUES (900001, 1, 'pending', 10.5, 1, now())",
    "INSERT INTO c_orders (id, customer_id, status) VALUES (900002, 2, 'new') ON CONFLICT DO NOTHING",
    "INSERT INTO c_orders (id, customer_id, status) VALUES (900003, 3, 'new') "
    "ON CONFLICT (id) DO UPDATE SET status = excluded.status",
    "INSERT INTO c_orders (id, customer_id, total) SELECT id + 800000, id, balance "
    "FROM c_customers WHERE id < 3",
    "INSERT INTO c_customers (id, name, profile) VALUES (900001, 'x', '{\"level\": 1}') RETURNING id",
    "UPDATE c_orders SET status = 'shipped' WHERE id = 900001",
    "UPDATE c_orders SET total = total * 1.1, qty = qty + 1 WHERE customer_id = 5",
    "UPDATE c_orders SET note = NULL WHERE id = 12 RETURNING id, note",
    "UPDATE c_customers SET balance = balance - 5 WHERE id = 7 AND balance > 5",
    "UPDATE c_orders o SET status = 'vip' FROM c_customers c "
    "WHERE c.id = o.customer_id AND c.profile @> '{\"vip\": true}' AND o.id = 1",
    "DELETE FROM c_orders WHERE id = 900002",
    "DELETE FROM c_orders WHERE id > 900000 AND status = 'new'",
    "DELETE FROM c_orders o USING c_customers c WHERE c.id = o.customer_id AND c.id = 900001",
    "DELETE FROM c_customers WHERE id = 900001 RETURNING name",
    "WITH moved AS (DELETE FROM c_orders WHERE id = 900003 RETURNING *) SELECT count(*) FROM moved",
    "UPDATE c_events SET amount = amount + 1 WHERE happened_at = '2024-03-01 03:00' AND id = 5",
    "INSERT INTO c_events VALUES (99999, '2025-02-02', 'buy', '{}', 5)",
    "DELETE FROM c_events WHERE id = 99999 AND happened_at > '2025-01-01'",
    # jsonb
    "SELECT * FROM c_customers WHERE profile->>'name' = 'n5'",
    "SELECT * FROM c_customers WHERE profile @> '{\"vip\": true}'",
    "SELECT * FROM c_customers WHERE profile ? 'level'",
    "SELECT * FROM c_customers WHERE profile ?| array['a', 'level']",
    "SELECT * FROM c_customers WHERE (profile->>'level')::int > 5",
    "SELECT profile #>> '{name}' FROM c_customers WHERE id = 4",
    "SELECT meta->'source' FROM c_orders WHERE meta->>'source' = 'web' LIMIT 5",
    "SELECT jsonb_path_exists(profile, '$.level') FROM c_customers WHERE id = 6",
    "SELECT id FROM c_orders WHERE meta @> jsonb_build_object('source', 'api')",
    "SELECT profile - 'vip' FROM c_customers WHERE id = 2",
    "SELECT jsonb_set(profile, '{level}', '5') FROM c_customers WHERE id = 8",
    "SELECT count(*) FROM c_events WHERE payload->>'x' = '10'",
    # Ranges
    "SELECT * FROM c_customers WHERE during @> now()",
    "SELECT * FROM c_customers WHERE during && tstzrange(now(), now() + interval '1 day')",
    "SELECT id FROM c_customers WHERE upper(during) > '2026-01-01'",
    "SELECT id FROM c_customers WHERE lower(during) < now() - interval '30 days'",
    "SELECT int4range(1, 10) @> 5",
    "SELECT * FROM c_customers WHERE during @> '2025-06-01'::timestamptz",
    "SELECT isempty(during) FROM c_customers WHERE id = 3",
    "SELECT numrange(1.0, 2.0) && numrange(1.5, 3.0)",
    # Partitioned table
    "SELECT * FROM c_events WHERE happened_at >= '2025-01-01' AND happened_at < '2025-02-01'",
    "SELECT count(*) FROM c_events WHERE happened_at < '2024-06-01'",
    "SELECT kind, count(*) FROM c_events GROUP BY kind",
    "SELECT * FROM c_events WHERE kind = 'buy' AND happened_at > '2025-10-01' LIMIT 10",
    "SELECT max(amount) FROM c_events WHERE happened_at BETWEEN '2024-02-01' AND '2024-03-01'",
    "SELECT * FROM c_events WHERE id = 77",
    "SELECT date_trunc('month', happened_at), sum(amount) FROM c_events GROUP BY 1 ORDER BY 1",
    "SELECT * FROM c_events_2024 WHERE amount > 50 LIMIT 3",
    "SELECT * FROM c_events WHERE happened_at = '2024-05-05 12:00' OR kind = 'view' LIMIT 2",
    "SELECT e.kind, c.country FROM c_events e JOIN c_customers c ON c.id = e.amount LIMIT 5",
    # Joins, subqueries, aggregates, windows
    "SELECT c.name, o.total FROM c_orders o JOIN c_customers c ON c.id = o.customer_id "
    "WHERE o.id = 3",
    "SELECT c.country, sum(o.total) FROM c_orders o JOIN c_customers c ON c.id = o.customer_id "
    "GROUP BY c.country",
    "SELECT c.* FROM c_customers c LEFT JOIN c_orders o ON o.customer_id = c.id WHERE o.id IS NULL",
    "SELECT * FROM c_customers c WHERE EXISTS (SELECT 1 FROM c_orders o WHERE o.customer_id = c.id "
    "AND o.total > 450)",
    "SELECT * FROM c_customers c WHERE NOT EXISTS (SELECT 1 FROM c_orders o "
    "WHERE o.customer_id = c.id)",
    "SELECT c.id, (SELECT count(*) FROM c_orders o WHERE o.customer_id = c.id) FROM c_customers c "
    "WHERE c.id < 10",
    "SELECT c.id, x.total FROM c_customers c CROSS JOIN LATERAL (SELECT total FROM c_orders o "
    "WHERE o.customer_id = c.id ORDER BY total DESC LIMIT 1) x WHERE c.id < 5",
    "SELECT status, count(*), avg(total) FROM c_orders GROUP BY status HAVING count(*) > 10",
    "SELECT customer_id, row_number() OVER (PARTITION BY customer_id ORDER BY created_at) "
    "FROM c_orders WHERE customer_id < 5",
    "SELECT id, total, sum(total) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) "
    "FROM c_orders WHERE id < 20",
    "SELECT DISTINCT ON (customer_id) customer_id, id FROM c_orders ORDER BY customer_id, "
    "created_at DESC",
    "SELECT status FROM c_orders UNION SELECT country FROM c_customers",
    "SELECT id FROM c_orders WHERE qty = 1 INTERSECT SELECT id FROM c_orders WHERE total > 100",
    "SELECT id FROM c_customers EXCEPT SELECT customer_id FROM c_orders",
    "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY total) FROM c_orders",
    "SELECT country, string_agg(name, ',') FROM c_customers WHERE id < 20 GROUP BY country",
    "SELECT count(*) FILTER (WHERE status = 'pending') FROM c_orders",
    "SELECT array_agg(id ORDER BY id) FROM c_orders WHERE customer_id = 8",
    "SELECT * FROM c_customers WHERE tags && ARRAY['t1']",
    "SELECT * FROM c_customers WHERE 't2' = ANY(tags)",
    "SELECT unnest(tags) FROM c_customers WHERE id = 3",
    "SELECT * FROM generate_series(1, 10) g WHERE g > 5",
    "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) v(n, s) WHERE n = 2",
    "VALUES (1), (2)",
    "TABLE c_customers LIMIT 1",
    "SELECT CASE WHEN total > 100 THEN 'big' ELSE 'small' END FROM c_orders WHERE id = 4",
    "SELECT greatest(qty, 3), least(qty, 1) FROM c_orders WHERE id = 6",
    # Casts, dates, text
    "SELECT * FROM c_orders WHERE created_at > '2025-01-01'::timestamptz",
    "SELECT * FROM c_orders WHERE created_at > now() - interval '2 days'",
    "SELECT * FROM c_orders WHERE date_trunc('day', created_at) = '2025-06-01'",
    "SELECT * FROM c_orders WHERE shipped_on = current_date - 3",
    "SELECT * FROM c_orders WHERE shipped_on BETWEEN '2025-01-01' AND '2025-02-01'",
    "SELECT extract(year FROM created_at) FROM c_orders WHERE id = 5",
    "SELECT to_char(created_at, 'YYYY-MM') FROM c_orders WHERE id = 15",
    "SELECT * FROM c_customers WHERE lower(email) = 'c5@example.com'",
    "SELECT * FROM c_customers WHERE email LIKE 'c1%'",
    "SELECT * FROM c_customers WHERE name ILIKE '%name 1%'",
    "SELECT * FROM c_customers WHERE email ~ '^c[0-9]+@'",
    "SELECT * FROM c_customers WHERE substr(name, 1, 4) = 'name'",
    "SELECT length(name) FROM c_customers WHERE id = 9",
    "SELECT id::text || '-' || name FROM c_customers WHERE id = 11",
    "SELECT * FROM c_customers WHERE id = '12'::bigint",
    "SELECT * FROM c_customers WHERE balance::int = 100",
    "SELECT * FROM c_orders WHERE total::text = '99.50'",
    "SELECT format('%s-%s', id, status) FROM c_orders WHERE id = 3",
    "SELECT md5(name) FROM c_customers WHERE id = 1",
    "SELECT position('a' IN name) FROM c_customers WHERE id = 2",
    "SELECT * FROM c_customers WHERE score > 10.5 AND score < 20.25",
    "SELECT * FROM c_customers WHERE active AND age BETWEEN 20 AND 30",
    "SELECT * FROM c_customers WHERE active = false",
    "SELECT now()",
    "SELECT current_date + 7",
    "SELECT make_date(2025, 1, 31)",
    "SELECT age(created_at) FROM c_orders WHERE id = 2",
    "SELECT round(total, 1) FROM c_orders WHERE id = 3",
    "SELECT round(avg(total)::numeric, 2) FROM c_orders WHERE status = 'shipped'",
]

# Run with bound parameters: pg_stat_statements then shows $n with known types, including
# ANY($1) with an array.
BOUND: list[tuple[str, tuple[object, ...]]] = [
    ("SELECT * FROM c_orders WHERE id = ANY(%s)", ([1, 2, 3],)),
    ("SELECT * FROM c_customers WHERE country = ANY(%s)", (["FR", "DE"],)),
    ("SELECT * FROM c_orders WHERE status = %s AND total > %s", ("pending", 10)),
    ("SELECT * FROM c_orders WHERE customer_id = %s ORDER BY created_at DESC LIMIT %s", (5, 20)),
    ("SELECT %s::int + %s::int", (1, 2)),
    ("UPDATE c_orders SET qty = %s WHERE id = %s", (3, 10)),
    ("SELECT * FROM c_events WHERE happened_at > %s LIMIT 3", ("2025-01-01",)),
    ("SELECT * FROM c_customers WHERE profile @> %s::jsonb", ('{"level": 3}',)),
]


def load_corpus(cluster: SandboxCluster, dbname: str) -> list[str]:
    """Make the corpus database, run every statement, return their normalized texts."""
    execute(cluster.conninfo(), f"DROP DATABASE IF EXISTS {dbname}".encode())  # type: ignore[arg-type]
    execute(cluster.conninfo(), f"CREATE DATABASE {dbname}".encode())  # type: ignore[arg-type]
    conninfo = cluster.conninfo(dbname=dbname)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        for statement in SCHEMA.split(";\n"):
            if statement.strip():
                conn.execute(statement.encode())
        conn.execute("SELECT pg_stat_statements_reset()")
        for statement in STATEMENTS:
            conn.execute(statement.encode())
        for statement, params in BOUND:
            conn.execute(statement.encode(), params)
        rows = conn.execute(
            "SELECT query FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid"
            " WHERE d.datname = current_database() AND s.query NOT LIKE '%%pg_stat_statements%%'"
        ).fetchall()
    return sorted({str(r[0]) for r in rows if is_plannable(str(r[0]))})
