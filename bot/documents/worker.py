"""Heavy documents made in a short-lived worker process.

A chart needs matplotlib and numpy (about 100 MB) and seconds of CPU. In the bot's own
process the libraries would stay loaded for the rest of its life, and a thread would
still hold the GIL against the event loop and the sender. A fresh process ("spawn": the
bot's threads are not copied) does the work and ends, and the memory goes with it. It
runs at a lower priority, so that on a busy machine the bot's event loop (replies, the
paced sending of a broadcast) is served first.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
NICENESS = 10  # added to the worker's: it yields the CPU to the bot


async def in_worker(work: Callable[..., T], *args: object) -> T:
    """`work(*args)` in a new process; `work` and its arguments must pickle."""
    pool = ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=os.nice,
        initargs=(NICENESS,),
    )
    try:
        return await asyncio.get_running_loop().run_in_executor(pool, work, *args)
    finally:
        pool.shutdown(wait=False)  # the worker ends on its own once its one task is done
