"""Bloat (5): tables and btree indexes by estimated waste; `r` re-estimates now."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.act.requests import reindex_request
from pgwatch_tui.core.act.shown_sql import bloat_ddl
from pgwatch_tui.core.model.bloat import RelationKind
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.ui.panes.base import TablePane
from pgwatch_tui.ui.requests import Measure, PollNow, RunAction
from pgwatch_tui.views import bloat
from pgwatch_tui.views.table import TableRow


class BloatPane(TablePane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "estimate_now", "Estimate", tooltip="Run the bloat estimate now"),
        Binding("R", "reindex", "Reindex", tooltip="REINDEX CONCURRENTLY the selected index"),
        Binding("v", "measure", "Measure", tooltip="Measure exactly with pgstattuple"),
    ]
    wanted_probes = frozenset({"table_bloat", "index_bloat"})
    columns = bloat.COLUMNS
    sortable = bloat.SORTABLE
    default_sort = bloat.DEFAULT_SORT

    def build_rows(self, snapshot: Snapshot) -> list[TableRow]:
        return bloat.bloat_rows(snapshot, self.context.measured)

    def row_sources(self, snapshot: Snapshot) -> tuple[object, ...]:
        # Vacuum ages are shown to the minute: rebuild once a minute, or on new estimates.
        minute = int(snapshot.taken_at.timestamp() // 60)
        measured = tuple(self.context.measured.values())
        return (snapshot.table_bloat, snapshot.index_bloat, measured, minute)

    def summary_text(self, snapshot: Snapshot, rows: list[TableRow]) -> str:
        context = self.context
        return bloat.bloat_summary(
            snapshot, context.settings.bloat_interval_s, len(context.measured)
        )

    def copy_text(self, row: TableRow) -> str | None:
        return bloat_ddl(row.payload)

    def open_detail(self, row: TableRow) -> None:
        from pgwatch_tui.ui.screens.detail import DetailScreen

        e = row.payload
        screen = DetailScreen(f"Bloat of {e.name}", bloat.bloat_fields(e), bloat_ddl(e))
        self.app.push_screen(screen)

    def action_estimate_now(self) -> None:
        self.post_message(PollNow(self.wanted_probes))
        self.notify("Re-estimating bloat from statistics…", timeout=2)

    def action_reindex(self) -> None:
        row = self.selected_row
        if row is None:
            return
        estimate = row.payload
        if estimate.kind is not RelationKind.INDEX:
            self.notify(
                "REINDEX rebuilds indexes; a table's own bloat needs VACUUM FULL (which "
                "locks it) or an online tool such as pg_repack.",
                severity="warning",
            )
            return
        self.post_message(
            RunAction(
                reindex_request(estimate.schema_name, estimate.name, estimate.table_name),
                [
                    (
                        "measured waste" if estimate.measured else "estimated waste",
                        f"{fmt.size(estimate.wasted_bytes)} ({fmt.percent(estimate.bloat_ratio)})",
                    )
                ],
            )
        )

    def action_measure(self) -> None:
        row = self.selected_row
        if row is not None:
            self.post_message(Measure(row.payload))
