"""Bloat (5): tables and btree indexes by estimated waste; `r` re-estimates now."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.ddl import bloat_ddl
from pgwatch_tui.core.snapshot import Snapshot
from pgwatch_tui.core.text import printable
from pgwatch_tui.ui.context import pgwatch
from pgwatch_tui.ui.widgets.table_pane import TablePane
from pgwatch_tui.views import bloat
from pgwatch_tui.views.table import TableRow


class BloatPane(TablePane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "estimate_now", "Re-estimate"),
    ]
    wanted_probes = frozenset({"table_bloat", "index_bloat"})
    columns = bloat.COLUMNS
    sortable = bloat.SORTABLE
    default_sort = bloat.DEFAULT_SORT

    def build_rows(self, snapshot: Snapshot) -> list[TableRow]:
        return bloat.bloat_rows(snapshot)

    def summary_text(self, snapshot: Snapshot, rows: list[TableRow]) -> str:
        return bloat.bloat_summary(snapshot, pgwatch(self).settings.bloat_interval_s)

    def copy_text(self, row: TableRow) -> str | None:
        return bloat_ddl(row.payload)

    def open_detail(self, row: TableRow) -> None:
        from pgwatch_tui.ui.screens.detail import DetailScreen

        e = row.payload
        fields = [
            ("relation", printable(f"{e.schema_name}.{e.name}")),
            ("kind", e.kind.value),
            ("table", printable(e.table_name)),
            ("size", fmt.size(e.size_bytes)),
            ("a fresh copy would take", fmt.size(e.expected_bytes)),
            ("estimated waste", f"{fmt.size(e.wasted_bytes)} ({fmt.percent(e.bloat_ratio)})"),
            ("deduplicated btree", "yes" if e.deduplicated else "no"),
            ("last vacuum", str(e.last_vacuum or "never")),
            ("method", "measured (pgstattuple)" if e.measured else "estimated from statistics"),
        ]
        if e.reason:
            fields.append(("no estimate because", e.reason))
        self.app.push_screen(DetailScreen(f"Bloat of {e.name}", fields, bloat_ddl(e)))

    def action_estimate_now(self) -> None:
        pgwatch(self).poll_now(self.wanted_probes)
        self.notify("Re-estimating bloat from statistics…", timeout=2)
