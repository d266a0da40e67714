"""A synthetic year for 1,000 groups (about 5 million contact events): how long the
weekly summary for one area and the welfare-report export take, and their peak memory.

    .venv/bin/python -m bench.year            # the full year; prints one line per figure

Two databases are made with the same generator: the whole of 2026, and only its last
quarter. The weekly summary of a week in both takes the same time if its cost follows the
week's events, not the table's size; the export of 2026 takes about four times as long in
the big one (its period holds four times the events), and the export of 2025 (no events)
next to nothing in either. Each figure
is measured in a fresh process: its peak memory above what the process used just before
it, and the process's own peak ("nothing" opens the services and the database only).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.memory import ChildrenPeak
from bot.app import build_services
from bot.config import Settings
from bot.db.database import Database
from bot.db.migrate import migrate
from bot.documents.weekly import weekly_files
from bot.documents.welfare import export_bytes
from bot.domain.clock import to_db
from bot.domain.periods import Period
from bot.domain.weeks import Week
from bot.i18n import translator

GROUPS = 1000
# BENCH_AREAS=1: all 1,000 groups in one municipality (the national-scale weekly summary).
AREAS = int(os.environ.get("BENCH_AREAS", 20))
# BENCH_DATABASES=year: only the year's database (the quarter's shows how the cost scales).
DATABASES = os.environ.get("BENCH_DATABASES", "year,quarter").split(",")
PARTICIPANTS = 12
YEAR_START = datetime(2026, 1, 5, tzinfo=UTC)  # Monday of 2026-W02
COORDINATOR = 5001  # of the first area
NATIONAL = 5002  # of all areas: the weekly summary of all 1,000 groups
AFTER = datetime(2027, 1, 10, 12, tzinfo=UTC)  # when the figures are asked for
WEEK = Week(2026, 48)
ZONE = ZoneInfo("Europe/Helsinki")
FIGURES = os.environ.get(
    "BENCH_FIGURES",
    "nothing,weekly,weekly+files,weekly-all,weekly-all+files,export-2026,export-2025",
).split(",")


def pseudonym(group: int, person: int) -> str:
    return hashlib.sha256(f"{group}-{person}".encode()).hexdigest()[:32]


def week_events(rng: random.Random, group: int, area: int, monday: datetime) -> Iterator[tuple]:
    """About 97 events: posts and their deliveries, check-ins and answers, plans, calls."""
    people = [pseudonym(group, p) for p in range(PARTICIPANTS)]
    private = people[:6]  # follow the group privately too

    def at() -> str:
        return (monday + timedelta(seconds=rng.randrange(7 * 86400))).strftime("%Y-%m-%d %H:%M:%S")

    for _ in range(7):  # leader posts
        yield (at(), area, group, "broadcast_queued", None, 1)
        yield (at(), area, group, "delivery_sent", None, 1)
        for person in private:
            yield (at(), area, group, "delivery_sent", person, 1)
    for _ in range(2):  # check-ins
        yield (at(), area, group, "checkin_sent", None, 1)
        yield (at(), area, group, "delivery_sent", None, 1)
        for person in private:
            yield (at(), area, group, "delivery_sent", person, 1)
        for person in rng.sample(people, 8):
            yield (at(), area, group, "checkin_answered", person, 1)
        if rng.random() < 0.3:
            yield (at(), area, group, "contact_requested", rng.choice(people), 1)
    for person in rng.sample(people, 3):
        yield (at(), area, group, "plan_made", person, 1)
        yield (at(), area, group, "plan_followed_up", person, 1)
    yield (at(), area, group, "phone_contact", None, 1)
    if rng.random() < 0.5:
        yield (at(), area, group, "visit", None, 1)


def build(path: Path, first_week: int) -> int:
    """The schema from the program's own migrations, then the year from `first_week` on."""
    asyncio.run(_migrate(path))
    rng = random.Random(2026)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.executemany(
        "INSERT INTO areas (id, name) VALUES (?, ?)",
        [(a, f"Kunta {a:02d}") for a in range(1, AREAS + 1)],
    )
    for user in (COORDINATOR, NATIONAL):
        db.execute("INSERT INTO people (user_id, language) VALUES (?, 'fi')", (user,))
    db.execute("INSERT INTO coordinators (user_id) VALUES (?)", (COORDINATOR,))
    db.execute("INSERT INTO coordinator_areas (user_id, area_id) VALUES (?, 1)", (COORDINATOR,))
    db.execute("INSERT INTO coordinators (user_id, all_areas) VALUES (?, 1)", (NATIONAL,))
    for group in range(1, GROUPS + 1):
        area = group % AREAS + 1
        first = YEAR_START + timedelta(weeks=group % 45, hours=15)
        db.execute(
            "INSERT INTO groups (id, area_id, name, language, weekday, local_time, first_date,"
            " session_count, created_at) VALUES (?, ?, ?, 'fi', 0, '17:00', ?, 6, ?)",
            (group, area, f"Ryhmä {group}", first.date().isoformat(), "2026-01-01 00:00:00"),
        )
        for number in range(1, 7):
            state = rng.choices(["planned", "remote", "cancelled"], [80, 15, 5])[0]
            starts = first + timedelta(weeks=number - 1)
            db.execute(
                "INSERT INTO sessions (group_id, number, starts_at, state) VALUES (?, ?, ?, ?)",
                (group, number, starts.strftime("%Y-%m-%d %H:%M:%S"), state),
            )
    indexes = [  # built again after the load, as the migrations made them: much faster
        sql
        for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
            " AND sql IS NOT NULL",
            ("contact_events",),
        ).fetchall()
        if not db.execute(f"DROP INDEX {name}").fetchall()
    ]
    insert = (
        "INSERT INTO contact_events (occurred_at, area_id, group_id, kind, pseudonym, amount)"
        " VALUES (?, ?, ?, ?, ?, ?)"
    )
    joined = YEAR_START - timedelta(days=3)
    db.executemany(
        insert,
        [
            (
                joined.strftime("%Y-%m-%d %H:%M:%S"),
                g % AREAS + 1,
                g,
                "participant_joined",
                pseudonym(g, p),
                1,
            )
            for g in range(1, GROUPS + 1)
            for p in range(PARTICIPANTS)
        ],
    )
    for week in range(first_week, 53):
        monday = YEAR_START + timedelta(weeks=week - 2)
        db.executemany(  # two check-ins a week, each asking the group's participants
            "INSERT INTO checkins (group_id, opens_at, closes_at, state, asked)"
            " VALUES (?, ?, ?, 'closed', ?)",
            [
                (
                    g,
                    (monday + timedelta(days=d)).strftime("%Y-%m-%d %H:%M:%S"),
                    (monday + timedelta(days=d + 2)).strftime("%Y-%m-%d %H:%M:%S"),
                    PARTICIPANTS,
                )
                for g in range(1, GROUPS + 1)
                for d in (1, 4)
            ],
        )
        rows = [e for g in range(1, GROUPS + 1) for e in week_events(rng, g, g % AREAS + 1, monday)]
        rows.sort(key=lambda row: row[0])  # a log is written in time order
        db.executemany(insert, rows)
    for sql in indexes:
        db.execute(sql)
    db.commit()  # no ANALYZE: the program does not run one either
    total = db.execute("SELECT count(*) FROM contact_events").fetchone()[0]
    db.close()
    return int(total)


