"""Which guided chat a person is in, and ending it (/cancel, or to start another)."""

from __future__ import annotations

from bot.db import dialogs as sql
from bot.db.database import Database
from bot.domain.dialogs import DialogKind


class Dialogs:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def current(self, user_id: int) -> DialogKind | None:
        dialog = await sql.dialog(self._db, user_id)
        return dialog.kind if dialog else None

    async def end(self, user_id: int, kind: DialogKind | None = None) -> DialogKind | None:
        """End the open guided chat (only if it is of `kind`, when given); its kind, or None."""
        async with self._db.transaction() as tx:
            dialog = await sql.dialog(tx, user_id)
            if dialog is None or (kind is not None and dialog.kind is not kind):
                return None
            await sql.end_dialog(tx, user_id, dialog.kind)
            return dialog.kind
