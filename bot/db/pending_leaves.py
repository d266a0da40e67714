"""SQL of the chats the bot is to leave unless they are bound in time."""

from __future__ import annotations

from datetime import datetime

from bot.db.database import Reader, Transaction
from bot.domain.clock import from_db, to_db


async def expect_binding(tx: Transaction, chat_id: int, due: datetime) -> None:
    """Added (again) to an unbound chat: it is left at `due` unless bound first."""
    await tx.execute(
        "INSERT INTO pending_leaves (chat_id, due_at) VALUES (?, ?)"
        " ON CONFLICT (chat_id) DO UPDATE SET due_at = excluded.due_at",
        (chat_id, to_db(due)),
    )


async def drop(tx: Transaction, chat_id: int) -> None:
    await tx.execute("DELETE FROM pending_leaves WHERE chat_id = ?", (chat_id,))


async def take_due(tx: Transaction, chat_id: int, now: datetime) -> bool:
    """The chat's leave, if it is still wanted and due; it is taken (done once)."""
    taken = await tx.changes(
        "DELETE FROM pending_leaves WHERE chat_id = ? AND due_at <= ?", (chat_id, to_db(now))
    )
    return taken == 1


async def pending(db: Reader) -> list[tuple[int, datetime]]:
    rows = await db.fetch_all("SELECT chat_id, due_at FROM pending_leaves ORDER BY due_at")
    return [(r[0], from_db(r[1])) for r in rows]
