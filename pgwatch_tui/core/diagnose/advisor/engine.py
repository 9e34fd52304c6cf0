"""Index advice for a statement, weighed on the whole workload of the tables it reads.

For each table the statement spends its cost on: every pg_stat_statements entry touching that
table is planned; candidates come from what those plans ask (candidates.py); with HypoPG each
candidate is created hypothetically and every statement re-planned (re-prepared, so no plan
is reused), for real parameter values where pg_qualstats knows them. Candidates are chosen
greedily: the best net gain per second (planner cost saved, weighted by calls, minus the index
writes it adds), and among those within 10 % of the best, the smallest. Without HypoPG the
candidates are ranked by rule and marked as not validated.
"""

from __future__ import annotations

from pgwatch_tui.core.collect.connection import Conn
from pgwatch_tui.core.collect.querybook import QueryBook
from pgwatch_tui.core.diagnose.advisor.candidates import RareValue, candidates_for
from pgwatch_tui.core.diagnose.advisor.catalog import Catalog
from pgwatch_tui.core.diagnose.advisor.create_index import create_index, index_name
from pgwatch_tui.core.diagnose.advisor.models import Advice, IndexShape, Suggestion
from pgwatch_tui.core.diagnose.advisor.predicates import Kind, table_needs
from pgwatch_tui.core.diagnose.advisor.sizing import estimated_size
from pgwatch_tui.core.diagnose.advisor.stats import TableStats
from pgwatch_tui.core.diagnose.advisor.suggestions import (
    Trial,
    by_rule,
    make_suggestion,
    predicate_type,
)
from pgwatch_tui.core.diagnose.advisor.workload import (
    WorkItem,
    WriteSample,
    covered_by,
    penalty,
    target_gain,
    unquote_constant,
)
from pgwatch_tui.core.diagnose.explain import Explainer
from pgwatch_tui.core.diagnose.normalized_sql import referenced_tables, updated_columns
from pgwatch_tui.core.diagnose.plan import Plan
from pgwatch_tui.core.model.rows import StatementStats

MIN_GAIN = 0.05  # a suggestion must save at least this share of the table's workload cost
NEAR_BEST = 0.9  # within 10 % of the best net gain, the smallest index wins
MAX_SUGGESTIONS = 3
MIX_SHARE = 0.05  # a constant asked for this often is planned for its own value
MAX_STATEMENTS = 15
MIN_TABLE_SHARE = 0.1
TARGET_MIN_CALLS_PER_S = 1 / 60  # the statement asked about counts, even if idle lately


