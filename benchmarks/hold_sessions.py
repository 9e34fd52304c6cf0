"""Hold N idle connections until stdin closes: `python -m benchmarks.hold_sessions CONNINFO N`.

A separate process, so the sessions cost the measured process nothing."""

from __future__ import annotations

import asyncio
import resource
import sys

import psycopg


async def _hold(conninfo: str, count: int) -> None:
    gate = asyncio.Semaphore(16)

    async def one(n: int) -> psycopg.AsyncConnection[tuple[object, ...]]:
        async with gate:
            conn = await psycopg.AsyncConnection.connect(
                conninfo, autocommit=True, application_name=f"bench idle {n}"
            )
            await conn.execute("SELECT 1")
            return conn

    conns = await asyncio.gather(*(one(n) for n in range(count)))
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    for conn in conns:
        await conn.close()


def main() -> None:
    conninfo, count = sys.argv[1], int(sys.argv[2])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, count + 256), hard), hard))
    asyncio.run(_hold(conninfo, count))


if __name__ == "__main__":
    main()