def events_in(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM contact_events").fetchone()[0])


async def _migrate(path: Path) -> None:
    db = await Database.open(path)
    await migrate(db)
    await db.close()


async def run_figure(path: Path, what: str) -> tuple[float, float, int, int, int, int]:
    """Make one figure through the program's own services: its time, its period's events,
    the memory in use just before it, the peak while it was made and the peak of the
    worker process that made its files, if any (KiB)."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, bot_token="1:bench", database_path=path, pseudonym_key="b" * 64
    )
    db = await Database.open(path)
    services = build_services(settings, db, lambda: AFTER)
    tr = translator("fi")
    Path("/proc/self/clear_refs").write_text("5")  # Linux: the peak (VmHWM) starts again here
    before = _status_kib("VmRSS")
    workers = ChildrenPeak(os.getpid())
    workers.start()
    cpu = _cpu_seconds()
    started = time.perf_counter()
    if what == "nothing":  # the services and the database alone: the baseline
        start = end = AFTER
    elif what.startswith("weekly"):
        reader = NATIONAL if what.startswith("weekly-all") else COORDINATOR
        report = await services.summaries.week(await services.people.access(reader), WEEK)
        if what.endswith("+files"):
            await weekly_files(tr, report, ZONE)
        start, end = WEEK.bounds(ZONE)
    else:  # a year with its quarters, protected together
        year = 2025 if what == "export-2025" else 2026
        export_bytes(tr, await services.welfare.report(year), 5, ZONE, "xlsx")
        start, end = Period(year).bounds(ZONE)
    seconds = time.perf_counter() - started
    peak = _status_kib("VmHWM")
    worker_peak = workers.stop()
    for _ in range(50):  # the worker's CPU counts once it has ended and been waited for
        if not what.endswith("+files") or resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime:
            break
        await asyncio.sleep(0.1)
    cpu = _cpu_seconds() - cpu
    row = await db.fetch_one(
        "SELECT count(*) FROM contact_events WHERE occurred_at >= ? AND occurred_at < ?",
        (to_db(start), to_db(end)),
    )
    await db.close()
    return seconds, cpu, int(row[0]) if row else 0, before, peak, worker_peak


def _cpu_seconds() -> float:
    """User + system CPU of this process (all its threads) and its ended workers."""
    own, workers = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def measure(path: Path, what: str) -> dict[str, float]:
    """Run in a fresh process: one figure's time and the memory it added at its peak."""
    seconds, cpu, events, before, peak, worker_peak = asyncio.run(run_figure(path, what))
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mib": (peak - before) / 1024,
        "process_peak_mib": peak / 1024,
        "worker_peak_mib": worker_peak / 1024,
        "events": events,
    }


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status (Linux only)")


