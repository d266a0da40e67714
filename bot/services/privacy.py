"""Erasure (README: Data protection): a person removes everything that names them.

Afterwards the database keeps only anonymous counts. Deleted rows must not linger in the
file (secure_delete is on) or in the write-ahead log, which is checkpointed and truncated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.db import groups as groups_sql
from bot.db import privacy as sql
from bot.db.database import Database
from bot.domain.action_plans import iso_week
from bot.domain.clock import Clock, to_db
from bot.domain.events import EventKind
from bot.services.contact_log import ContactLog
from bot.services.welfare import Welfare


@dataclass(frozen=True)
class Expired:
    groups: int
    memberships: int
    plans: int


class Privacy:
    def __init__(
        self, db: Database, log: ContactLog, clock: Clock, retention: timedelta, welfare: Welfare
    ) -> None:
        self._db = db
        self._log = log
        self._clock = clock
        self._retention = retention
        self._welfare = welfare

    async def expire(self) -> Expired:
        """Personal rows go a set time after a group's last session; counts stay."""
        cutoff = self._clock() - self._retention
        async with self._db.transaction() as tx:
            groups = await sql.ended_groups(tx, to_db(cutoff))
            memberships = 0
            for group_id in groups:
                await self._welfare.freeze(tx, group_id)  # who took part, as counts
                memberships += await sql.expire_group(tx, group_id)
            plans = await sql.expire_plans(tx, iso_week(cutoff.date()))
        if groups or plans:
            await self._db.checkpoint()
        return Expired(len(groups), memberships, plans)

    async def knows(self, user_id: int) -> bool:
        return await sql.knows(self._db, user_id, self._log.pseudonym(user_id))

    async def forget(self, user_id: int) -> bool:
        """Erase the person; False if there was nothing (e.g. a second /forget at once)."""
        pseudonym = self._log.pseudonym(user_id)
        async with self._db.transaction() as tx:
            if not await sql.knows(tx, user_id, pseudonym):
                return False
            for group_id in await sql.erase(tx, user_id, pseudonym):
                group = await groups_sql.group(tx, group_id)
                if group is not None:  # counted as someone leaving, without a name
                    await self._log.record(tx, EventKind.PARTICIPANT_LEFT, group)
        await self._db.checkpoint()
        return True
