"""SQL of check-ins, their answers and contact requests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Reader, Row, Transaction
from bot.domain.checkins import Checkin, CheckinState, ContactRequest, PlanAnswer
from bot.domain.clock import from_db, to_db
from bot.domain.models import Role
from bot.domain.outbox import State


@dataclass(frozen=True)
class Answer:
    week: int | None
    plan: PlanAnswer | None


@dataclass(frozen=True)
class Receipt:
    """Where a broadcast went to one chat: privately or not, and its message ids."""

    private: bool
    message_ids: tuple[int, ...]
    sent: bool  # it reached (or is reaching) the chat: not only queued, nor taken back


def _checkin(row: Row) -> Checkin:
    return Checkin(
        id=row["id"],
        group_id=row["group_id"],
        session_id=row["session_id"],
        broadcast_id=row["broadcast_id"],
        tip_broadcast_id=row["tip_broadcast_id"],
        opens_at=from_db(row["opens_at"]),
        closes_at=from_db(row["closes_at"]),
        state=CheckinState(row["state"]),
        asked=row["asked"],
    )


def _contact_request(row: Row) -> ContactRequest:
    return ContactRequest(row["id"], row["checkin_id"], row["group_id"], row["user_id"])


async def insert_checkin(
    tx: Transaction,
    group_id: int,
    session_id: int | None,
    opens: datetime,
    closes: datetime,
    asked: int,
    *,
    opened: bool,
) -> int:
    return await tx.execute(
        "INSERT INTO checkins (group_id, session_id, opens_at, closes_at, asked, opened)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (group_id, session_id, to_db(opens), to_db(closes), asked, int(opened)),
    )


async def set_checkin_broadcasts(
    tx: Transaction, checkin_id: int, broadcast_id: int, tip_broadcast_id: int | None
) -> None:
    await tx.execute(
        "UPDATE checkins SET broadcast_id = ?, tip_broadcast_id = ? WHERE id = ?",
        (broadcast_id, tip_broadcast_id, checkin_id),
    )


async def delivered_to(db: Reader, broadcast_id: int, chat_id: int) -> Receipt | None:
    row = await db.fetch_one(
        "SELECT private, message_ids, state FROM deliveries WHERE broadcast_id = ? AND chat_id = ?",
        (broadcast_id, chat_id),
    )
    if row is None:
        return None
    message_ids = tuple(json.loads(row["message_ids"] or "[]"))
    # In flight counts: the message may be in the person's hands before its answer is written.
    reached = row["state"] in (State.SENDING, State.SENT)
    return Receipt(bool(row["private"]), message_ids, reached)


async def checkin(db: Reader, checkin_id: int) -> Checkin | None:
    row = await db.fetch_one("SELECT * FROM checkins WHERE id = ?", (checkin_id,))
    return _checkin(row) if row else None


async def checkin_of_session(db: Reader, session_id: int) -> Checkin | None:
    row = await db.fetch_one(
        "SELECT * FROM checkins WHERE session_id = ? AND state = ?",
        (session_id, CheckinState.SCHEDULED),
    )
    return _checkin(row) if row else None


async def cancel_checkin(tx: Transaction, checkin_id: int) -> None:
    await tx.execute(
        "UPDATE checkins SET state = ? WHERE id = ?", (CheckinState.CANCELLED, checkin_id)
    )


async def due_to_close(tx: Transaction, now: datetime) -> list[Checkin]:
    """Close the check-ins whose window has ended, counting who they asked; return them."""
    rows = await tx.fetch_all(
        "UPDATE checkins SET state = ?, asked = (SELECT count(*) FROM memberships m"
        "  WHERE m.group_id = checkins.group_id AND m.role = ?)"
        " WHERE state = ? AND closes_at <= ? RETURNING *",
        (CheckinState.CLOSED, Role.PARTICIPANT, CheckinState.SCHEDULED, to_db(now)),
    )
    return [_checkin(r) for r in rows]


async def due_to_open(tx: Transaction, now: datetime) -> list[Checkin]:
    """Mark the planned check-ins whose time has come as opened, counting who they ask
    now; return them."""
    rows = await tx.fetch_all(
        "UPDATE checkins SET opened = 1, asked = (SELECT count(*) FROM memberships m"
        "  WHERE m.group_id = checkins.group_id AND m.role = ?)"
        " WHERE state = ? AND opened = 0 AND opens_at <= ? RETURNING *",
        (Role.PARTICIPANT, CheckinState.SCHEDULED, to_db(now)),
    )
    return [_checkin(r) for r in rows]


async def opening_times(db: Reader) -> list[datetime]:
    rows = await db.fetch_all(
        "SELECT DISTINCT opens_at FROM checkins WHERE state = ? AND opened = 0",
        (CheckinState.SCHEDULED,),
    )
    return [from_db(r[0]) for r in rows]


async def open_checkins(db: Reader) -> list[Checkin]:
    rows = await db.fetch_all("SELECT * FROM checkins WHERE state = ?", (CheckinState.SCHEDULED,))
    return [_checkin(r) for r in rows]


async def save_answer(
    tx: Transaction, checkin_id: int, pseudonym: str, column: str, value: object
) -> bool:
    """Store one answer (a new row or a changed one); True if it is the person's first."""
    assert column in ("week", "plan"), column
    existed = await tx.fetch_one(
        "SELECT 1 FROM checkin_answers WHERE checkin_id = ? AND pseudonym = ?",
        (checkin_id, pseudonym),
    )
    await tx.execute(
        f"INSERT INTO checkin_answers (checkin_id, pseudonym, {column})"
        f" VALUES (?, ?, ?) ON CONFLICT (checkin_id, pseudonym)"
        f" DO UPDATE SET {column} = excluded.{column}",
        (checkin_id, pseudonym, value),
    )
    return existed is None


