"""Without the key, a pseudonym stays a pseudonym: a world of 55 participants in five groups
joins, gets private messages, answers check-ins, asks to be contacted and makes plans; then
an attacker who reads only the database file tries every join we could think of (equal or
nearest times, row order, counts) and must do no better than guessing within a group.

Known limit (README: Data protection): the deliveries to a person's private chat say from
when they got messages; someone who joins a group alone, days after everyone else, could be
picked out by that while the rows exist. Here, as usually, people join in the week before the
group starts."""

from __future__ import annotations

import random
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime
from math import comb

from bot.config import Settings, pseudonym_key
from bot.context import Services
from bot.domain.clock import from_db
from bot.domain.pseudonyms import pseudonym
from bot.domain.weeks import Week
from tests.conftest import GLOBAL_COORDINATOR
from tests.service.test_broadcasts import queue
from tests.service.world import LEADER, World, deliver_all, new_group
from tests.support.clock import FakeClock

GROUPS, SIZE = 5, 11
Guess = dict[int, str]  # user id -> the pseudonym the attacker names


async def build(services: Services, clock: FakeClock, rng: random.Random) -> dict[int, list[int]]:
    """Five groups of eleven, built through the services as people would use the bot."""
    onboarding, members = services.onboarding, {}
    groups = []
    for index in range(GROUPS):
        group, invite = await new_group(services, f"Ryhmä {index}")
        await onboarding.join_as_leader(LEADER, "fi", invite)
        links = await onboarding.links(await services.people.access(LEADER), group.id)
        await onboarding.bind_chat(LEADER, -100 * (index + 1), links.chat)
        # Telegram's ids say nothing about when someone joins a group.
        users = rng.sample(range(10_000, 9_000_000_000), SIZE)
        for user_id in users:  # a few minutes to a few hours apart, over about a week
            clock.advance(minutes=rng.randint(3, 900))
            await onboarding.consent(user_id, "fi", links.participant)
        members[group.id] = users
        groups.append(group)
    world = World(services, groups)
    leader = await world.leader()
    for _ in range(2):  # two weeks of posts, check-ins, answers, requests and plans
        clock.advance(days=2, minutes=rng.randint(0, 300))
        for group in groups:
            await queue(world, f"g:{group.id}", "next", "private", "now")
        await deliver_all(services)
        checkins = {g.id: await services.checkins.send_now(leader, g.id) for g in groups}
        await deliver_all(services)
        for group_id, users in members.items():
            for user_id in rng.sample(users, k=rng.randint(5, SIZE)):
                clock.advance(minutes=rng.randint(1, 120))
                chat = user_id if rng.random() < 0.5 else -100 * (list(members).index(group_id) + 1)
                checkin = checkins[group_id]
                await services.checkins.answer(user_id, chat, checkin, "week", "2")
                await services.checkins.answer(user_id, chat, checkin, "plan", "yes")
                if rng.random() < 0.3:
                    await services.checkins.answer(user_id, chat, checkin, "contact", "1")
                if rng.random() < 0.4:
                    await services.action_plans.save(await services.people.access(user_id), 8)
        await deliver_all(services)
    return members


def rows(db: sqlite3.Connection, sql: str) -> list[tuple[object, ...]]:
    return db.execute(sql).fetchall()


def columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA table_info({table})")]


def identified_times(db: sqlite3.Connection) -> list[tuple[int, int, datetime]]:
    """(group, user, time) from every identified row that still has a time."""
    found = []
    for table, person in (("memberships", "user_id"), ("contact_requests", "user_id")):
        for column in columns(db, table):
            if column.endswith("_at"):
                query = f"SELECT group_id, {person}, {column} FROM {table} WHERE {column} NOT NULL"
                found += [(g, u, from_db(t)) for g, u, t in rows(db, query)]
    for column in ("due_at", "updated_at"):
        query = f"SELECT group_id, chat_id, {column} FROM deliveries WHERE private = 1"
        found += [(g, u, from_db(t)) for g, u, t in rows(db, query)]
    if "created_at" in columns(db, "people"):
        query = "SELECT m.group_id, p.user_id, p.created_at FROM people p JOIN memberships m USING (user_id)"
        found += [(g, u, from_db(t)) for g, u, t in rows(db, query)]
    return found


def pseudonymous_times(db: sqlite3.Connection) -> list[tuple[int, str, datetime]]:
    found = [
        (g, p, from_db(t))
        for g, p, t in rows(
            db,
            "SELECT group_id, pseudonym, occurred_at FROM contact_events WHERE pseudonym NOT NULL",
        )
    ]
    if "answered_at" in columns(db, "checkin_answers"):
        query = (
            "SELECT c.group_id, a.pseudonym, a.answered_at FROM checkin_answers a"
            " JOIN checkins c ON c.id = a.checkin_id"
        )
        found += [(g, p, from_db(t)) for g, p, t in rows(db, query)]
    return found


