"""Sampling profiles of the running program with py-spy, for the benchmarks.

py-spy is not a dependency of the project: install it into your own environment
(`.venv/bin/pip install py-spy`) and set BENCH_PROFILE to a folder; a benchmark then records
each measured part into `<folder>/<part>.txt` (py-spy's raw "collapsed stacks") and prints
its top entries. Without the setting nothing is recorded.

  .venv/bin/python -m bench.profile FILE [N [UPDATES]]   # the top N entries of a profile
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import sys
from collections import Counter
from pathlib import Path

FOLDER = os.environ.get("BENCH_PROFILE")
RATE = 200  # samples a second


class Recording:
    def __init__(self, process: asyncio.subprocess.Process | None, path: Path) -> None:
        self._process, self.path = process, path

    async def stop(self, updates: int, top: int = 15) -> None:
        if self._process is None:
            return
        self._process.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        await self._process.wait()
        print(summary(self.path, top, updates))


async def record(pid: int, part: str) -> Recording:
    """Sample `pid` until `stop()`, if BENCH_PROFILE names a folder."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    path = Path(FOLDER or ".") / f"{part}.txt"
    if FOLDER is None or not Path(spy).exists():
        return Recording(None, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    process = await asyncio.create_subprocess_exec(
        spy, "record", "--pid", str(pid), "--format", "raw", "--output", str(path),
        "--rate", str(RATE), "--nolineno", "--nonblocking", "--gil",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    await asyncio.sleep(1)  # attached
    return Recording(process, path)


_FRAME = re.compile(r"^(?P<name>.*) \((?P<file>[^()]*)\)$")


def _short(frame: str) -> str:
    match = _FRAME.match(frame)
    if not match:
        return frame
    file = match["file"]
    for marker in ("site-packages/", "python3.11/"):
        if marker in file:
            file = file.split(marker, 1)[1]
    return f"{match['name']} ({file})"


def summary(path: Path, top: int = 15, updates: int = 0) -> str:
    """The functions with the most samples on top of the stack (self) and anywhere in it
    (inclusive), as shares of all samples (and in ms per update, given their number).
    Only samples of a thread holding the GIL are recorded: Python's own CPU time."""
    own: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        frames = [_short(f) for f in stack.split(";")]
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            anywhere[frame] += count
    per_update = 1000 / RATE / updates if updates else 0.0  # ms per sample and update
    lines = [f"  profile {path.name}: {total} samples at {RATE}/s"]
    for title, counter in (("self", own), ("inclusive", anywhere)):
        lines.append(f"  top {top} by {title} (share, ms per update):")
        lines += [
            f"    {n / total * 100:5.1f} %  {n * per_update:5.2f}  {frame}"
            for frame, n in counter.most_common(top)
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    arguments = [*sys.argv[1:], "25", "0"]
    print(summary(Path(arguments[0]), int(arguments[1]), int(arguments[2])))
