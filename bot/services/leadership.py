"""A coordinator's hold on their groups' leaders (README: Coordinators): removing a leader
(they lose access at once: every update reads their roles afresh), and the groups whose
leaders have gone quiet or that have no leader left. Adding one is a new single-use leader
link (Onboarding.new_leader_invite)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.db import groups as groups_sql
from bot.db import leadership as sql
from bot.db import people as people_sql
from bot.db.database import Database
from bot.domain.clock import Clock
from bot.domain.events import EventKind
from bot.domain.models import Access, Group
from bot.services.errors import NotAllowed

QUIET = timedelta(weeks=2)
# What shows a leader at work: a post, or a contact request marked handled.
LEADER_WORK = [
    EventKind.BROADCAST_QUEUED,
    EventKind.CONTACT_HANDLED,
    EventKind.CONTACT_HANDLED_LATE,
]


class Removal(StrEnum):
    REMOVED = "removed"
    CONFIRM = "confirm"  # the only leader of a running group: asked first
    NOT_LEADER = "not_leader"  # removed already (perhaps by another coordinator)


@dataclass(frozen=True)
class GroupLeaders:
    group: Group
    leaders: tuple[int, ...]
    running: bool


@dataclass(frozen=True)
class NeedAttention:
    leaderless: list[Group]  # running groups with no leader left
    quiet: list[Group]  # running groups whose leaders have not posted nor handled a request


def running(group: Group, day: date) -> bool:
    """In its planned run of meetings (a moved session shifts it by days at most)."""
    last = group.first_date + timedelta(weeks=group.session_count - 1)
    return group.first_date <= day <= last


class Leadership:
    def __init__(self, db: Database, clock: Clock, zone: ZoneInfo) -> None:
        self._db = db
        self._clock = clock
        self._zone = zone

    async def leaders(self, access: Access, group_id: int) -> GroupLeaders:
        group = await self._coordinated(access, group_id)
        leaders = tuple(await people_sql.leaders(self._db, group_id))
        return GroupLeaders(group, leaders, running(group, self._today()))

    async def remove(
        self, access: Access, group_id: int, user_id: int, *, confirmed: bool
    ) -> Removal:
        group = await self._coordinated(access, group_id)
        async with self._db.transaction() as tx:
            leaders = await people_sql.leaders(tx, group_id)
            if user_id not in leaders:
                return Removal.NOT_LEADER
            if len(leaders) == 1 and running(group, self._today()) and not confirmed:
                return Removal.CONFIRM
            await sql.remove_leader(tx, group_id, user_id)
            await people_sql.forget_person_if_unused(tx, user_id)
        return Removal.REMOVED

    async def need_attention(self, access: Access, until: datetime) -> NeedAttention:
        """Running groups of the coordinator's areas with no leader, or whose leaders have
        not posted nor handled a contact request in the two weeks before `until`."""
        if not access.is_coordinator:
            raise NotAllowed
        scope = None if access.all_areas else access.coordinator_areas
        since = until - QUIET
        day, start = until.astimezone(self._zone).date(), since.astimezone(self._zone).date()
        groups = [
            g
            for g in await groups_sql.groups_in_areas(self._db, scope)
            if running(g, day) or running(g, start)
        ]
        leaderless = [g for g in groups if not await people_sql.leaders(self._db, g.id)]
        old_enough = [g for g in groups if g not in leaderless and g.first_date <= start]
        busy = await sql.groups_with_leader_activity(
            self._db, [g.id for g in old_enough], since, LEADER_WORK
        )
        return NeedAttention(leaderless, [g for g in old_enough if g.id not in busy])

    async def _coordinated(self, access: Access, group_id: int) -> Group:
        group = await groups_sql.group(self._db, group_id)
        if group is None or not access.coordinates(group.area_id):
            raise NotAllowed
        return group

    def _today(self) -> date:
        return self._clock().astimezone(self._zone).date()
