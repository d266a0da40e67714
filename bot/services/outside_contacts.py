"""Contacts outside Telegram: a leader's phone calls and visits, counted
for the group; no one is named."""

from __future__ import annotations

from bot.db import groups as groups_sql
from bot.db.database import Database
from bot.domain.events import EventKind
from bot.domain.models import Access
from bot.services.contact_log import ContactLog
from bot.services.errors import NotAllowed

KINDS = (EventKind.PHONE_CONTACT, EventKind.VISIT)


class OutsideContacts:
    def __init__(self, db: Database, log: ContactLog) -> None:
        self._db = db
        self._log = log

    async def log(self, access: Access, group_id: int, kind: EventKind) -> None:
        group = await groups_sql.group(self._db, group_id)
        if group is None or not access.leads(group_id):
            raise NotAllowed
        if kind not in KINDS:
            raise ValueError(kind)
        async with self._db.transaction() as tx:
            await self._log.record(tx, kind, group)