def by_nearest_time(db: sqlite3.Connection) -> Guess:
    """Each identified time votes for the one pseudonym of its group nearest in time."""
    pseudo: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for group_id, name, moment in pseudonymous_times(db):
        pseudo[group_id].append((name, moment))
    votes: dict[int, Counter[str]] = defaultdict(Counter)
    for group_id, user_id, moment in identified_times(db):
        nearest: dict[str, float] = {}
        for name, other in pseudo[group_id]:
            gap = abs((other - moment).total_seconds())
            nearest[name] = min(gap, nearest.get(name, gap))
        ranked = sorted(nearest.items(), key=lambda item: (item[1], item[0]))
        if ranked and (len(ranked) == 1 or ranked[0][1] < ranked[1][1]):
            votes[user_id][ranked[0][0]] += 1  # only a time that picks out one pseudonym
    return {user: count.most_common(1)[0][0] for user, count in votes.items()}


def by_row_order(db: sqlite3.Connection) -> Guess:
    """The n-th membership of a group is the n-th pseudonym to join it, in table order."""
    members = rows(db, "SELECT group_id, user_id FROM memberships WHERE role = 'participant'")
    joins = rows(
        db,
        "SELECT group_id, pseudonym FROM contact_events WHERE kind = 'participant_joined'"
        " AND pseudonym NOT NULL",
    )
    ordered: dict[int, list[str]] = defaultdict(list)
    for group_id, name in joins:
        ordered[group_id].append(name)
    seen: Counter[int] = Counter()
    guess = {}
    for group_id, user_id in members:
        if seen[group_id] < len(ordered[group_id]):
            guess[user_id] = ordered[group_id][seen[group_id]]
        seen[group_id] += 1
    return guess


def by_counts(db: sqlite3.Connection) -> Guess:
    """People with as many identified rows as a pseudonym has events of the same sort."""
    identified: dict[int, Counter[tuple[int, str]]] = defaultdict(Counter)
    for group_id, user_id in rows(db, "SELECT group_id, user_id FROM contact_requests"):
        identified[group_id][(user_id, "request")] += 1
    for group_id, chat_id in rows(
        db, "SELECT group_id, chat_id FROM deliveries WHERE private = 1 AND state = 'sent'"
    ):
        identified[group_id][(chat_id, "delivery")] += 1
    events: dict[int, Counter[tuple[str, str]]] = defaultdict(Counter)
    for group_id, name, kind in rows(
        db, "SELECT group_id, pseudonym, kind FROM contact_events WHERE pseudonym NOT NULL"
    ):
        sort = {"contact_requested": "request", "delivery_sent": "delivery"}.get(kind, kind)
        events[group_id][(name, sort)] += 1
    guess = {}
    for group_id, counts in identified.items():
        for (user_id, sort), count in counts.items():
            same = sorted(n for (n, s), c in events[group_id].items() if s == sort and c == count)
            if same:
                guess.setdefault(user_id, same[0])
    return guess


def by_plans(db: sqlite3.Connection) -> Guess:
    """Plans in table order against the people who have a plan dialog or made one."""
    plans = [r[0] for r in rows(db, "SELECT pseudonym FROM action_plans")]
    people = [r[0] for r in rows(db, "SELECT user_id FROM people")]
    return dict(zip(people, plans, strict=False))


ATTACKS: list[Callable[[sqlite3.Connection], Guess]] = [
    by_nearest_time,
    by_row_order,
    by_counts,
    by_plans,
]


def chance_ceiling(people: int, chance: float, alarm: float = 1e-7) -> int:
    """The fewest right guesses that blind guessing (each right with `chance`) reaches with
    probability below `alarm`: a count from there on is a link, not luck. Event ids are random,
    so a fixed margin would make this test fail now and then by chance alone."""

    def tail(k: int) -> float:
        return sum(
            comb(people, i) * chance**i * (1 - chance) ** (people - i) for i in range(k, people + 1)
        )

    return next(k for k in range(people + 1) if tail(k) < alarm)


async def test_no_pseudonym_is_linked_to_an_id_better_than_chance(
    services: Services, clock: FakeClock, settings: Settings
) -> None:
    members = await build(services, clock, random.Random(48))
    assert sum(map(len, members.values())) >= 50
    key, _ = pseudonym_key(settings)  # the test knows the answers; the attacker does not
    truth = {u: pseudonym(key, u) for users in members.values() for u in users}
    # The figures still see everyone: the weekly report counts them all.
    report = await services.summaries.week(
        await services.people.access(GLOBAL_COORDINATOR), Week(2026, 49)
    )
    assert report.total.now.reached > 0
    path = settings.database_path
    with sqlite3.connect(path) as db:
        for attack in ATTACKS:
            guess = attack(db)
            right = sum(guess.get(user) == name for user, name in truth.items())
            assert right < chance_ceiling(len(truth), 1 / SIZE), (attack.__name__, right)
