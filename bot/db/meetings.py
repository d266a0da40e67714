"""SQL of a group's meeting settings (place, reminders), the reminders queued, and
sessions a leader adds after the plan."""

from __future__ import annotations

import json
from datetime import datetime, time
from typing import Literal

from bot.db.database import Reader, Row, Transaction
from bot.db.sessions import session_from_row
from bot.domain.clock import from_db, to_db
from bot.domain.models import Session
from bot.domain.reminders import MeetingSettings, ReminderKind


def _settings(row: Row) -> MeetingSettings:
    return MeetingSettings(
        group_id=row["group_id"],
        place=row["place"],
        reminders_on=bool(row["reminders_on"]),
        reminder_time=time.fromisoformat(row["reminder_time"]),
        early=bool(row["early"]),
    )


async def settings(db: Reader, group_id: int) -> MeetingSettings:
    row = await db.fetch_one("SELECT * FROM meeting_settings WHERE group_id = ?", (group_id,))
    return _settings(row) if row else MeetingSettings(group_id)


async def settings_of(db: Reader, group_ids: list[int]) -> dict[int, MeetingSettings]:
    rows = await db.fetch_all(
        "SELECT * FROM meeting_settings WHERE group_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(group_ids))),),
    )
    stored = {r["group_id"]: _settings(r) for r in rows}
    return {g: stored.get(g, MeetingSettings(g)) for g in group_ids}


async def save_settings(tx: Transaction, s: MeetingSettings) -> None:
    await tx.execute(
        "INSERT INTO meeting_settings (group_id, place, reminders_on, reminder_time, early)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (group_id) DO UPDATE SET place = excluded.place,"
        " reminders_on = excluded.reminders_on, reminder_time = excluded.reminder_time,"
        " early = excluded.early",
        (s.group_id, s.place, int(s.reminders_on), s.reminder_time.strftime("%H:%M"), int(s.early)),
    )


async def sessions_between(db: Reader, start: datetime, end: datetime) -> list[Session]:
    """Sessions of every group starting in [start, end)."""
    rows = await db.fetch_all(
        "SELECT * FROM sessions WHERE starts_at >= ? AND starts_at < ? ORDER BY starts_at",
        (to_db(start), to_db(end)),
    )
    return [session_from_row(r) for r in rows]


async def claim_reminder(
    tx: Transaction, session_id: int, kind: ReminderKind, starts_at: datetime
) -> bool:
    """Mark a reminder of a session at this start time as queued; False if it already was."""
    changed = await tx.changes(
        "INSERT OR IGNORE INTO session_reminders (session_id, kind, starts_at) VALUES (?, ?, ?)",
        (session_id, kind, to_db(starts_at)),
    )
    return changed == 1


async def add_session(tx: Transaction, group_id: int, starts: datetime) -> int:
    """A session after the group's last one (a replacement or a follow-up meeting)."""
    return await tx.execute(
        "INSERT INTO sessions (group_id, number, starts_at) VALUES"
        " (?, (SELECT coalesce(max(number), 0) + 1 FROM sessions WHERE group_id = ?), ?)",
        (group_id, group_id, to_db(starts)),
    )


async def last_start(db: Reader, group_id: int) -> datetime | None:
    row = await db.fetch_one("SELECT max(starts_at) FROM sessions WHERE group_id = ?", (group_id,))
    return from_db(row[0]) if row and row[0] else None


async def ended_unasked(db: Reader, now: datetime, since: datetime) -> list[int]:
    """Groups whose last session started in [since, now], whose leaders were not yet asked
    about a follow-up."""
    rows = await db.fetch_all(
        "SELECT g.id FROM groups g WHERE (SELECT max(starts_at) FROM sessions s"
        " WHERE s.group_id = g.id) BETWEEN ? AND ? AND NOT EXISTS (SELECT 1"
        " FROM meeting_settings m WHERE m.group_id = g.id AND m.closing_asked = 1)",
        (to_db(since), to_db(now)),
    )
    return [r[0] for r in rows]


async def closing_claimed(db: Reader, group_id: int) -> bool:
    row = await db.fetch_one(
        "SELECT 1 FROM meeting_settings WHERE group_id = ? AND closing_sent = 1", (group_id,)
    )
    return row is not None


async def mark_closing_asked(tx: Transaction, group_id: int) -> bool:
    return await _set_flag(tx, group_id, "closing_asked")


async def claim_closing(tx: Transaction, group_id: int) -> bool:
    """Mark the closing message as queued; False if it already was."""
    return await _set_flag(tx, group_id, "closing_sent")


async def _set_flag(
    tx: Transaction, group_id: int, flag: Literal["closing_asked", "closing_sent"]
) -> bool:
    await tx.execute(
        "INSERT INTO meeting_settings (group_id) VALUES (?) ON CONFLICT (group_id) DO NOTHING",
        (group_id,),
    )
    changed = await tx.changes(
        f"UPDATE meeting_settings SET {flag} = 1 WHERE group_id = ? AND {flag} = 0", (group_id,)
    )
    return changed == 1
