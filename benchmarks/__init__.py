"""pgwatch benchmarks: side by side with pg_activity on the same sandbox cluster, at scale,
and for start-up, plan rendering and memory. Run with `./dev bench` (`--quick` for a smoke run).
"""
