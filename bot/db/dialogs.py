"""SQL of guided chats: the step a person is at, kept over restarts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.db.database import Reader, Transaction
from bot.domain.clock import to_db


class DialogKind(StrEnum):
    NEW_GROUP = "new_group"  # a coordinator creating a group
    BROADCAST = "broadcast"  # a leader composing a post
    MOVE_SESSION = "move_session"  # a leader typing a session's new time


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


async def take_dialog(tx: Transaction, user_id: int, kind: DialogKind, revision: int) -> bool:
    """End a guided chat at this revision; False if it already moved on or ended."""
    changed = await tx.changes(
        "DELETE FROM dialogs WHERE user_id = ? AND kind = ? AND revision = ?",
        (user_id, kind, revision),
    )
    return changed == 1


async def end_dialog(tx: Transaction, user_id: int) -> bool:
    """End whatever guided chat the person is in; False if none."""
    return await tx.changes("DELETE FROM dialogs WHERE user_id = ?", (user_id,)) > 0
