"""Updates: how fast the real program (`python -m bot`) answers many people at once, against
the fake Bot API server (Telegram's limits enforced) with a per-request latency.

World: 100 groups with a bound chat and 5 participants each (500 people), and an open
check-in in every chat (sent by the program itself before the measurements).

  (a) 0 ms:  a burst of 2,000 check-in presses from 500 people (4 each, round robin);
  (c) 0 ms:  1,000 commands from 500 people (/help, then /privacy), each reply checked;
      then a Monday summary (`/summary`, chart and spreadsheets) for the memory peak;
  (b) 50 ms: presses offered at 100 a second for 30 s.

Prints updates/s, the time from an update being offered to its answer reaching the server
(p50/p99), the program's CPU time per update, and its memory from /proc.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.memory import ChildrenPeak
from bench.profile import record
from bench.world import COORDINATOR, LEADER, env_for, open_services, populate, start_program
from tests.support.fake_server import FakeBotApiServer
from tests.support.fake_telegram import Call, FakeTelegram
from tests.support.tg_objects import callback_data_of

GROUPS, PER_GROUP = int(os.environ.get("BENCH_GROUPS", 100)), 5
TOKEN = "123456:BENCH-token"
BURST = 4  # presses per person in (a)
OFFERED_RATE, OFFERED_SECONDS = 100, 30  # (b)
COMMANDS = ("/help", "/privacy")  # (c), in this order for each person
ERRORS = ("Sorry", "Anteeksi", "Förlåt", "no longer works", "ei enää toimi")


@dataclass
class Program:
    fake: FakeTelegram
    server: FakeBotApiServer
    process: asyncio.subprocess.Process
    people: list[int]
    checkins: dict[int, dict[str, Any]]  # each person's check-in message

    def status(self, field: str) -> int:
        """A VmRSS-like line of /proc/<pid>/status, in KiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        raise KeyError(field)

    def cpu(self) -> float:
        """User + system CPU seconds the program has used."""
        return _cpu_seconds(Path(f"/proc/{self.process.pid}/stat"))

    def main_thread_cpu(self) -> float:
        """The CPU seconds of the event loop's thread alone (the rest: SQLite's threads)."""
        return _cpu_seconds(Path(f"/proc/{self.process.pid}/task/{self.process.pid}/stat"))

    def reset_peak(self) -> None:
        Path(f"/proc/{self.process.pid}/clear_refs").write_text("5")  # VmHWM := VmRSS


def _cpu_seconds(stat: Path) -> float:
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def start(workdir: Path, latency: float) -> Program:
    services = await open_services(workdir)
    chats = await populate(services, GROUPS, PER_GROUP)
    leader = await services.people.access(LEADER)
    for group in await services.onboarding.overview(leader):
        await services.checkins.send_now(leader, group.group.id)
    await services.db.close()
    fake = FakeTelegram(token=TOKEN, enforce_rate_limits=True)
    server = FakeBotApiServer(fake, latency=latency)
    base = await server.start()
    process = await start_program(workdir, env_for(base, workdir))
    people = [chat for chat in chats if chat > 0]
    reached: set[int] = set()

    def all_asked(call: Call) -> bool:
        if call.method == "sendMessage" and week_buttons(call.params):
            reached.add(call.params["chat_id"])
        return reached.issuperset(people)

    await fake.wait_for(all_asked, timeout=240)
    await asyncio.sleep(3)  # the last deliveries recorded; the program idle
    return Program(fake, server, process, people, {p: checkin(fake, p) for p in people})


def checkin(fake: FakeTelegram, person: int) -> dict[str, Any]:
    return next(m for m in fake.sent_messages(person) if week_buttons(m))


def week_buttons(message: dict[str, Any]) -> list[str]:
    data = callback_data_of(message.get("reply_markup"))
    return sorted(d for d in data if d.startswith("ci:") and ":week:" in d)


async def answered(fake: FakeTelegram, method: str, count: int, since: int) -> list[Call]:
    def done(_: Call) -> bool:
        return len([c for c in fake.calls[since:] if c.method == method]) >= count

    await fake.wait_for(done, timeout=600)
    return [c for c in fake.calls[since:] if c.method == method]


def percentiles(latencies: list[float]) -> str:
    cuts = statistics.quantiles(latencies, n=100)
    return f"p50 {cuts[49] * 1000:.0f} ms, p99 {cuts[98] * 1000:.0f} ms"