async def answers(db: Reader, checkin_id: int) -> list[Answer]:
    rows = await db.fetch_all(
        "SELECT week, plan FROM checkin_answers WHERE checkin_id = ?", (checkin_id,)
    )
    return [Answer(r["week"], PlanAnswer(r["plan"]) if r["plan"] else None) for r in rows]


async def insert_contact_request(
    tx: Transaction, checkin_id: int, group_id: int, user_id: int, now: datetime
) -> int | None:
    """The new request's id; None if this person already asked in this check-in."""
    row = await tx.fetch_one(
        "INSERT INTO contact_requests (checkin_id, group_id, user_id, created_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (checkin_id, user_id) DO NOTHING RETURNING id",
        (checkin_id, group_id, user_id, to_db(now)),
    )
    return int(row["id"]) if row else None


async def open_contact_requests(db: Reader, group_id: int) -> list[ContactRequest]:
    rows = await db.fetch_all(
        "SELECT * FROM contact_requests WHERE group_id = ? AND handled_at IS NULL ORDER BY id",
        (group_id,),
    )
    return [_contact_request(r) for r in rows]


async def mark_handled(tx: Transaction, request_id: int) -> bool:
    """A handled request goes: it held the person's id only so a leader could reach them
    (the count stays as a 'contact_handled' event)."""
    changed = await tx.changes("DELETE FROM contact_requests WHERE id = ?", (request_id,))
    return changed == 1


async def answer_of(db: Reader, checkin_id: int, pseudonym: str) -> Answer | None:
    row = await db.fetch_one(
        "SELECT week, plan FROM checkin_answers WHERE checkin_id = ? AND pseudonym = ?",
        (checkin_id, pseudonym),
    )
    if row is None:
        return None
    return Answer(row["week"], PlanAnswer(row["plan"]) if row["plan"] else None)


async def asked_contact(db: Reader, checkin_id: int, user_id: int) -> bool:
    row = await db.fetch_one(
        "SELECT 1 FROM contact_requests WHERE checkin_id = ? AND user_id = ?",
        (checkin_id, user_id),
    )
    return row is not None


@dataclass(frozen=True)
class Copy:
    """A message of a broadcast in one chat."""

    chat_id: int
    message_id: int
    private: bool


async def copies(db: Reader, broadcast_id: int) -> list[Copy]:
    rows = await db.fetch_all(
        "SELECT chat_id, private, message_ids FROM deliveries"
        " WHERE broadcast_id = ? AND state = ? ORDER BY id",
        (broadcast_id, State.SENT),
    )
    found = []
    for row in rows:
        ids = json.loads(row["message_ids"] or "[]")
        if ids:
            found.append(Copy(row["chat_id"], ids[0], bool(row["private"])))
    return found
