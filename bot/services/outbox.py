"""The outbox: due deliveries are claimed, sent by the delivery layer, and settled here.

This is the one path for everything sent in bulk. The database is the record; the
sender only drains it, so a restart resumes where it stopped.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.db import groups as groups_sql
from bot.db import library as library_sql
from bot.db import outbox as sql
from bot.db import people as people_sql
from bot.db import posts as posts_sql
from bot.db.database import Database, Transaction
from bot.domain.clock import Clock
from bot.domain.events import EventKind
from bot.domain.models import Group
from bot.domain.outbox import (
    EXPIRED,
    Audience,
    Blocked,
    BroadcastState,
    ContentKey,
    ContentKind,
    Delivery,
    Failed,
    Migrated,
    Outcome,
    Progress,
    RetryAfter,
    Sent,
    State,
    Target,
    Transient,
    next_try,
    retry_at,
)
from bot.services.contact_log import ContactLog

# A retraction in progress is not claimed again for this long (a crash lets it lapse).
RETRACT_LEASE = timedelta(minutes=2)

_EVENTS = {
    State.SENT: EventKind.DELIVERY_SENT,
    State.BLOCKED: EventKind.DELIVERY_BLOCKED,
    State.FAILED: EventKind.DELIVERY_FAILED,
}


async def group_targets(
    tx: Transaction,
    group: Group,
    due: datetime,
    private: bool = True,
    *,
    deadline: datetime | None,
) -> list[Target]:
    """A group's chat (if bound) and, if wanted, its private subscribers. Every caller
    says until when the message is worth sending (None: until it arrives)."""
    targets: list[Target] = []
    if group.chat_id is not None:
        targets.append(Target(group.id, group.chat_id, False, due, deadline))
    if private:
        subscribers = await people_sql.private_subscribers(tx, group.id)
        targets += [Target(group.id, user, True, due, deadline) for user in subscribers]
    return targets


@dataclass(frozen=True)
class Source:
    """What a broadcast sends: messages to copy from a leader's chat, or a message the bot
    writes itself, named by a content key."""

    chat_id: int | None
    message_ids: tuple[int, ...]
    content_key: ContentKey | None


class Outbox:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        log: ContactLog,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._db = db
        self._clock = clock
        self._log = log
        self._jitter = jitter  # 0..1; injectable so tests are deterministic

    async def queue(
        self,
        tx: Transaction,
        *,
        leader_id: int,
        content_key: ContentKey,
        targets: list[Target],
        audience: Audience,
    ) -> int:
        """A message the bot writes itself, queued in the caller's transaction; the caller
        says whether it is a contact with the group or staff mail."""
        broadcast_id = await sql.insert_broadcast(
            tx,
            leader_id=leader_id,
            source_chat_id=None,
            message_ids=(),
            content_key=content_key,
            now=self._clock(),
            audience=audience,
        )
        await sql.insert_deliveries(tx, broadcast_id, targets, self._clock())
        return broadcast_id

    async def top_up(self, tx: Transaction, broadcast_id: int, targets: list[Target]) -> None:
        """Add the chats a queued broadcast does not have yet (each chat gets one delivery)."""
        await sql.insert_deliveries(tx, broadcast_id, targets, self._clock())
        if not await self._finished(tx, broadcast_id):
            await sql.set_state(tx, broadcast_id, BroadcastState.QUEUED)

    async def recover(self) -> int:
        """At start-up: what was in flight at a crash is sent again (it may have arrived)."""
        async with self._db.transaction() as tx:
            return await sql.reset_in_flight(tx, self._clock())

    async def claim(self, limit: int) -> list[Delivery]:
        now = self._clock()
        async with self._db.transaction() as tx:
            return await sql.claim_due(tx, now, limit, now + RETRACT_LEASE)

    async def source(self, broadcast_id: int) -> Source:
        broadcast = await sql.broadcast(self._db, broadcast_id)
        assert broadcast is not None, "deliveries cascade with their broadcast"
        return Source(broadcast.source_chat_id, broadcast.source_message_ids, broadcast.content_key)

    async def attempted_since(self, moment: datetime) -> bool:
        """Whether any send was tried (or left in flight) at or after `moment`."""
        last = await sql.last_attempt(self._db)
        return last is not None and last >= moment

    async def next_due(self) -> datetime | None:
        return await sql.next_due(self._db)

    async def progress(self, broadcast_id: int) -> Progress:
        return Progress.from_counts(await sql.counts(self._db, broadcast_id))

    async def save_progress(self, delivery_id: int, message_ids: tuple[int, ...]) -> None:
        """The messages of a delivery sent so far (a text and its files)."""
        async with self._db.transaction() as tx:
            await sql.save_progress(tx, delivery_id, message_ids, self._clock())

    async def settle(self, delivery: Delivery, outcome: Outcome) -> State:
        """Record what an attempt came to; return the delivery's new state."""
        now = self._clock()
        async with self._db.transaction() as tx:
            if not await sql.delivery_exists(tx, delivery.id):
                return State.CANCELLED  # erased while in flight: nothing more is recorded
            if delivery.state is State.RETRACTING:
                return await self._settle_retraction(tx, delivery, outcome, now)
            state = await self._settle_send(tx, delivery, outcome, now)
            state = await self._after_a_change_of_mind(tx, delivery, state, now)
            await self._record(tx, delivery, state)
            if await self._finished(tx, delivery.broadcast_id):
                await sql.finish(tx, delivery.broadcast_id)
        return state

    async def _after_a_change_of_mind(
        self, tx: Transaction, delivery: Delivery, state: State, now: datetime
    ) -> State:
        """The leader cancelled or took the broadcast back while this one was in flight:
        a retry must not send it later, and what arrived is deleted too."""
        broadcast = await sql.broadcast(tx, delivery.broadcast_id)
        if broadcast is None:
            return state
        if broadcast.state is BroadcastState.CANCELLED and state is State.PENDING:
            await sql.settle(tx, delivery.id, State.CANCELLED, now)
            return State.CANCELLED
        if broadcast.state is BroadcastState.TAKEN_BACK and state is State.SENT:
            await sql.settle(tx, delivery.id, State.RETRACTING, now, due=now)
            return State.RETRACTING
        if broadcast.state is BroadcastState.TAKEN_BACK and state is State.PENDING:
            await sql.settle(tx, delivery.id, State.CANCELLED, now)
            return State.CANCELLED
        return state

    async def _settle_send(
        self, tx: Transaction, delivery: Delivery, outcome: Outcome, now: datetime
    ) -> State:
        match outcome:
            case Sent(message_ids):
                await sql.settle(tx, delivery.id, State.SENT, now, message_ids=message_ids)
                return State.SENT
            case RetryAfter() | Transient():
                due = next_try(now, delivery, outcome, self._jitter())
                if due is None:
                    await sql.settle(tx, delivery.id, State.FAILED, now, error=EXPIRED)
                    return State.FAILED
                await sql.settle(tx, delivery.id, State.PENDING, now, due=due)
                return State.PENDING
            case Blocked(reason):
                await self._deactivate(tx, delivery, now, reason)
                return State.BLOCKED
            case Migrated(new_chat_id):
                await groups_sql.move_chat(tx, delivery.chat_id, new_chat_id)
                await sql.move_chat(tx, delivery.chat_id, new_chat_id, now)
                return State.PENDING
            case Failed(reason):
                await sql.settle(tx, delivery.id, State.FAILED, now, error=reason[:200])
                return State.FAILED

    async def _settle_retraction(
        self, tx: Transaction, delivery: Delivery, outcome: Outcome, now: datetime
    ) -> State:
        if isinstance(outcome, RetryAfter | Transient):
            # No deadline of its own: Telegram's 48 hours for deleting end it.
            due = retry_at(now, delivery.attempts, outcome, self._jitter())
            await sql.settle(tx, delivery.id, State.RETRACTING, now, due=due)
            return State.RETRACTING
        if isinstance(outcome, Sent):
            await sql.settle(tx, delivery.id, State.RETRACTED, now)
            return State.RETRACTED
        # Too old to delete (Telegram allows 48 hours) or the chat is gone: it stays sent.
        await sql.settle(tx, delivery.id, State.SENT, now, error="could not be taken back")
        return State.SENT

    async def _deactivate(
        self, tx: Transaction, delivery: Delivery, now: datetime, why: str
    ) -> None:
        """A blocked chat gets no more tries: a group loses its chat, a person their
        subscription."""
        await sql.block_chat(tx, delivery.chat_id, now, why[:200])
        if delivery.private:
            await people_sql.stop_private_messages(tx, delivery.chat_id)
        elif (group_id := await groups_sql.unbind_chat(tx, delivery.chat_id)) is not None:
            await posts_sql.mark_removed(tx, group_id, now)

    async def _record(self, tx: Transaction, delivery: Delivery, state: State) -> None:
        kind = _EVENTS.get(state)
        if kind is None or delivery.group_id is None:
            return
        if await sql.audience(tx, delivery.broadcast_id) is not Audience.GROUP:
            return  # staff mail reaches no participant: not a contact
        group = await groups_sql.group(tx, delivery.group_id)
        if group is not None:
            # No pseudonym: each person's deliveries are rows under their chat id, so
            # their pattern would unmask it. Deliveries are counted, not attributed.
            await self._log.record(tx, kind, group)
            if state is State.SENT and not delivery.private:
                await self._count_library_use(tx, delivery.broadcast_id, group)

    async def _count_library_use(self, tx: Transaction, broadcast_id: int, group: Group) -> None:
        """A library item that reached a group chat: counted per item, naming no one."""
        broadcast = await sql.broadcast(tx, broadcast_id)
        key = broadcast.content_key if broadcast else None
        if key is not None and key.kind is ContentKind.LIBRARY:
            await library_sql.count_sent(tx, key.number)
            await self._log.record(tx, EventKind.LIBRARY_SENT, group)

    async def _finished(self, tx: Transaction, broadcast_id: int) -> bool:
        progress = Progress.from_counts(await sql.counts(tx, broadcast_id))
        return progress.finished

    async def mark_missed(self, grace: timedelta) -> list[int]:
        """At start-up: scheduled sends overdue by more than the grace are not sent late."""
        now = self._clock()
        async with self._db.transaction() as tx:
            missed = await sql.overdue_unsent(tx, now - grace)
            for broadcast_id in missed:
                await sql.mark_missed(tx, broadcast_id, now - grace, now)
                if await self._finished(tx, broadcast_id):
                    await sql.set_state(tx, broadcast_id, BroadcastState.MISSED)
        return missed
