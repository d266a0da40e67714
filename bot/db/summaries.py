"""SQL of the weekly figures: events and sessions of one period, counted per group."""

from __future__ import annotations

import json
from datetime import datetime

from bot.db.database import Database
from bot.domain.clock import to_db
from bot.domain.events import PARTICIPANT_KINDS
from bot.domain.models import SessionState


async def event_counts(
    db: Database, start: datetime, end: datetime, group_ids: list[int]
) -> dict[tuple[int, str], int]:
    """Events per group and kind, of these groups only: an area's summary reads its own."""
    rows = await db.fetch_all(
        "SELECT group_id, kind, sum(amount) FROM contact_events"
        " WHERE occurred_at >= ? AND occurred_at < ?"
        " AND group_id IN (SELECT value FROM json_each(?)) GROUP BY group_id, kind",
        (to_db(start), to_db(end), json.dumps(group_ids)),
    )
    return {(r[0], r[1]): r[2] for r in rows}


async def people_reached(
    db: Database, start: datetime, end: datetime, group_ids: list[int]
) -> set[tuple[int, str]]:
    """(group, pseudonym) of participants in the period's events."""
    rows = await db.fetch_all(
        "SELECT DISTINCT group_id, pseudonym FROM contact_events"
        " WHERE occurred_at >= ? AND occurred_at < ? AND pseudonym IS NOT NULL"
        " AND kind IN (SELECT value FROM json_each(?))"
        " AND group_id IN (SELECT value FROM json_each(?))",
        (to_db(start), to_db(end), json.dumps(sorted(PARTICIPANT_KINDS)), json.dumps(group_ids)),
    )
    return {(r[0], r[1]) for r in rows}


async def people_contacted(
    db: Database, start: datetime, end: datetime, group_ids: list[int]
) -> set[tuple[int, int]]:
    """(group, user id) of people who got a private message or asked to be contacted in
    the period: identified rows, whose events carry no pseudonym (it would unmask them).
    Staff mail (a leader's summary) is not a contact."""
    rows = await db.fetch_all(
        "SELECT group_id, chat_id FROM deliveries WHERE private = 1"
        " AND state IN ('sent', 'retracting', 'retracted')"
        " AND broadcast_id IN (SELECT id FROM broadcasts WHERE audience = 'group')"
        " AND updated_at >= :start AND updated_at < :end"
        " AND group_id IN (SELECT value FROM json_each(:groups))"
        " UNION SELECT group_id, user_id FROM contact_requests"
        " WHERE created_at >= :start AND created_at < :end"
        " AND group_id IN (SELECT value FROM json_each(:groups))",
        {"start": to_db(start), "end": to_db(end), "groups": json.dumps(group_ids)},
    )
    return {(r[0], r[1]) for r in rows}


async def session_counts(
    db: Database, start: datetime, end: datetime, now: datetime
) -> dict[tuple[int, SessionState], int]:
    """Sessions in the period that have started, by group and state."""
    rows = await db.fetch_all(
        "SELECT group_id, state, count(*) FROM sessions"
        " WHERE starts_at >= ? AND starts_at < ? AND starts_at <= ? GROUP BY group_id, state",
        (to_db(start), to_db(end), to_db(now)),
    )
    return {(r[0], SessionState(r[1])): r[2] for r in rows}


async def checkin_counts(
    db: Database, start: datetime, end: datetime, now: datetime, group_ids: list[int]
) -> dict[int, tuple[int, int]]:
    """Per group: check-ins that have opened in the period (not called off), and the
    participants they asked."""
    rows = await db.fetch_all(
        "SELECT group_id, count(*), sum(asked) FROM checkins"
        " WHERE state != 'cancelled' AND opens_at >= ? AND opens_at < ? AND opens_at <= ?"
        " AND group_id IN (SELECT value FROM json_each(?)) GROUP BY group_id",
        (to_db(start), to_db(end), to_db(now), json.dumps(group_ids)),
    )
    return {r[0]: (r[1], r[2]) for r in rows}
