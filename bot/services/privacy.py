"""Erasure (README: Data protection): a person removes everything that names them.

Afterwards the database keeps only anonymous counts. Deleted rows must not linger in the
file (secure_delete is on) or in the write-ahead log, which is checkpointed and truncated.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.db import groups as groups_sql
from bot.db import privacy as sql
from bot.db.database import Database
from bot.domain.action_plans import iso_week
from bot.domain.clock import Clock, to_db
from bot.domain.events import EventKind
from bot.services.buddies import Buddies
from bot.services.contact_log import ContactLog
from bot.services.welfare import Welfare


class Erasure(StrEnum):
    NOTHING = "nothing"  # nothing was stored (e.g. a second /forget at once)
    ERASED = "erased"  # no trace in the file or its write-ahead log
    PENDING = "pending"  # the rows are gone, but the log could not be wiped yet


@dataclass(frozen=True)
class Expired:
    groups: int
    memberships: int
    plans: int


# Between tries of a checkpoint that a reader (a backup, an export) holds up.
CHECKPOINT_RETRIES = (0.2, 1.0, 3.0)


class Privacy:
    def __init__(
        self,
        db: Database,
        log: ContactLog,
        clock: Clock,
        retention: timedelta,
        welfare: Welfare,
        retries: tuple[float, ...] = CHECKPOINT_RETRIES,
        buddies: Buddies | None = None,
    ) -> None:
        self._db = db
        self._buddies = buddies  # a buddy who is forgotten ends their pair first
        self._log = log
        self._clock = clock
        self._retention = retention
        self._welfare = welfare
        self._retries = retries
        self._unwiped = False  # an erasure whose traces may still be in the log

    async def expire(self) -> Expired:
        """Personal rows go a set time after a group's last session; counts stay."""
        cutoff = self._clock() - self._retention
        async with self._db.transaction() as tx:
            groups = await sql.ended_groups(tx, to_db(cutoff))
            memberships = 0
            for group_id in groups:
                await self._welfare.freeze(tx, group_id)  # who took part, as counts
                members = await sql.expire_group(tx, group_id)
                memberships += len(members)
                for user_id in members:  # nothing left to keep them for: all of them goes
                    if await sql.unused(tx, user_id):
                        # A leader's published library items outlive their groups, nameless.
                        pseudonym = self._log.pseudonym(user_id)
                        await sql.erase(tx, user_id, pseudonym, keep_library=True)
            plans = await sql.expire_plans(tx, iso_week(cutoff.date()))
        if groups or plans:
            await self._wipe()
        return Expired(len(groups), memberships, plans)

    async def knows(self, user_id: int) -> bool:
        return await sql.knows(self._db, user_id, self._log.pseudonym(user_id))

    async def forget(self, user_id: int, *, keep_library: bool = False) -> Erasure:
        """Erase the person; ERASED only once the file and its log hold no trace. Their
        library items are withdrawn, or, if they choose, kept without their name."""
        pseudonym = self._log.pseudonym(user_id)
        async with self._db.transaction() as tx:
            if not await sql.knows(tx, user_id, pseudonym):
                return Erasure.NOTHING
            if self._buddies is not None:  # their buddies are told before the rows go
                await self._buddies.end_for(tx, user_id, None)
            for group_id in await sql.erase(tx, user_id, pseudonym, keep_library=keep_library):
                group = await groups_sql.group(tx, group_id)
                if group is not None:  # counted as someone leaving, without a name
                    await self._log.record(tx, EventKind.PARTICIPANT_LEFT, group)
        return Erasure.ERASED if await self._wipe() else Erasure.PENDING

    async def finish(self) -> bool:
        """Retry wiping the log after an erasure that could not finish; True when done."""
        if self._unwiped:
            await self._wipe(tries=())
        return not self._unwiped

    async def _wipe(self, tries: tuple[float, ...] | None = None) -> bool:
        """Checkpoint the log into the file and truncate it, retrying while a reader holds
        it; remembered for `finish` if it still cannot."""
        for delay in (0.0, *(self._retries if tries is None else tries)):
            await asyncio.sleep(delay)
            if await self._db.checkpoint():
                self._unwiped = False
                return True
        self._unwiped = True
        return False
