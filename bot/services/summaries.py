"""Weekly contact figures for coordinators (README: How it works): per group and in total, with the
week before for comparison. Counts only: no one's answers, names or ids."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields, replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.db import groups as groups_sql
from bot.db import outbox as outbox_sql
from bot.db import people as people_sql
from bot.db import summaries as sql
from bot.db.database import Database
from bot.domain.clock import Clock
from bot.domain.events import EventKind
from bot.domain.models import Access, Group, SessionState
from bot.domain.outbox import Audience, ContentKey, Target
from bot.domain.weeks import Week, week_of
from bot.services.contact_log import ContactLog
from bot.services.errors import NotAllowed
from bot.services.leadership import Leadership
from bot.services.outbox import Outbox


@dataclass(frozen=True)
class Figures:
    in_person: int = 0  # sessions in the week still planned, so held in person
    remote: int = 0
    cancelled: int = 0
    posts: int = 0  # leaders' broadcasts
    deliveries: int = 0
    checkins: int = 0
    asked: int = 0  # participants in the group when each check-in closed (or was planned)
    answers: int = 0  # people answering a check-in (each once per check-in)
    reached: int = 0  # distinct participants (pseudonyms) in the week's events
    contact_requests: int = 0
    contacts_handled: int = 0  # in time: before CONTACT_ESCALATION_HOURS
    outside_contacts: int = 0  # phone calls and visits logged by leaders
    buddy_calls: int = 0  # phone-buddy pairs that said they talked (one a pair a week)
    contacts_late: int = 0  # handled, but after CONTACT_ESCALATION_HOURS
    contacts_escalated: int = 0  # passed on to coordinators

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def answer_rate(self) -> float | None:
        """Answers per participant asked, 0-1; None when no one was asked. Someone who
        answered and then left the group is not among those asked: the rate stops at 1."""
        return min(self.answers / self.asked, 1.0) if self.asked else None


@dataclass(frozen=True)
class GroupWeek:
    group: Group | None  # None for the total
    now: Figures
    before: Figures

    @property
    def requests_waiting(self) -> bool:
        """More people asked to be contacted this week than leaders marked as handled."""
        return self.now.contact_requests > self.now.contacts_handled + self.now.contacts_late

    def silent(self, week: Week) -> bool:
        """A group in its run of meetings that had no contact at all in the week."""
        group, now = self.group, self.now
        if group is None:
            return False
        # The planned run; a moved session shifts it by days at most.
        last = group.first_date + timedelta(weeks=group.session_count - 1)
        running = group.first_date < week.monday + timedelta(weeks=1) and last >= week.monday
        touched = (
            now.in_person
            + now.remote
            + now.deliveries
            + now.answers
            + now.outside_contacts
            + now.buddy_calls
        )
        return running and not touched


TREND_WEEKS = 8  # the chart's weeks


@dataclass(frozen=True)
class WeekReport:
    week: Week
    area_names: list[str]
    groups: list[GroupWeek]
    total: GroupWeek
    # The last TREND_WEEKS weeks, oldest first: people reached by group id (None: the
    # total), the chart's one figure. (The other figures of the older weeks are not read.)
    trend: list[tuple[Week, dict[int | None, int]]]
    made_at: datetime
    leaderless: tuple[str, ...] = ()  # running groups with no leader left
    quiet_leaders: tuple[str, ...] = ()  # groups whose leaders have gone quiet for two weeks


class Summaries:
    def __init__(
        self,
        db: Database,
        zone: ZoneInfo,
        clock: Clock,
        box: Outbox,
        coordinators: frozenset[int],
        send_at: time,
        log: ContactLog,
        leadership: Leadership | None = None,
    ) -> None:
        self._log = log
        self._leadership = leadership
        self._db = db
        self._zone = zone
        self._clock = clock
        self._outbox = box
        self._global = coordinators
        self._send_at = send_at

    async def queue_weekly(self) -> bool:
        """Once the Monday sending time has passed, last week's figures go to every
        coordinator, through the outbox, once (also when the bot was down on Monday)."""
        now = self._clock().astimezone(self._zone)
        this_week = week_of(now.date())
        monday = datetime.combine(this_week.monday, self._send_at, tzinfo=self._zone)
        key = ContentKey.weekly(str(this_week.previous))
        if now < monday or await outbox_sql.content_queued(self._db, key):
            return False
        recipients = sorted(set(await people_sql.coordinator_ids(self._db)) | self._global)
        if not recipients:
            return False
        utc_now = self._clock()
        targets = [Target(None, user, True, utc_now) for user in recipients]
        async with self._db.transaction() as tx:
            await self._outbox.queue(
                tx,
                leader_id=recipients[0],
                content_key=key,
                targets=targets,
                audience=Audience.STAFF,
            )
        return True

    async def week(self, access: Access, week: Week) -> WeekReport:
        if not access.is_coordinator:
            raise NotAllowed
        scope = None if access.all_areas else access.coordinator_areas
        groups = await groups_sql.groups_in_areas(self._db, scope)
        weeks = [week]
        while len(weeks) < TREND_WEEKS:
            weeks.insert(0, weeks[0].previous)
        now, before = await self._figures(week, groups), await self._figures(weeks[-2], groups)
        trend = [(w, await self._reached_by_group(w, groups)) for w in weeks[:-2]]
        for w, figures in ((weeks[-2], before), (week, now)):
            trend.append((w, {key: f.reached for key, f in figures.items()}))
        rows = [GroupWeek(g, now[g.id], before[g.id]) for g in groups]
        total = GroupWeek(None, now[None], before[None])
        areas = [a.name for a in await groups_sql.areas(self._db, scope)]
        report = WeekReport(week, areas, rows, total, trend, self._clock())
        if self._leadership is None:
            return report
        until = min(week.bounds(self._zone)[1], self._clock())
        attention = await self._leadership.need_attention(access, until)
        return replace(
            report,
            leaderless=tuple(g.name for g in attention.leaderless),
            quiet_leaders=tuple(g.name for g in attention.quiet),
        )

    async def _figures(self, week: Week, groups: list[Group]) -> dict[int | None, Figures]:
        start, end = week.bounds(self._zone)
        ids = [g.id for g in groups]
        events = await sql.event_counts(self._db, start, end, ids)
        # A session or check-in still to come this week has not happened yet.
        now = self._clock()
        sessions = await sql.session_counts(self._db, start, end, now)
        checkins = await sql.checkin_counts(self._db, start, end, now, ids)
        reached = await self._reached(start, end, ids)
        result: dict[int | None, Figures] = {}
        for group in groups:

            def event(kind: EventKind, group_id: int = group.id) -> int:
                return events.get((group_id, kind.value), 0)

            result[group.id] = Figures(
                in_person=sessions.get((group.id, SessionState.PLANNED), 0),
                remote=sessions.get((group.id, SessionState.REMOTE), 0),
                cancelled=sessions.get((group.id, SessionState.CANCELLED), 0),
                posts=event(EventKind.BROADCAST_QUEUED),
                deliveries=event(EventKind.DELIVERY_SENT),
                checkins=checkins.get(group.id, (0, 0))[0],
                asked=checkins.get(group.id, (0, 0))[1],
                answers=event(EventKind.CHECKIN_ANSWERED),
                reached=reached.get(group.id, 0),
                contact_requests=event(EventKind.CONTACT_REQUESTED),
                contacts_handled=event(EventKind.CONTACT_HANDLED),
                outside_contacts=event(EventKind.PHONE_CONTACT) + event(EventKind.VISIT),
                buddy_calls=event(EventKind.BUDDY_CALL),
                contacts_late=event(EventKind.CONTACT_HANDLED_LATE),
                contacts_escalated=event(EventKind.CONTACT_ESCALATED),
            )
        total = sum((result[g.id] for g in groups), Figures())
        # People in several groups are counted once in the total.
        result[None] = Figures(**{**total.__dict__, "reached": reached.get(None, 0)})
        return result

    async def _reached_by_group(self, week: Week, groups: list[Group]) -> dict[int | None, int]:
        reached = await self._reached(*week.bounds(self._zone), [g.id for g in groups])
        return {g.id: reached.get(g.id, 0) for g in groups} | {None: reached.get(None, 0)}

    async def _reached(
        self, start: datetime, end: datetime, ids: list[int]
    ) -> dict[int | None, int]:
        """Distinct participants per group, and over the groups together (key None): the
        pseudonyms in events, and those of the people the identified rows name."""
        found = await sql.people_reached(self._db, start, end, ids)
        for group_id, user_id in await sql.people_contacted(self._db, start, end, ids):
            found.add((group_id, self._log.pseudonym(user_id)))
        reached: dict[int | None, int] = dict(Counter(group_id for group_id, _ in found))
        reached[None] = len({pseudonym for _, pseudonym in found})
        return reached
