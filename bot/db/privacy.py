"""SQL of erasure: every row that names a person, by Telegram id or by pseudonym."""

from __future__ import annotations

from bot.db.database import Reader, Transaction


async def knows(db: Reader, user_id: int, pseudonym: str) -> bool:
    row = await db.fetch_one(
        "SELECT EXISTS (SELECT 1 FROM people WHERE user_id = :u)"
        " OR EXISTS (SELECT 1 FROM memberships WHERE user_id = :u)"
        " OR EXISTS (SELECT 1 FROM deliveries WHERE chat_id = :u AND private = 1)"
        " OR EXISTS (SELECT 1 FROM contact_requests WHERE user_id = :u)"
        " OR EXISTS (SELECT 1 FROM checkin_answers WHERE pseudonym = :p)"
        " OR EXISTS (SELECT 1 FROM action_plans WHERE pseudonym = :p)"
        " OR EXISTS (SELECT 1 FROM contact_events WHERE pseudonym = :p)",
        {"u": user_id, "p": pseudonym},
    )
    return bool(row and row[0])


async def erase(tx: Transaction, user_id: int, pseudonym: str) -> list[int]:
    """Delete the person's rows; return the groups they were a participant of."""
    groups = await tx.fetch_all(
        "DELETE FROM memberships WHERE user_id = ? RETURNING group_id", (user_id,)
    )
    for sql in (
        "DELETE FROM deliveries WHERE chat_id = :u AND private = 1",
        "DELETE FROM contact_requests WHERE user_id = :u",
        "DELETE FROM dialogs WHERE user_id = :u",
        "DELETE FROM coordinator_areas WHERE user_id = :u",
        "DELETE FROM coordinators WHERE user_id = :u",
        "DELETE FROM people WHERE user_id = :u",
        "DELETE FROM checkin_answers WHERE pseudonym = :p",
        "DELETE FROM action_plans WHERE pseudonym = :p",
        # The anonymous counts stay; only the link to the person goes.
        "UPDATE contact_events SET pseudonym = NULL WHERE pseudonym = :p",
    ):
        await tx.execute(sql, {"u": user_id, "p": pseudonym})
    return [r[0] for r in groups]


async def ended_groups(db: Reader, before: str) -> list[int]:
    """Groups whose last session started before `before` (UTC text) and that still hold
    personal rows."""
    rows = await db.fetch_all(
        "SELECT g.id FROM groups g WHERE (SELECT max(starts_at) FROM sessions s"
        " WHERE s.group_id = g.id) < ? AND (EXISTS (SELECT 1 FROM memberships m"
        " WHERE m.group_id = g.id) OR EXISTS (SELECT 1 FROM contact_events e"
        " WHERE e.group_id = g.id AND e.pseudonym IS NOT NULL))",
        (before,),
    )
    return [r[0] for r in rows]


async def expire_group(tx: Transaction, group_id: int) -> int:
    """Delete a finished group's personal rows; return how many memberships it had."""
    members = await tx.fetch_all(
        "DELETE FROM memberships WHERE group_id = ? RETURNING user_id", (group_id,)
    )
    for sql in (
        "DELETE FROM deliveries WHERE group_id = :g AND private = 1",
        "DELETE FROM contact_requests WHERE group_id = :g",
        "DELETE FROM checkin_answers WHERE checkin_id IN"
        " (SELECT id FROM checkins WHERE group_id = :g)",
        "UPDATE contact_events SET pseudonym = NULL WHERE group_id = :g",
    ):
        await tx.execute(sql, {"g": group_id})
    for row in members:  # people who are in no other group and coordinate nothing
        await tx.execute(
            "DELETE FROM people WHERE user_id = :u"
            " AND NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = :u)"
            " AND NOT EXISTS (SELECT 1 FROM coordinators WHERE user_id = :u)",
            {"u": row[0]},
        )
    return len(members)


async def expire_plans(tx: Transaction, before_week: str) -> int:
    return await tx.changes("DELETE FROM action_plans WHERE week < ?", (before_week,))
