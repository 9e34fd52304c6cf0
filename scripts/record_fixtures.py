"""Record the UI test fixtures from a real demo cluster.

Starts `pgwatch --demo`'s cluster and workload, waits until the lock chain has formed, then
polls every probe a number of times and writes the snapshots to tests/fixtures/. The UI tests
and screenshots replay them, so they show what a real server produced.

    .venv/bin/python scripts/record_fixtures.py
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from record_diagnosis import record_diagnosis  # beside this script

from pgwatch_tui.core.collect.poller import Poller
from pgwatch_tui.core.collect.probes import SNAPSHOT_PROBES, PollContext
from pgwatch_tui.core.settings import Settings
from pgwatch_tui.sandbox.demo import Demo
from tests.replay_actions import DiagnosisRecording

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
OUT = FIXTURES / "demo_snapshots.jsonl"
DIAGNOSIS_OUT = FIXTURES / "demo_diagnosis.json"
TICKS = 12
HISTORY_ONLY = {
    "statements",
    "statement_deltas",
    "tables",
    "indexes",
    "foreign_keys",
    "table_bloat",
    "index_bloat",
    "session_locks",
    "statements_info",
}


async def record(demo: Demo) -> tuple[list[str], DiagnosisRecording]:
    poller = Poller(demo.target, Settings())
    await poller.connect()
    try:
        lines = []
        everything = frozenset(SNAPSHOT_PROBES)
        root: int | None = None
        for tick in range(TICKS):
            # The last one also carries a session's locks, for the session detail screen.
            context = PollContext(pid=root) if tick == TICKS - 1 else None
            force = everything if tick == 0 else frozenset()
            snapshot = await poller.poll(everything, force=force, context=context)
            root = next((w.blocking_pids[0] for w in snapshot.lock_waits), root)
            # Early ticks only feed the Overview history: keep them small.
            slim = tick < TICKS - 2
            lines.append(snapshot.model_dump_json(exclude=HISTORY_ONLY if slim else None))
            await asyncio.sleep(1.0)
        return lines, await record_diagnosis(demo, snapshot)
    finally:
        await poller.close()


def main() -> int:
    with Demo() as demo:
        time.sleep(4)  # the workload's lock chain and idle transaction form
        lines, diagnosis = asyncio.run(record(demo))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    DIAGNOSIS_OUT.write_text(diagnosis.model_dump_json(indent=1) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {len(lines)} snapshots and the diagnosis to {FIXTURES}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
