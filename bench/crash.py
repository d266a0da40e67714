"""Crash: SIGKILL the real program at random moments of a 600-target broadcast, restart it
each time, and count what was lost and what came twice.

The outbox may repeat only deliveries that were in flight (claimed, `sending`) at a kill:
the figure to compare duplicates with is the sum of those counts over all kills.
"""

from __future__ import annotations

import asyncio
import logging
import random
import signal
import sqlite3
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.world import LEADER, TOKEN, build, env_for, start_program
from tests.support.fake_server import FakeBotApiServer
from tests.support.fake_telegram import FakeTelegram

GROUPS, SUBSCRIBERS, KILLS = 100, 5, 10


def delivered(fake: FakeTelegram) -> Counter[int]:
    return Counter(c.params["chat_id"] for c in fake.calls_to("copyMessage") if c.status == 200)


def in_flight(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return int(
            db.execute("SELECT count(*) FROM deliveries WHERE state = 'sending'").fetchone()[0]
        )


async def main(seed: int) -> None:
    logging.getLogger("aiohttp").setLevel(logging.CRITICAL)  # killed clients drop requests
    chance = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        targets = await build(workdir, GROUPS, SUBSCRIBERS)
        fake = FakeTelegram(token=TOKEN, enforce_rate_limits=True)
        fake.private_message(LEADER, "Viesti kaikille")  # message 1: the one the broadcast copies
        server = FakeBotApiServer(fake)
        base = await server.start()
        env = env_for(base, workdir)
        flights = []
        for _ in range(KILLS):
            process = await start_program(workdir, env)
            await asyncio.sleep(chance.uniform(1.0, 3.5))
            process.send_signal(signal.SIGKILL)
            await process.wait()
            fake.release_pollers()
            flights.append(in_flight(workdir / "bench.db"))
        process = await start_program(workdir, env)
        await fake.wait_for(lambda c: set(delivered(fake)) >= set(targets), timeout=180)
        await asyncio.sleep(2)
        process.terminate()
        await process.wait()
        await server.stop()
    counts = delivered(fake)
    duplicated = sum(n - 1 for n in counts.values())
    print(f"seed {seed}: {KILLS} kills, in flight at each: {flights} (sum {sum(flights)})")
    print(
        f"lost: {len(set(targets) - set(counts))}; duplicated: {duplicated}; "
        f"within the bound: {duplicated <= sum(flights)}; 429 answers: {fake.rate_limited}"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1))
