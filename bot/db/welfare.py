"""SQL of the welfare-report figures: one period's sessions and events, per group."""

from __future__ import annotations

import json
from datetime import datetime

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


async def event_sums_by_part(
    db: Reader, cuts: list[datetime], kinds: list[EventKind]
) -> dict[tuple[int, int, str], int]:
    """(part, group, kind) -> sum, where part i runs from cuts[i] to cuts[i + 1]: the parts of
    a period (a year's quarters) in one pass over its events."""
    assert len(cuts) >= 2, cuts
    inner = " ".join(f"WHEN occurred_at < ? THEN {i}" for i in range(len(cuts) - 2))
    part = f"CASE {inner} ELSE {len(cuts) - 2} END" if inner else "0"
    rows = await db.fetch_all(
        f"SELECT {part} AS part, group_id, kind, sum(amount) FROM contact_events"
        " WHERE occurred_at >= ? AND occurred_at < ? AND group_id IS NOT NULL"
        " AND kind IN (SELECT value FROM json_each(?)) GROUP BY part, group_id, kind",
        (
            *(to_db(cut) for cut in cuts[1:-1]),
            to_db(cuts[0]),
            to_db(cuts[-1]),
            json.dumps(kinds),
        ),
    )
    return {(r[0], r[1], r[2]): r[3] for r in rows}


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
