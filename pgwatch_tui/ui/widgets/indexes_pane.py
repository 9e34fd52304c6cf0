"""Indexes (6): invalid, duplicate, unused indexes and foreign keys without one, with why."""

from __future__ import annotations

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.ddl import finding_ddl
from pgwatch_tui.core.snapshot import Snapshot
from pgwatch_tui.core.text import printable
from pgwatch_tui.ui.widgets.table_pane import TablePane
from pgwatch_tui.views import indexes
from pgwatch_tui.views.table import TableRow


class IndexesPane(TablePane):
    wanted_probes = frozenset({"indexes", "foreign_keys", "index_builds", "databases"})
    columns = indexes.COLUMNS
    sortable = indexes.SORTABLE
    default_sort = indexes.DEFAULT_SORT

    def build_rows(self, snapshot: Snapshot) -> list[TableRow]:
        return indexes.index_rows(snapshot)

    def summary_text(self, snapshot: Snapshot, rows: list[TableRow]) -> str:
        return indexes.index_summary(snapshot, rows)

    def copy_text(self, row: TableRow) -> str | None:
        return finding_ddl(row.payload)

    def open_detail(self, row: TableRow) -> None:
        from pgwatch_tui.ui.screens.detail import DetailScreen

        f = row.payload
        definition = next(
            (
                i.definition
                for i in (self.snapshot.indexes if self.snapshot else ())
                if i.indexrelid == f.oid
            ),
            None,
        )
        fields = [
            ("problem", f.problem.value),
            ("index", printable(f.index_name or "—")),
            ("table", printable(f"{f.schema_name}.{f.table_name}")),
            ("size", fmt.size(f.size_bytes)),
            ("scans", fmt.number(f.scans)),
            ("why", printable(f.why)),
        ]
        if definition:
            fields.append(("definition", printable(definition)))
        self.app.push_screen(
            DetailScreen(f"Index finding: {f.problem.value}", fields, finding_ddl(f))
        )
