"""Replication (7): the receiver on a standby, WAL senders, slots, subscriptions,
publications, a standby's conflicts and the archiver in one table, whatever holds the most
WAL on top; `D` drops an unused slot."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from pgwatch_tui.core import format as fmt
from pgwatch_tui.core.act.requests import drop_slot_request
from pgwatch_tui.core.act.shown_sql import drop_slot
from pgwatch_tui.core.diagnose.replication_health import seconds_since
from pgwatch_tui.core.model.replication_rows import ReplicationSlot
from pgwatch_tui.core.model.snapshot import Snapshot
from pgwatch_tui.ui.panes.base import TablePane
from pgwatch_tui.ui.requests import RunAction
from pgwatch_tui.views import replication
from pgwatch_tui.views.replication_detail import replication_detail
from pgwatch_tui.views.table import TableRow


class ReplicationPane(TablePane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "D", "drop_slot", "Drop slot", tooltip="pg_drop_replication_slot the selected slot"
        ),
    ]
    wanted_probes = frozenset(
        {
            "replication",
            "replication_slots",
            "archiver",
            "recovery",
            "recovery_conflicts",
            "subscriptions",
            "publications",
        }
    )
    columns = replication.COLUMNS
    sortable = replication.SORTABLE
    default_sort = replication.DEFAULT_SORT

    def row_sources(self, snapshot: Snapshot) -> tuple[object, ...]:
        # Ages in the detail column are shown to the second: rebuild on every new reading.
        return (snapshot.taken_at,)

    def build_rows(self, snapshot: Snapshot) -> list[TableRow]:
        return replication.replication_rows(snapshot)

    def summary_text(self, snapshot: Snapshot, rows: list[TableRow]) -> str:
        return replication.replication_summary(snapshot, rows)

    def copy_text(self, row: TableRow) -> str | None:
        payload = row.payload
        return drop_slot(payload.slot_name) if isinstance(payload, ReplicationSlot) else None

    def open_detail(self, row: TableRow) -> None:
        from pgwatch_tui.ui.screens.detail import DetailScreen

        if self.snapshot is not None:
            self.app.push_screen(DetailScreen(*replication_detail(row.payload, self.snapshot)))

    def action_drop_slot(self) -> None:
        row = self.selected_row
        slot = row.payload if row is not None else None
        if not isinstance(slot, ReplicationSlot):
            self.notify("D drops a replication slot: select a slot row.", severity="warning")
            return
        about = [("slot", f"{slot.slot_type}, {replication.slot_state(slot)}")]
        if slot.inactive_since is not None and self.snapshot is not None:
            idle = seconds_since(slot.inactive_since, self.snapshot.server.now)
            about.append(("unused for", fmt.coarse_duration(idle)))
        self.post_message(RunAction(drop_slot_request(slot.slot_name), about))
