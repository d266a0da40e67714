"""Fan-out: one broadcast to 600 targets (100 group chats + 500 private chats) through the
real program, against the fake Bot API server enforcing Telegram's limits.

Prints: the broadcast's sending time ÷ the floor that Telegram's overall limit sets
(N/30 s for N messages at 30 a second), the number of 429 answers, lost and duplicated
deliveries, and bytes uploaded. The sending time runs from the server's answer to the
first copy to its answer to the last, plus one slot (1/30 s) for that last message; the
program's start-up before the first copy is not counted.

  BENCH_LATENCY_MS=50  the fake server answers every request after 50 ms
  BENCH_SUMMARY=1      a coordinator asks for the week's summary (its chart and spreadsheets
                       are made in the worker process) once the first 100 copies are out;
                       its messages share the overall window, so the floor counts them too.
                       Prints the bot's and the worker's peak memory.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections import Counter
from pathlib import Path

from bench.memory import ChildrenPeak, status_kib
from bench.world import COORDINATOR, LEADER, TOKEN, build, env_for, start_program
from tests.support.fake_server import FakeBotApiServer
from tests.support.fake_telegram import Call, FakeTelegram

GROUPS, SUBSCRIBERS = 100, 5
LATENCY = float(os.environ.get("BENCH_LATENCY_MS", 0)) / 1000
SUMMARY = os.environ.get("BENCH_SUMMARY") == "1"


def copies(fake: FakeTelegram) -> list[Call]:
    return [c for c in fake.calls_to("copyMessage") if c.status == 200]


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        targets = await build(workdir, GROUPS, SUBSCRIBERS)
        fake = FakeTelegram(token=TOKEN, enforce_rate_limits=True)
        fake.private_message(LEADER, "Viesti kaikille")  # message 1: the one the broadcast copies
        server = FakeBotApiServer(fake, latency=LATENCY)
        base = await server.start()
        process = await start_program(workdir, env_for(base, workdir))
        workers = ChildrenPeak(process.pid)
        workers.start()
        if SUMMARY:
            await fake.wait_for(lambda c: len(copies(fake)) >= 100, timeout=180)
            fake.private_message(COORDINATOR, "/summary")
        await fake.wait_for(lambda c: len(copies(fake)) >= len(targets), timeout=180)
        await asyncio.sleep(2)  # anything extra (a duplicate) would come now
        peak, worker_peak = status_kib(process.pid, "VmHWM"), workers.stop()
        process.terminate()
        await process.wait()
        await server.stop()
    report(fake, targets)
    print(f"latency {LATENCY * 1000:.0f} ms; the bot's peak RSS {peak / 1024:.0f} MiB", end="")
    print(f", the worker's {worker_peak / 1024:.0f} MiB" if worker_peak else "")


def report(fake: FakeTelegram, targets: list[int]) -> None:
    done = copies(fake)
    delivered = Counter(c.params["chat_id"] for c in done)
    chats, n = set(targets), len(targets)
    elapsed = done[n - 1].at - done[0].at + 1 / 30
    # Anything else sent meanwhile (the summary) took its place in the overall window too.
    extra = sum(
        1
        for c in fake.calls
        if c.status == 200 and c.method.startswith("send") and done[0].at <= c.at <= done[n - 1].at
    )
    floor = (n + extra) / 30
    if extra:
        print(f"other messages sent during the broadcast: {extra} (in the floor)")
    uploaded = sum(len(u.data) for c in fake.calls for u in c.files.values())
    others = sum(
        1 for c in fake.calls if c.params.get("chat_id") in chats and c.method != "copyMessage"
    )
    duplicated = sum(count - 1 for count in delivered.values())
    print(f"targets: {n} ({GROUPS} group chats + {n - GROUPS} private chats)")
    print(f"sending time {elapsed:.2f} s; floor = {floor:.2f} s; ratio {elapsed / floor:.3f}")
    print(f"429 answers: {fake.rate_limited}")
    print(f"lost: {len(chats - set(delivered))}; duplicated: {duplicated}")
    print(f"bytes uploaded: {uploaded}; other calls to the targets: {others}")


if __name__ == "__main__":
    asyncio.run(main())
