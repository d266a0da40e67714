"""The worker process that makes the heavy documents."""

from __future__ import annotations

import os

from bot.documents.worker import NICENESS, in_worker


async def test_the_worker_yields_the_cpu_to_the_bot() -> None:
    ours = os.nice(0)
    assert await in_worker(os.nice, 0) == min(ours + NICENESS, 19)
