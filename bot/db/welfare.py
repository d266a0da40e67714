"""SQL of the welfare-report figures: one period's sessions and events, per group."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from bot.db.database import Reader, Transaction
from bot.domain.clock import from_db, to_db
from bot.domain.events import EventKind
from bot.domain.models import SessionState

_PRESENCE = json.dumps([EventKind.PARTICIPANT_JOINED, EventKind.PARTICIPANT_LEFT])


async def group_areas(db: Reader) -> dict[int, int]:
    rows = await db.fetch_all("SELECT id, area_id FROM groups")
    return {r[0]: r[1] for r in rows}


async def sessions_held(
    db: Reader, start: datetime, end: datetime, group_ids: list[int] | None = None
) -> list[tuple[int, SessionState, datetime]]:
    """(group, state, start) of sessions held in [start, end), optionally of some groups: a
    planned session that has started went ahead in person."""
    rows = await db.fetch_all(
        "SELECT group_id, state, starts_at FROM sessions"
        " WHERE starts_at >= ? AND starts_at < ? AND state IN ('planned', 'remote')"
        " AND (? IS NULL OR group_id IN (SELECT value FROM json_each(?)))",
        (to_db(start), to_db(end), *[json.dumps(group_ids) if group_ids is not None else None] * 2),
    )
    return [(r[0], SessionState(r[1]), from_db(r[2])) for r in rows]


async def event_sums(
    db: Reader, start: datetime, end: datetime, kinds: list[EventKind]
) -> dict[tuple[int, str], int]:
    rows = await db.fetch_all(
        "SELECT group_id, kind, sum(amount) FROM contact_events"
        " WHERE occurred_at >= ? AND occurred_at < ? AND group_id IS NOT NULL"
        " AND kind IN (SELECT value FROM json_each(?)) GROUP BY group_id, kind",
        (to_db(start), to_db(end), json.dumps(kinds)),
    )
    return {(r[0], r[1]): r[2] for r in rows}


async def contact_sums_by_part(
    db: Reader, cuts: list[datetime], kinds: list[EventKind]
) -> dict[tuple[int, int, str], int]:
    """(part, group, kind) -> sum, where part i runs from cuts[i] to cuts[i + 1]: the whole
    (UTC) days from the daily counts (`contact_days`), the hours at either end of a part
    from the events themselves."""
    sums: dict[tuple[int, int, str], int] = defaultdict(int)
    for part, (start, end) in enumerate(pairwise(cuts)):
        first, last = _whole_days(start, end)
        pieces = [(start, end)] if first >= last else [(start, first), (last, end)]
        for (group_id, kind), amount in (await _day_sums(db, first, last, kinds)).items():
            sums[part, group_id, kind] += amount
        for piece in pieces:
            for (group_id, kind), amount in (await event_sums(db, *piece, kinds)).items():
                sums[part, group_id, kind] += amount
    return dict(sums)


def _whole_days(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The first and the end of the whole UTC days between `start` and `end`."""
    first = _midnight(start)
    if first < start:
        first += timedelta(days=1)
    return first, _midnight(end)


def _midnight(moment: datetime) -> datetime:
    day = moment.astimezone(UTC).date()
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


async def _day_sums(
    db: Reader, first: datetime, last: datetime, kinds: list[EventKind]
) -> dict[tuple[int, str], int]:
    if first >= last:
        return {}
    rows = await db.fetch_all(
        "SELECT group_id, kind, sum(amount) FROM contact_days"
        " WHERE kind IN (SELECT value FROM json_each(?)) AND day >= ? AND day < ?"
        " GROUP BY group_id, kind HAVING sum(amount) > 0",  # 0: a deleted group's
        (json.dumps(kinds), first.date().isoformat(), last.date().isoformat()),
    )
    return {(r[0], r[1]): r[2] for r in rows}


async def stays(
    db: Reader, group_ids: list[int], end: datetime
) -> list[tuple[int, str, str, datetime]]:
    """(group, pseudonym, kind, time) of participants' joins and leaves before `end`."""
    rows = await db.fetch_all(
        "SELECT group_id, pseudonym, kind, occurred_at FROM contact_events"
        " WHERE kind IN (SELECT value FROM json_each(?))"
        " AND group_id IN (SELECT value FROM json_each(?))"
        " AND occurred_at < ? AND pseudonym IS NOT NULL",
        (_PRESENCE, json.dumps(group_ids), to_db(end)),
    )
    return [(r[0], r[1], r[2], from_db(r[3])) for r in rows]


async def first_answers(
    db: Reader, start: datetime, end: datetime
) -> list[tuple[int, str, datetime]]:
    """(group, pseudonym, when) of everyone's first answer to a check-in in the period."""
    rows = await db.fetch_all(
        "SELECT group_id, pseudonym, min(occurred_at) FROM contact_events"
        " WHERE kind = ? AND occurred_at >= ? AND occurred_at < ? AND pseudonym IS NOT NULL"
        " GROUP BY group_id, pseudonym",
        (EventKind.CHECKIN_ANSWERED.value, to_db(start), to_db(end)),
    )
    return [(r[0], r[1], from_db(r[2])) for r in rows]


async def answer_span(db: Reader, group_id: int) -> list[datetime]:
    """The first and last answer to the group's check-ins that still name someone."""
    row = await db.fetch_one(
        "SELECT min(occurred_at), max(occurred_at) FROM contact_events"
        " WHERE kind = ? AND group_id = ? AND pseudonym IS NOT NULL",
        (EventKind.CHECKIN_ANSWERED.value, group_id),
    )
    return [from_db(value) for value in row if value] if row else []


async def frozen(db: Reader, period: str) -> dict[int, tuple[int, int]]:
    rows = await db.fetch_all(
        "SELECT group_id, reached, completers FROM group_figures WHERE period = ?", (period,)
    )
    return {r[0]: (r[1], r[2]) for r in rows}


async def freeze(
    tx: Transaction, group_id: int, period: str, reached: int, completers: int
) -> None:
    await tx.execute(
        "INSERT INTO group_figures (group_id, period, reached, completers) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (group_id, period) DO UPDATE SET reached = reached + excluded.reached,"
        " completers = completers + excluded.completers",
        (group_id, period, reached, completers),
    )
