"""`python -m benchmarks` (or `./dev bench`): every benchmark, its table printed and written
to benchmarks/results/latest.md. `--quick` is the smoke run the test suite makes: tiny scale,
seconds per phase, results to a file of your choice."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import environment as env
from benchmarks.key_latency import key_latencies
from benchmarks.plan_render import measure_plan_render
from benchmarks.report import Row, limit_row, ratio_row, render
from benchmarks.scale import measure_scale
from benchmarks.side_by_side import median, side_by_side
from benchmarks.soak import soak

RESULTS = Path(__file__).parent / "results" / "latest.md"
TARGETS_MISSED = 3  # the exit status when the table has a FAIL (1 is a crash)


@dataclass(frozen=True)
class Plan:
    scale: env.Scale
    seconds: float
    runs: int
    soak_minutes: float
    ticks: int
    key_presses: int


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _import_ms() -> float:
    """Median wall time of importing pgwatch's entry point, minus a bare interpreter's."""

    def run(code: str) -> float:
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - began

    bare = statistics.median(run("pass") for _ in range(3))
    full = statistics.median(run("import pgwatch_tui.cli") for _ in range(3))
    return (full - bare) * 1000


def side_by_side_rows(plan: Plan) -> list[Row]:
    scale = plan.scale
    _log(f"side by side: {plan.runs} runs of {plan.seconds:g} s each, alternating")
    with (
        env.benchmark_cluster(scale.idle_sessions + 100) as cluster,
        env.pgbench_workload(cluster, scale),
        env.idle_sessions(cluster.conninfo(), scale.idle_sessions),
    ):
        figures = side_by_side(cluster, plan.seconds, plan.runs, _log)
        _log("memory soak")
        soaked = soak(env.tool_conninfo(cluster, "pgwatch"), plan.soak_minutes, _log)
    ours, theirs = figures["pgwatch"], figures["pg_activity"]

    def pair(field: str) -> tuple[float, float]:
        return median(ours, field), median(theirs, field)

    server, cpu, sent = pair("server_ms_per_s"), pair("cpu_ms_per_s"), pair("bytes_per_s")
    statements, startup = pair("statements_per_s"), pair("startup_s")
    rows = [
        ratio_row("server time of the tool's statements", *server, "ms/s", 0.5),
        Row("statements sent", f"{statements[0]:.1f}/s", f"{statements[1]:.1f}/s"),
        ratio_row("client CPU", *cpu, "ms/s", 1.0),
        ratio_row("bytes to the terminal", sent[0] / 1024, sent[1] / 1024, "KiB/s", 1.0),
        limit_row("start-up to first frame with data", startup[0], "s", 1.0, f"{startup[1]:.1f} s"),
        Row("import of pgwatch_tui.cli", f"{_import_ms():.0f} ms"),
        limit_row(f"RSS after {soaked.minutes:g} min", soaked.rss_end_mb, "MB", 150),
    ]
    growth = soaked.growth_after_5_min_mb
    if growth is not None:
        rows.append(limit_row("RSS growth, minute 5 to the end", growth, "MB", 2.0))
    return rows


def scale_rows(plan: Plan) -> list[Row]:
    scale = plan.scale
    _log(f"scale: {scale.sessions} sessions, {scale.statements} statements, {scale.tables} tables")
    with env.benchmark_cluster(scale.sessions + 100) as cluster:
        env.build_scale(cluster.conninfo(), scale)
        conninfo = env.tool_conninfo(cluster, "pgwatch")
        with env.idle_sessions(cluster.conninfo(), scale.sessions - 20):
            measured = asyncio.run(measure_scale(conninfo, cluster.conninfo(), plan.ticks))
            latencies = sorted(key_latencies(conninfo, plan.key_presses))
        shown = asyncio.run(measure_plan_render(cluster.conninfo()))
    worst_pane, worst = max(measured.tick_cpu_ms.items(), key=lambda item: item[1])
    p99 = latencies[max(int(len(latencies) * 0.99) - 1, 0)]
    return [
        limit_row(f"tick client CPU, worst pane ({worst_pane})", worst, "ms", 100.0),
        Row(
            "tick client CPU by pane",
            ", ".join(f"{p}: {ms:.0f}" for p, ms in measured.tick_cpu_ms.items()) + " ms",
        ),
        limit_row("key press to screen, p99", p99, "ms", 50.0),
        Row("key press to screen, p50", f"{statistics.median(latencies):.1f} ms"),
        Row(
            "query texts read / statements known",
            f"{measured.texts_read} / {measured.statements_seen}",
            target="never re-read",
            passed=measured.texts_read <= measured.statements_seen,
        ),
        limit_row(
            f"plan screen, {shown.nodes}-node plan, to its last frame",
            shown.to_last_frame_ms,
            "ms",
            100.0,
        ),
        Row("plan screen CPU over the same span", f"{shown.cpu_ms:.1f} ms"),
    ]


def _plan() -> tuple[Plan, Path]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke run: tiny, about a minute")
    parser.add_argument("--seconds", type=float, help="measured window per run (default 30)")
    parser.add_argument("--runs", type=int, help="runs of each tool, alternating (default 3)")
    parser.add_argument("--soak-minutes", type=float, help="memory soak length (default 30)")
    parser.add_argument("--out", type=Path, help=f"where the table goes (default {RESULTS})")
    opts = parser.parse_args()
    quick = opts.quick
    plan = Plan(
        scale=env.Scale.quick() if quick else env.Scale(),
        seconds=opts.seconds or (2.0 if quick else 30.0),
        runs=opts.runs or (1 if quick else 3),
        soak_minutes=opts.soak_minutes
        if opts.soak_minutes is not None
        else (0.05 if quick else 30),
        ticks=2 if quick else 5,
        key_presses=4 if quick else 100,
    )
    return plan, opts.out or RESULTS


def main() -> int:
    plan, out = _plan()
    rows = side_by_side_rows(plan) + scale_rows(plan)
    scale = plan.scale
    settings = (
        f"Workload: pgbench scale {scale.pgbench_scale}, {scale.pgbench_clients} clients at "
        f"{scale.pgbench_rate} tps, {scale.idle_sessions} idle sessions; both tools at 1 s, "
        f"200x50, {plan.runs} alternating run(s) of {plan.seconds:g} s (medians). Scale: "
        f"{scale.sessions} sessions, {scale.statements} statements, {scale.tables} tables "
        "with their indexes."
    )
    table = render(rows, settings)
    print(table)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table, encoding="utf-8")
    return 0 if all(r.passed is not False for r in rows) else TARGETS_MISSED


if __name__ == "__main__":
    sys.exit(main())