async def presses(
    program: Program, offered_per_second: float | None, count: int, part: str
) -> None:
    """Presses of the week buttons, round robin over people: at once, or at a steady rate."""
    profile = await record(program.process.pid, part)
    fake, since, cpu = program.fake, len(program.fake.calls), program.cpu()
    loop_cpu = program.main_thread_cpu()
    offered: dict[str, float] = {}
    people = itertools.cycle(program.people)
    first = time.monotonic()
    for n in range(count):
        if offered_per_second is not None:
            await asyncio.sleep(max(0.0, first + n / offered_per_second - time.monotonic()))
        person = next(people)
        message = program.checkins[person]
        buttons = week_buttons(message)
        update = fake.callback_query(
            person, message, buttons[n // len(program.people) % len(buttons)]
        )
        offered[update["callback_query"]["id"]] = time.monotonic()
    answers = await answered(fake, "answerCallbackQuery", count, since)
    used = program.cpu() - cpu
    loop_used = program.main_thread_cpu() - loop_cpu
    await profile.stop(count)
    latencies = [c.at - offered[c.params["callback_query_id"]] for c in answers]
    errors = sum(1 for c in answers if any(e in str(c.params.get("text")) for e in ERRORS))
    elapsed = max(c.at for c in answers) - first
    print(f"  {count} presses in {elapsed:.2f} s: {count / elapsed:.0f} updates/s")
    print(f"  offer → answer: {percentiles(latencies)}")
    print(f"  CPU {used:.2f} s, {used / count * 1000:.2f} ms per update", end="")
    print(f" (the event loop's thread {loop_used / count * 1000:.2f} ms); error answers: {errors}")


async def commands(program: Program) -> None:
    """Every command must get its own reply exactly once: for each person, the replies that
    reached their chat (answers of 429 are not replies; a retried reply counts once, when it
    got through) must be the help text, then the privacy notice, and nothing else."""
    fake, since, cpu = program.fake, len(program.fake.calls), program.cpu()
    limited = fake.rate_limited
    first = time.monotonic()
    for command in COMMANDS:
        for person in program.people:
            fake.private_message(person, command)
    count = len(COMMANDS) * len(program.people)
    await delivered(fake, "sendMessage", count, since)
    used = program.cpu() - cpu
    await asyncio.sleep(3)  # a reply sent twice would arrive now
    replies = [c for c in fake.calls[since:] if c.method == "sendMessage" and c.status == 200]
    elapsed = max(c.at for c in replies) - first
    texts: dict[int, list[str]] = {}
    for call in replies:
        texts.setdefault(call.params["chat_id"], []).append(str(call.params["text"]))
    wanted = ("/tietosuoja", "tietojasi")  # in the (Finnish) help text; in the privacy notice
    right = [p for p in program.people if _as_wanted(texts.get(p, []), wanted)]
    print(f"  {count} commands answered in {elapsed:.2f} s: {count / elapsed:.1f} replies/s")
    print(
        f"  people whose two commands got their real replies, once each and in order:"
        f" {len(right)} of {len(program.people)}; replies {len(replies)} (want {count})"
    )
    odd = next((t for p, t in texts.items() if p not in right), None)
    if odd is not None:
        print(f"  for example: {[t[:60] for t in odd]}")
    print(f"  429 answers: {fake.rate_limited - limited}; CPU {used / count * 1000:.2f} ms/update")


def _as_wanted(got: list[str], wanted: tuple[str, ...]) -> bool:
    return len(got) == len(wanted) and all(
        want in text and not any(e in text for e in ERRORS)
        for text, want in zip(got, wanted, strict=True)
    )


async def delivered(fake: FakeTelegram, method: str, count: int, since: int) -> None:
    """Until `count` calls of `method` have succeeded (a 429 is not a delivery)."""

    def done(_: Call) -> bool:
        calls = fake.calls[since:]
        return sum(1 for c in calls if c.method == method and c.status == 200) >= count

    await fake.wait_for(done, timeout=600)


async def summary_peak(program: Program) -> None:
    """A coordinator's /summary of this week (100 groups): its chart and spreadsheets are
    made in a worker process. The bot's peak and the worker's, from /proc."""
    program.reset_peak()
    workers = ChildrenPeak(program.process.pid)
    workers.start()
    since = len(program.fake.calls)
    program.fake.private_message(COORDINATOR, "/summary")
    await delivered(program.fake, "sendDocument", 2, since)  # XLSX and CSV, after the chart
    worker = workers.stop() / 1024
    peak = program.status("VmHWM") / 1024
    print(
        f"  peak RSS during a Monday summary (/summary, 100 groups): the bot {peak:.0f} MiB,",
        end="",
    )
    print(f" its worker process {worker:.0f} MiB")


async def stop(program: Program) -> None:
    program.process.terminate()
    await program.process.wait()
    await program.server.stop()


async def main(parts: str) -> None:
    if "a" in parts or "c" in parts:
        await at_zero_latency(parts)
    if "b" in parts:
        await at_fifty_ms()
    print(f"load average during the run: {os.getloadavg()[0]:.2f} (1 min), cores: {os.cpu_count()}")


async def at_zero_latency(parts: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        print("0 ms latency")
        program = await start(Path(folder), 0.0)
        print(f"  idle RSS: {program.status('VmRSS') / 1024:.0f} MiB")
        if "a" in parts:
            print(f"(a) a burst of {BURST * len(program.people)} check-in presses")
            await presses(program, None, BURST * len(program.people), "a")
        if "c" in parts:
            print(f"(c) {len(COMMANDS) * len(program.people)} commands")
            await commands(program)
        if "c" in parts:
            await summary_peak(program)
        await stop(program)


async def at_fifty_ms() -> None:
    with tempfile.TemporaryDirectory() as folder:
        print("50 ms latency")
        program = await start(Path(folder), 0.05)
        print(f"(b) presses offered at {OFFERED_RATE}/s for {OFFERED_SECONDS} s")
        await presses(program, OFFERED_RATE, OFFERED_RATE * OFFERED_SECONDS, "b")
        await stop(program)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "abc")))
