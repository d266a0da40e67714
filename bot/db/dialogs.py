"""SQL of guided chats: the step a person is at, kept over restarts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Reader, Transaction
from bot.domain.clock import to_db
from bot.domain.dialogs import DialogKind


@dataclass(frozen=True)
class Dialog:
    kind: DialogKind
    revision: int
    state: str  # the guided chat's own form: JSON, or a session id


async def dialog(db: Reader, user_id: int) -> Dialog | None:
    row = await db.fetch_one(
        "SELECT kind, revision, state FROM dialogs WHERE user_id = ?", (user_id,)
    )
    return Dialog(DialogKind(row["kind"]), row["revision"], row["state"]) if row else None


async def save_dialog(
    tx: Transaction,
    user_id: int,
    kind: DialogKind,
    revision: int,
    state: str,
    now: datetime,
) -> None:
    await tx.execute(
        "INSERT INTO dialogs (user_id, kind, revision, state, updated_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind,"
        " revision = excluded.revision, state = excluded.state, updated_at = excluded.updated_at",
        (user_id, kind, revision, state, to_db(now)),
    )


async def begin_dialog(
    tx: Transaction, user_id: int, kind: DialogKind, state: str, now: datetime
) -> Dialog:
    """Open a guided chat, replacing one of the same kind (at a new revision, so the old
    one's buttons go stale). If one of another kind is open, nothing changes and that one
    is returned: the caller asks before replacing it."""
    current = await dialog(tx, user_id)
    if current is not None and current.kind is not kind:
        return current
    revision = current.revision + 1 if current else 1
    await save_dialog(tx, user_id, kind, revision, state, now)
    return Dialog(kind, revision, state)


async def take_dialog(tx: Transaction, user_id: int, kind: DialogKind, revision: int) -> bool:
    """End a guided chat at this revision; False if it already moved on or ended."""
    changed = await tx.changes(
        "DELETE FROM dialogs WHERE user_id = ? AND kind = ? AND revision = ?",
        (user_id, kind, revision),
    )
    return changed == 1


async def end_dialog(tx: Transaction, user_id: int, kind: DialogKind | None = None) -> bool:
    """End the person's guided chat (of this kind, if given); False if there was none."""
    if kind is None:
        return await tx.changes("DELETE FROM dialogs WHERE user_id = ?", (user_id,)) > 0
    return (
        await tx.changes("DELETE FROM dialogs WHERE user_id = ? AND kind = ?", (user_id, kind)) > 0
    )
