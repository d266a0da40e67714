"""Memory of a process and of the processes it starts (Linux /proc), for the benchmarks."""

from __future__ import annotations

import threading
from pathlib import Path


def status_kib(pid: int | str, field: str) -> int:
    """A line of /proc/<pid>/status such as VmRSS or VmHWM, in KiB (0 if it has ended)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    for line in lines:
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except (FileNotFoundError, ProcessLookupError):
                continue
            found += children
            todo += children
    return found


class ChildrenPeak(threading.Thread):
    """The highest peak (VmHWM) of any process that `pid` starts while this watches, such as
    the worker process that draws the Monday files. Sampled every 20 ms until `stop()`:
    a worker's peak is read last just before it ends, so this is a close lower bound."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self._pid, self._done = pid, threading.Event()
        self.peak_kib = 0

    def run(self) -> None:
        while not self._done.wait(0.02):
            for child in descendants(self._pid):
                self.peak_kib = max(self.peak_kib, status_kib(child, "VmHWM"))

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak_kib
