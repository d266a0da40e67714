"""SQL of erasure: every row that names a person, by Telegram id or by pseudonym."""

from __future__ import annotations

from bot.db.database import Database, Transaction

Reader = Database | Transaction


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
