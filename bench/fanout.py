"""Fan-out: one broadcast to 600 targets (100 group chats + 500 private chats) through the
real program, against the fake Bot API server enforcing Telegram's limits.

Prints: the broadcast's sending time ÷ the floor that Telegram's overall limit sets
(N/30 s for N messages at 30 a second), the number of 429 answers, lost and duplicated
deliveries, and bytes uploaded. The sending time runs from the server's answer to the
first copy to its answer to the last, plus one slot (1/30 s) for that last message; the
program's start-up before the first copy is not counted.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from pathlib import Path

from bench.world import LEADER, TOKEN, build, env_for, start_program
from tests.support.fake_server import FakeBotApiServer
from tests.support.fake_telegram import Call, FakeTelegram

GROUPS, SUBSCRIBERS = 100, 5


def copies(fake: FakeTelegram) -> list[Call]:
    return [c for c in fake.calls_to("copyMessage") if c.status == 200]


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        targets = await build(workdir, GROUPS, SUBSCRIBERS)
        fake = FakeTelegram(token=TOKEN, enforce_rate_limits=True)
        fake.private_message(LEADER, "Viesti kaikille")  # message 1: the one the broadcast copies
        server = FakeBotApiServer(fake)
        base = await server.start()
        process = await start_program(workdir, env_for(base, workdir))
        await fake.wait_for(lambda c: len(copies(fake)) >= len(targets), timeout=180)
        await asyncio.sleep(2)  # anything extra (a duplicate) would come now
        process.terminate()
        await process.wait()
        await server.stop()
    report(fake, targets)


def report(fake: FakeTelegram, targets: list[int]) -> None:
    done = copies(fake)
    delivered = Counter(c.params["chat_id"] for c in done)
    chats, n = set(targets), len(targets)
    elapsed = done[n - 1].at - done[0].at + 1 / 30
    floor = n / 30
    uploaded = sum(len(u.data) for c in fake.calls for u in c.files.values())
    others = sum(
        1 for c in fake.calls if c.params.get("chat_id") in chats and c.method != "copyMessage"
    )
    duplicated = sum(count - 1 for count in delivered.values())
    print(f"targets: {n} ({GROUPS} group chats + {n - GROUPS} private chats)")
    print(f"sending time {elapsed:.2f} s; floor N/30 = {floor:.2f} s; ratio {elapsed / floor:.3f}")
    print(f"429 answers: {fake.rate_limited}")
    print(f"lost: {len(chats - set(delivered))}; duplicated: {duplicated}")
    print(f"bytes uploaded: {uploaded}; other calls to the targets: {others}")


if __name__ == "__main__":
    asyncio.run(main())
