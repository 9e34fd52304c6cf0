"""Indexes (6): invalid, duplicate, unused indexes and foreign keys without one, with why."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from pgwatch_tui.core.act.requests import drop_request, reindex_request
from pgwatch_tui.core.act.shown_sql import finding_ddl
from pgwatch_tui.core.diagnose.index_health import IndexFinding
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.ui.panes.base import TablePane
from pgwatch_tui.ui.requests import RunAction
from pgwatch_tui.views import indexes
from pgwatch_tui.views.table import TableRow


class IndexesPane(TablePane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("R", "reindex", "Reindex", tooltip="REINDEX CONCURRENTLY the selected index"),
        Binding("D", "drop_index", "Drop", tooltip="DROP INDEX CONCURRENTLY the selected index"),
    ]
    wanted_probes = frozenset({"indexes", "foreign_keys", "index_builds", "databases"})
    columns = indexes.COLUMNS
    sortable = indexes.SORTABLE
    default_sort = indexes.DEFAULT_SORT

    def row_sources(self, snapshot: Snapshot) -> tuple[object, ...]:
        current = snapshot.current_database
        reset = current.stats_reset if current is not None else None
        return (snapshot.indexes, snapshot.foreign_keys, snapshot.index_builds, reset)

    def build_rows(self, snapshot: Snapshot) -> list[TableRow]:
        return indexes.index_rows(snapshot)

    def summary_text(self, snapshot: Snapshot, rows: list[TableRow]) -> str:
        return indexes.index_summary(snapshot, rows)

    def copy_text(self, row: TableRow) -> str | None:
        return finding_ddl(row.payload)

    def open_detail(self, row: TableRow) -> None:
        from pgwatch_tui.ui.screens.detail import DetailScreen

        f = row.payload
        fields = indexes.finding_fields(f, self.snapshot)
        self.app.push_screen(
            DetailScreen(f"Index finding: {f.problem.value}", fields, finding_ddl(f))
        )

    def _index_finding(self) -> IndexFinding | None:
        row = self.selected_row
        finding = row.payload if row is not None else None
        if finding is None or finding.index_name is None:
            self.notify("This row is not an index.", severity="warning")
            return None
        return finding  # type: ignore[no-any-return]

    def action_reindex(self) -> None:
        finding = self._index_finding()
        if finding is not None and finding.index_name is not None:
            self.post_message(
                RunAction(
                    reindex_request(finding.schema_name, finding.index_name, finding.table_name),
                    [("listed as", f"{finding.problem.value}: {finding.why}")],
                )
            )

    def action_drop_index(self) -> None:
        finding = self._index_finding()
        if finding is not None and finding.index_name is not None:
            self.post_message(
                RunAction(
                    drop_request(finding.schema_name, finding.index_name, finding.table_name),
                    [("listed as", f"{finding.problem.value}: {finding.why}")],
                )
            )