def child(path: Path, what: str) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-m", "bench.year", "measure", str(path), what],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def main() -> None:
    if sys.argv[1:2] == ["measure"]:
        print(json.dumps(measure(Path(sys.argv[2]), sys.argv[3])))
        return
    kept = os.environ.get("BENCH_YEAR_DIR")  # keep the databases there, and reuse them
    with tempfile.TemporaryDirectory() as scratch:
        work = kept or scratch
        sizes, results = {}, {}
        for name, first_week in (("year", 2), ("quarter", 40)):
            if name not in DATABASES:
                continue
            path = Path(work) / f"{name}.db"
            started = time.perf_counter()
            if path.exists():
                asyncio.run(_migrate(path))  # a kept database: this code's schema
                sizes[name] = events_in(path)
            else:
                sizes[name] = build(path, first_week)
            print(
                f"built {name}: {sizes[name]:,} events in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
            for what in FIGURES:
                # The short ones vary from run to run on a shared machine: the median of 3.
                runs = [child(path, what) for _ in range(3 if what.startswith("weekly") else 1)]
                results[name, what] = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
                r = results[name, what]
                print(
                    f"  {what:16} {r['seconds']:6.2f} s (CPU {r['cpu']:6.2f} s)"
                    f"  peak +{r['peak_mib']:3.0f} MiB"
                    f" (process {r['process_peak_mib']:3.0f} MiB"
                    f", worker {r['worker_peak_mib']:3.0f} MiB)"
                    f"  ({int(r['events']):,} events in its period)",
                    flush=True,
                )
        if len(sizes) < 2:
            return
        ratio = sizes["year"] / sizes["quarter"]
        print(f"table size, year ÷ quarter database: {ratio:.2f}")
        for what in [f for f in FIGURES if f.startswith("weekly")]:  # the same week's events
            same = results["year", what]["seconds"] / results["quarter", what]["seconds"]
            print(f"{what}: time in the year database ÷ time in the quarter database = {same:.2f}")
        big, small = results["year", "export-2026"], results["quarter", "export-2026"]
        print(
            f"export 2026: time ÷ time = {big['seconds'] / small['seconds']:.2f}"
            f" for events ÷ events = {big['events'] / small['events']:.2f}"
            f" (year database ÷ quarter database)"
        )


if __name__ == "__main__":
    main()
