"""Record the Replication fixture from a real demo cluster with its standby.

Polls the replication probes on the demo's primary and on its standby while the standby's
replay is paused (so lag shows and grows), and writes what each side reported to
tests/fixtures/demo_replication.json. The UI tests lay it over the recorded demo snapshots.

    .venv/bin/python scripts/record_replication.py
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

from pgwatch_tui.core.collect.conninfo import ConnTarget
from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.sandbox.demo import Demo
from pgwatch_tui.ui.panes.replication import ReplicationPane

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "demo_replication.json"
PROBES = frozenset(ReplicationPane.wanted_probes)
FIELDS = {*PROBES, "slot_growth", "standby_lag_growth", "conflict_rate", "taken_at"}
TICKS = 4


async def record_side(target: ConnTarget) -> list[dict[str, Any]]:
    poller = Poller(target, Settings())
    await poller.connect()
    try:
        ticks = []
        for _ in range(TICKS):
            snapshot = await poller.poll(PROBES, force=PROBES)
            ticks.append(json.loads(snapshot.model_dump_json(include=FIELDS)))
            await asyncio.sleep(1.0)
        return ticks
    finally:
        await poller.close()


def main() -> int:
    with Demo(replication=True) as demo:
        assert demo.standby is not None
        time.sleep(3)  # the workload writes, the standby streams
        with psycopg.connect(demo.standby.conninfo(), autocommit=True) as conn:
            conn.execute("SELECT pg_wal_replay_pause()")
        time.sleep(2)
        recorded = {
            "primary": asyncio.run(record_side(demo.target)),
            "standby": asyncio.run(record_side(demo.standby_target)),
        }
    OUT.write_text(json.dumps(recorded, indent=1) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {OUT}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
