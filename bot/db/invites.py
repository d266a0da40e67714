"""SQL of invites, stored only as hashes of their tokens."""

from __future__ import annotations

from datetime import datetime

from bot.db.database import Reader, Row, Transaction
from bot.domain.clock import from_db, to_db
from bot.domain.invites import Invite, InviteKind


def _optional_time(text: str | None) -> datetime | None:
    return from_db(text) if text else None


def _invite(row: Row) -> Invite:
    return Invite(
        id=row["id"],
        group_id=row["group_id"],
        kind=InviteKind(row["kind"]),
        expires_at=from_db(row["expires_at"]),
        used_at=_optional_time(row["used_at"]),
        revoked_at=_optional_time(row["revoked_at"]),
    )


async def insert_invite(
    tx: Transaction,
    group_id: int,
    kind: InviteKind,
    digest: bytes,
    now: datetime,
    expires: datetime,
) -> None:
    await tx.execute(
        "INSERT INTO invites (group_id, kind, token_hash, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (group_id, kind, digest, to_db(now), to_db(expires)),
    )


async def invite_by_digest(db: Reader, digest: bytes) -> Invite | None:
    row = await db.fetch_one("SELECT * FROM invites WHERE token_hash = ?", (digest,))
    return _invite(row) if row else None


async def invite(db: Reader, invite_id: int) -> Invite | None:
    row = await db.fetch_one("SELECT * FROM invites WHERE id = ?", (invite_id,))
    return _invite(row) if row else None


async def use_invite(tx: Transaction, invite_id: int, now: datetime) -> bool:
    """Mark a single-use invite used; False if someone else got there first."""
    changed = await tx.changes(
        "UPDATE invites SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL",
        (to_db(now), invite_id),
    )
    return changed == 1


async def revoke_invites(tx: Transaction, group_id: int, kind: InviteKind, now: datetime) -> int:
    return await tx.changes(
        "UPDATE invites SET revoked_at = ? WHERE group_id = ? AND kind = ?"
        " AND used_at IS NULL AND revoked_at IS NULL",
        (to_db(now), group_id, kind),
    )