class Advisor:
    """Runs on a read-only session it is lent; leaves no hypothetical index behind."""

    def __init__(
        self,
        book: QueryBook,
        major: int,
        *,
        hypopg: bool,
        qualstats: bool,
        recent_writes: dict[str, WriteSample] | None = None,
        hypopg_fix: str | None = None,
    ) -> None:
        self.book = book
        self.explainer = Explainer(book, major)
        self.hypopg = hypopg
        self.hypopg_fix = hypopg_fix or (
            "install the hypopg package on the server, then CREATE EXTENSION hypopg;"
        )
        self.qualstats = qualstats
        self.catalog = Catalog(book, major, recent_writes or {})

    async def advise(
        self, conn: Conn, target: StatementStats, workload: list[tuple[StatementStats, float]]
    ) -> Advice:
        try:
            async with conn.transaction(force_rollback=True):
                await self.explainer.use_statement_search_path(conn)
                return await self._advise(conn, target, workload)
        finally:
            if self.hypopg and not conn.broken:
                # Hypothetical indexes live in the session, not the transaction: forget them.
                await conn.execute(self.catalog.sql("hypo_reset"))
                await conn.rollback()

    async def _advise(
        self, conn: Conn, target: StatementStats, workload: list[tuple[StatementStats, float]]
    ) -> Advice:
        query = target.query or ""
        plan = await self.explainer.generic_plan(conn, query)
        if plan is None:
            return Advice(
                query=query,
                queryid=target.queryid,
                error="the statement cannot be planned, so it cannot be advised",
            )
        shares: dict[str, float] = {}
        for node in plan.nodes():
            if node.relation and node.node_type.endswith("Scan"):
                shares[node.relation] = shares.get(node.relation, 0.0) + node.exclusive_cost
        total = plan.total_cost or 1.0
        tables = [
            t
            for t, c in sorted(shares.items(), key=lambda kv: -kv[1])
            if c / total >= MIN_TABLE_SHARE
        ][:2]
        notes: list[str] = []
        if not self.hypopg:
            notes.append(
                "not validated: HypoPG is not created in this database, so these suggestions "
                f"come from rules, not from the planner. To validate them: {self.hypopg_fix}"
            )
        suggestions: list[Suggestion] = []
        considered: list[Suggestion] = []
        for table in tables:
            chosen, others, table_notes = await self._advise_table(
                conn, table, target, plan, workload
            )
            # What helps the statement asked about comes first; the rest helps its tables.
            chosen.sort(key=target_gain, reverse=True)
            suggestions += chosen
            considered += sorted(others, key=target_gain, reverse=True)
            notes += table_notes
        if not tables:
            notes.append("no table scan costs enough in this plan to be worth an index")
        return Advice(
            query=query,
            queryid=target.queryid,
            tables=tables,
            suggestions=suggestions,
            considered=considered,
            validated=self.hypopg,
            notes=notes,
        )

    async def _work_items(
        self,
        conn: Conn,
        table: str,
        target: StatementStats,
        target_plan: Plan,
        workload: list[tuple[StatementStats, float]],
    ) -> list[WorkItem]:
        bare = table.split(".")[-1]
        touching = [
            (s, w)
            for s, w in workload
            if s.query
            and s.key != target.key
            and any(t.split(".")[-1] == bare for t in referenced_tables(s.query))
        ]
        touching.sort(key=lambda sw: sw[1] * sw[0].mean_exec_ms, reverse=True)
        weight = next((w for s, w in workload if s.key == target.key), 0.0)
        chosen = [(target, max(weight, TARGET_MIN_CALLS_PER_S)), *touching[:MAX_STATEMENTS]]
        items: list[WorkItem] = []
        for statement, calls in chosen:
            prepared = await self.explainer.prepare_statement(conn, statement.query or "")
            if prepared is None:
                continue
            plan = await self.explainer.plan_prepared(conn, prepared)
            needs = table_needs(plan, table) if plan is not None else None
            if plan is not None and needs is not None:
                items.append(WorkItem(statement, calls, plan, needs, prepared))
        return items

    async def _rare_values(
        self, conn: Conn, item: WorkItem, table: str, stats: TableStats
    ) -> list[RareValue]:
        """Rare constants the statement compares columns with: pg_qualstats, else pg_stats."""
        parameters = {
            p.parameter: p.column
            for p in item.needs.predicates
            if p.kind is Kind.EQUALITY and p.operator == "=" and p.parameter
        }
        constants = [
            RareValue(p.column, p.constant, stats.columns[p.column].frequency(p.constant) or 1.0)
            for p in item.needs.predicates
            if p.constant is not None and p.column in stats.columns
        ]
        if not parameters:
            return constants
        if self.qualstats:
            rows = await self.catalog.rows(
                conn, "qualstats_values", {"table": table, "queryid": item.statement.queryid}
            )
            seen: dict[str, list[tuple[str, int]]] = {}
            for row in rows:
                value = unquote_constant(str(row["value"]))
                seen.setdefault(row["column_name"], []).append((value, int(row["occurrences"])))
            for number, column in parameters.items():
                counted = seen.get(column, [])
                total = sum(n for _, n in counted)
                for value, n in counted:
                    if n / total >= MIX_SHARE:  # other values: the generic plan stands for them
                        item.mix.append(({number: value}, n / total))
                    share = (
                        stats.columns[column].frequency(value) if column in stats.columns else None
                    )
                    constants.append(
                        RareValue(column, value, share if share is not None else 1.0, n / total)
                    )
            return constants
        for column in parameters.values():
            column_stats = stats.columns.get(column)
            if column_stats is None:
                continue
            for value, freq in sorted(
                zip(column_stats.common_values, column_stats.common_freqs, strict=False),
                key=lambda vf: vf[1],
            )[:2]:
                constants.append(RareValue(column, value, freq, calls_share=None))
        return constants

    async def _cost(self, conn: Conn, item: WorkItem) -> tuple[float, Plan | None]:
        """The statement's cost as called: for its known values, else the generic plan."""
        total, rest, last = 0.0, 1.0, None
        for values, share in item.mix:
            plan = await self.explainer.plan_prepared(conn, item.prepared, values)
            if plan is not None:
                total += share * plan.total_cost
                rest -= share
                last = plan
        if rest > 1e-9:
            generic = await self.explainer.plan_prepared(conn, item.prepared)
            total += rest * (generic.total_cost if generic else 0.0)
            last = last or generic
        return total, last

    async def _try(
        self,
        conn: Conn,
        shape: IndexShape,
        stats: TableStats,
        items: list[WorkItem],
        current: dict[int, float],
        updated: set[str],
        taken: set[str],
    ) -> Trial:
        name = index_name(shape, taken)
        ddl = create_index(shape, name, predicate_type(stats, shape), concurrently=False)
        rows = await self.catalog.rows(conn, "hypo_create", {"ddl": ddl.as_string(conn)})
        oid = int(rows[0]["indexrelid"])
        try:
            costs, plans = dict(current), {}
            columns = {*shape.keys, *shape.include, shape.predicate_column}
            for i, item in enumerate(items):
                if i and not columns & item.needs.columns:
                    continue  # the index is of no use to this statement: its cost stays
                cost, plan = await self._cost(conn, item)
                costs[i] = cost
                if plan is not None:
                    plans[i] = plan
            hypo_size = int(
                (await self.catalog.rows(conn, "hypo_size", {"indexrelid": oid}))[0]["size_bytes"]
            )
        finally:
            await self.catalog.rows(conn, "hypo_drop", {"indexrelid": oid})
        benefit = sum(item.weight * (current[i] - costs[i]) for i, item in enumerate(items))
        write_cost, warnings = penalty(shape, stats, updated)
        size = estimated_size(shape, stats) or hypo_size
        return Trial(
            shape,
            costs,
            benefit,
            write_cost,
            size,
            warnings,
            plans,
            hypo_size,
            before=dict(current),
        )

    async def _advise_table(
        self,
        conn: Conn,
        table: str,
        target: StatementStats,
        target_plan: Plan,
        workload: list[tuple[StatementStats, float]],
    ) -> tuple[list[Suggestion], list[Suggestion], list[str]]:
        stats = await self.catalog.table_stats(conn, table)
        if stats is None:
            return [], [], [f"{table}: not found"]
        existing = await self.catalog.rows(conn, "advice_indexes", {"table": table})
        taken = {str(r["name"]) for r in existing}
        items = await self._work_items(conn, table, target, target_plan, workload)
        if not items:
            return [], [], [f"{table}: the plans ask nothing an index could give"]
        shapes: list[IndexShape] = []
        for item in items:
            rare = await self._rare_values(conn, item, table, stats)
            # Evidence of dominant values (pg_qualstats) counts for every statement; guesses
            # from pg_stats only for the one asked about.
            evidence = [r for r in rare if r.calls_share is not None or item is items[0]]
            shapes += candidates_for(item.needs, stats, evidence)
        shapes = list(dict.fromkeys(shapes))
        notes: list[str] = []
        covered = {s: covered_by(s, existing) for s in shapes}
        for shape, index in covered.items():
            if index:
                notes.append(f"{shape.describe()} is already covered by {index}")
        trials_shapes = [s for s in shapes if not covered[s]]
        updated: set[str] = set()
        for statement, _ in workload:
            updated |= updated_columns(statement.query or "", stats.name)
        if not self.hypopg:
            return (
                by_rule(trials_shapes, stats, items, updated, taken, target_plan),
                [],
                notes,
            )
        return await self._greedy(conn, trials_shapes, stats, items, updated, taken) + (notes,)

    async def _greedy(
        self,
        conn: Conn,
        shapes: list[IndexShape],
        stats: TableStats,
        items: list[WorkItem],
        updated: set[str],
        taken: set[str],
    ) -> tuple[list[Suggestion], list[Suggestion]]:
        """Pick the best shape, build it hypothetically, and try the rest again on top of it,
        up to MAX_SUGGESTIONS; then (the chosen, every other one tried) as suggestions."""
        base, base_plans = await self._baseline(conn, items)
        current = dict(base)
        chosen: list[Trial] = []
        all_trials: dict[IndexShape, Trial] = {}
        workload_cost = sum(item.weight * base[i] for i, item in enumerate(items))
        remaining = list(shapes)
        while remaining and len(chosen) < MAX_SUGGESTIONS:
            trials = [
                await self._try(conn, s, stats, items, current, updated, taken) for s in remaining
            ]
            for trial in trials:
                all_trials.setdefault(trial.shape, trial)
            viable = [t for t in trials if t.net > 0 and t.benefit >= MIN_GAIN * workload_cost]
            if not viable:
                break
            best = max(t.net for t in viable)
            pick = min((t for t in viable if t.net >= NEAR_BEST * best), key=lambda t: t.size)
            chosen.append(pick)
            remaining.remove(pick.shape)
            current = pick.costs
            pick.name = index_name(pick.shape, taken)
            taken.add(pick.name)
            ddl = create_index(
                pick.shape, pick.name, predicate_type(stats, pick.shape), concurrently=False
            )
            await self.catalog.rows(conn, "hypo_create", {"ddl": ddl.as_string(conn)})
        return self._suggestions(conn, chosen, all_trials, stats, items, base, base_plans, taken)

    async def _baseline(
        self, conn: Conn, items: list[WorkItem]
    ) -> tuple[dict[int, float], dict[int, Plan]]:
        """Each statement's cost and plan with no candidate built."""
        base: dict[int, float] = {}
        base_plans: dict[int, Plan] = {}
        for i, item in enumerate(items):
            cost, plan = await self._cost(conn, item)
            base[i] = cost
            if plan is not None:
                base_plans[i] = plan
        return base, base_plans

    @staticmethod
    def _suggestions(
        conn: Conn,
        chosen: list[Trial],
        all_trials: dict[IndexShape, Trial],
        stats: TableStats,
        items: list[WorkItem],
        base: dict[int, float],
        base_plans: dict[int, Plan],
        taken: set[str],
    ) -> tuple[list[Suggestion], list[Suggestion]]:
        """The chosen in order (each counting those before it built), then the others."""
        workload_cost = sum(item.weight * base[i] for i, item in enumerate(items))
        suggestions = []
        before = workload_cost
        for trial in chosen:
            after = sum(item.weight * trial.costs[i] for i, item in enumerate(items))
            suggestions.append(
                make_suggestion(conn, trial, stats, items, base, base_plans, before, after)
            )
            before = after
        others = []
        chosen_shapes = {t.shape for t in chosen}
        for shape, trial in all_trials.items():
            if shape in chosen_shapes:
                continue
            trial.name = index_name(shape, taken)
            after = sum(item.weight * trial.costs[i] for i, item in enumerate(items))
            others.append(
                make_suggestion(conn, trial, stats, items, base, base_plans, workload_cost, after)
            )
        return suggestions, others
