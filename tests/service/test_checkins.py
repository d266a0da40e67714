import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.context import Services
from bot.domain.checkins import Mode, Reason
from bot.domain.clock import from_db
from bot.domain.events import EventKind
from bot.domain.models import Access
from bot.domain.outbox import Sent
from bot.services.checkins import AnswerStatus, Refused
from bot.services.errors import NotAllowed
from tests.service.test_meetings import group_from
from tests.service.world import LEADER, World, build_world, deliver_all, writer_of
from tests.support.clock import FakeClock

CO_LEADER = 2002


@pytest.fixture
async def world(services: Services) -> World:
    return await build_world(services)


async def first_session(world: World) -> int:
    row = await world.services.db.fetch_one(
        "SELECT id FROM sessions WHERE group_id = ? ORDER BY number", (world.groups[0].id,)
    )
    assert row is not None
    return int(row[0])


async def deliveries(services: Services, content: str) -> list[tuple[int, str, str]]:
    rows = await services.db.fetch_all(
        "SELECT d.chat_id, d.state, d.due_at FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id"
        " WHERE b.content_key LIKE ? ORDER BY d.chat_id",
        (content,),
    )
    return [(r[0], r[1], r[2]) for r in rows]


async def test_cancelling_queues_a_notice_now_and_a_checkin_at_the_meeting_time(
    world: World, clock: FakeClock
) -> None:
    services, session = world.services, await first_session(world)
    leader = await world.leader()
    assert (
        await services.checkins.cancel_meeting(leader, session, Mode.REMOTE, Reason.WEATHER) is None
    )
    notice = await deliveries(services, "notice:%")
    assert [c for c, *_ in notice] == [-100, 3001, 3002, 3003]
    assert {due for *_, due in notice} == {"2026-11-28 10:00:00"}  # now
    checkin = await deliveries(services, "checkin:%")
    assert {due for *_, due in checkin} == {"2027-01-13 15:30:00"}  # 17.30 in Helsinki
    tip = await deliveries(services, "tip:%")
    assert {due for *_, due in tip} == {"2027-01-13 15:30:00"}
    row = await services.db.fetch_one("SELECT state, reason FROM sessions WHERE id = ?", (session,))
    assert tuple(row) == ("remote", "weather")  # type: ignore[arg-type]
    kinds = [r[0] for r in await services.db.fetch_all("SELECT kind FROM contact_events")]
    assert "session_remote" in kinds and "checkin_sent" in kinds


async def test_each_message_is_worth_sending_until_its_own_deadline(
    world: World, clock: FakeClock
) -> None:
    """A notice until the meeting, a check-in and its tip until the check-in closes,
    the leaders' summary until it arrives."""
    services, session = world.services, await first_session(world)
    leader = await world.leader()
    await services.checkins.cancel_meeting(leader, session, Mode.REMOTE, Reason.WEATHER)
    rows = await services.db.fetch_all(
        "SELECT b.content_key, d.deadline_at FROM deliveries d"
        " JOIN broadcasts b ON b.id = d.broadcast_id"
    )
    deadlines = {r[0].partition(":")[0]: r[1] for r in rows}
    assert deadlines == {
        "notice": "2027-01-13 15:30:00",  # the meeting, 17.30 in Helsinki
        "checkin": "2027-01-15 15:30:00",  # 48 hours later, when it closes
        "tip": "2027-01-15 15:30:00",
    }
    clock.now = datetime(2027, 1, 15, 16, tzinfo=UTC)
    assert await services.checkins.close_due()
    summary = await deliveries(services, "summary:%")
    assert (
        summary
        and await services.db.fetch_one(
            "SELECT 1 FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id"
            " WHERE b.content_key LIKE 'summary:%' AND d.deadline_at IS NOT NULL"
        )
        is None
    )


async def test_two_leaders_cancelling_at_once_cancel_once(world: World) -> None:
    services, session = world.services, await first_session(world)
    leader = await world.leader()
    results = await asyncio.gather(
        services.checkins.cancel_meeting(leader, session, Mode.REMOTE, Reason.LEADER_ILL),
        services.checkins.cancel_meeting(leader, session, Mode.CANCELLED, Reason.WEATHER),
    )
    assert sorted(map(str, results)) == ["None", "already"]
    assert len(await deliveries(services, "notice:%")) == 4  # one notice only


async def test_no_cancelling_a_meeting_that_began_or_someone_elses(
    world: World, clock: FakeClock
) -> None:
    services, session = world.services, await first_session(world)
    with pytest.raises(NotAllowed):
        await services.checkins.cancel_meeting(
            Access(user_id=3001), session, Mode.REMOTE, Reason.OTHER
        )
    clock.now = clock.now.replace(year=2027, month=1, day=13, hour=16)
    assert (
        await services.checkins.cancel_meeting(
            await world.leader(), session, Mode.REMOTE, Reason.OTHER
        )
        is Refused.STARTED
    )


async def test_undo_calls_off_the_checkin_but_not_the_leaders_own_posts(world: World) -> None:
    services, session = world.services, await first_session(world)
    leader = await world.leader()
    await services.checkins.cancel_meeting(leader, session, Mode.REMOTE, Reason.WEATHER)
    assert await services.checkins.undo(leader, session) is None
    assert {s for _, s, _ in await deliveries(services, "checkin:%")} == {"cancelled"}
    assert {s for _, s, _ in await deliveries(services, "tip:%")} == {"cancelled"}
    assert len(await deliveries(services, "notice:%")) == 8  # the cancellation and the undo
    assert await services.checkins.undo(leader, session) is Refused.NOT_CANCELLED


async def open_checkin(world: World) -> int:
    checkin = await world.services.checkins.send_now(await world.leader(), world.groups[0].id)
    await deliver_all(world.services)
    return checkin


async def test_answers_are_private_changeable_and_counted(world: World) -> None:
    checkins = world.services.checkins
    checkin = await open_checkin(world)
    first = await checkins.answer(3001, -100, checkin, "week", "3")
    assert first.status is AnswerStatus.SAVED
    again = await checkins.answer(3001, -100, checkin, "week", "1")  # changed their mind
    assert again.status is AnswerStatus.SAVED
    await checkins.answer(3002, 3002, checkin, "plan", "partly")  # in their private chat
    tally = await checkins.tally(checkin)
    assert (tally.answered, tally.week[1], tally.week[3], tally.plan["partly"]) == (2, 1, 0, 1)
    stored = await world.services.db.fetch_all("SELECT pseudonym FROM checkin_answers")
    assert all("3001" not in r[0] and "3002" not in r[0] for r in stored)


async def test_bad_presses_change_nothing(world: World, clock: FakeClock) -> None:
    checkins = world.services.checkins
    checkin = await open_checkin(world)
    with pytest.raises(NotAllowed):
        await checkins.answer(3001, -100, checkin, "week", "7")
    with pytest.raises(NotAllowed):
        await checkins.answer(3001, -100, checkin, "mood", "1")
    assert (await checkins.answer(3001, -200, checkin, "week", "2")).status is AnswerStatus.NOT_HERE
    assert (await checkins.answer(3001, 3002, checkin, "week", "2")).status is AnswerStatus.NOT_HERE
    assert (await checkins.answer(3001, -100, 999, "week", "2")).status is AnswerStatus.NOT_HERE
    clock.advance(hours=49)
    assert (await checkins.answer(3001, -100, checkin, "week", "2")).status is AnswerStatus.CLOSED
    assert (await checkins.tally(checkin)).answered == 0


async def test_contact_requests_reach_the_leaders_and_the_summary(
    world: World, clock: FakeClock
) -> None:
    checkins, services = world.services.checkins, world.services
    checkin = await open_checkin(world)
    asked = await checkins.answer(3001, -100, checkin, "contact", "1")
    assert asked.new_contact_request is not None and asked.leaders == (LEADER,)
    again = await checkins.answer(3001, -100, checkin, "contact", "1")
    assert again.new_contact_request is None  # asked once is enough
    clock.advance(hours=48)
    assert await checkins.close_due() == [checkin]
    assert await checkins.close_due() == []  # closed once
    summaries = await deliveries(services, "summary:%")
    assert [c for c, *_ in summaries] == [LEADER]
    tally = await checkins.tally(checkin)
    assert tally.contact_requests == [(asked.new_contact_request, 3001)]
    with pytest.raises(NotAllowed):
        await services.escalations.handle(Access(user_id=3002), asked.new_contact_request)
    assert await services.escalations.handle(await world.leader(), asked.new_contact_request)
    assert not await services.escalations.handle(await world.leader(), asked.new_contact_request)
    assert (await checkins.tally(checkin)).contact_requests == []


async def test_contacts_outside_telegram_are_counts(world: World) -> None:
    contacts = world.services.outside_contacts
    await contacts.log(await world.leader(), world.groups[0].id, EventKind.PHONE_CONTACT)
    with pytest.raises(NotAllowed):
        await contacts.log(Access(user_id=3001), world.groups[0].id, EventKind.VISIT)
    rows = await world.services.db.fetch_all(
        "SELECT kind, pseudonym FROM contact_events WHERE kind = 'phone_contact'"
    )
    assert [tuple(r) for r in rows] == [("phone_contact", None)]


async def test_a_window_closing_while_down_is_closed_at_start(
    world: World, clock: FakeClock
) -> None:
    checkin = await open_checkin(world)
    clock.advance(days=5)  # the bot was down through the closing time
    assert await world.services.checkins.closing_times() == [clock.now - timedelta(days=3)]
    assert await world.services.checkins.close_due() == [checkin]


async def test_a_checkin_after_the_spring_change_is_at_the_same_wall_clock_time(
    services: Services, clock: FakeClock
) -> None:
    """Summer time starts on 29 March 2026: 18.00 is 16:00 UTC before it and 15:00 after."""
    clock.now = datetime(2026, 3, 1, 10, tzinfo=UTC)
    invite = await group_from(services, "24.3.2026")  # Tuesdays at 18
    await services.onboarding.join_as_leader(LEADER, "fi", invite)
    leader = await services.people.access(LEADER)
    (plan,) = await services.meetings.upcoming(leader, "fi")
    first, second = plan.upcoming[0].session, plan.upcoming[1].session
    assert (first.starts_at.hour, second.starts_at.hour) == (16, 15)
    assert (
        await services.checkins.cancel_meeting(leader, second.id, Mode.REMOTE, Reason.WEATHER)
        is None
    )
    row = await services.db.fetch_one("SELECT opens_at FROM checkins")
    assert row is not None and row[0] == "2026-03-31 15:00:00"


async def test_a_checkin_cannot_be_answered_before_it_is_posted(
    world: World, clock: FakeClock
) -> None:
    services, checkins = world.services, world.services.checkins
    leader = await world.leader()
    session = await first_session(world)
    await checkins.cancel_meeting(leader, session, Mode.REMOTE, Reason.WEATHER)
    scheduled = await services.db.fetch_one("SELECT max(id) FROM checkins")
    assert scheduled is not None  # at the meeting time, weeks ahead: its id is guessable
    for chat in (-100, 3001):
        early = await checkins.answer(3001, chat, scheduled[0], "week", "1")
        assert early.status is AnswerStatus.NOT_HERE
    queued = await checkins.send_now(leader, world.groups[0].id)  # queued, not yet sent
    assert (await checkins.answer(3001, -100, queued, "contact", "1")).status is (
        AnswerStatus.NOT_HERE
    )
    assert (await checkins.tally(queued)).answered == 0
    assert await services.db.fetch_one("SELECT 1 FROM contact_requests") is None


async def test_in_the_group_chat_only_its_participants_answer(world: World) -> None:
    checkins = world.services.checkins
    checkin = await open_checkin(world)
    # 3004 follows only the other group; 4001 never joined; the leader leads, not takes part
    for outsider in (3004, 4001, LEADER):
        pressed = await checkins.answer(outsider, -100, checkin, "week", "2")
        assert pressed.status is AnswerStatus.NOT_PARTICIPANT
    assert (await checkins.tally(checkin)).answered == 0
    assert (await checkins.answer(3001, -100, checkin, "week", "2")).status is AnswerStatus.SAVED


async def test_stop_cancels_what_is_queued_and_ends_answers(world: World, clock: FakeClock) -> None:
    services, checkins = world.services, world.services.checkins
    leader = await world.leader()
    sent = await open_checkin(world)  # reached 3001 privately before they stop
    await checkins.cancel_meeting(
        leader, await first_session(world), Mode.REMOTE, Reason.LEADER_ILL
    )
    assert {c for c, state, _ in await deliveries(services, "%") if state == "pending"} >= {3001}

    await services.onboarding.stop_private_messages(3001)
    rows = await services.db.fetch_all(
        "SELECT state FROM deliveries WHERE chat_id = 3001 AND state NOT IN ('sent', 'cancelled')"
    )
    assert rows == []  # the notice, the check-in and the tip are not sent
    clock.advance(days=60)
    assert all(d.chat_id != 3001 for d in await services.outbox.claim(100))
    late = await checkins.answer(3001, 3001, sent, "week", "1")
    assert late.status is AnswerStatus.NOT_PARTICIPANT
    assert (await checkins.tally(sent)).answered == 0


async def test_a_swedish_participant_gets_everything_private_in_swedish(
    world: World, clock: FakeClock
) -> None:
    """Issue: after choosing Swedish, the group's notices, check-in and tip still came in
    Finnish. A private chat reads its person's language; the group chat, the group's."""
    services, session = world.services, await first_session(world)
    assert await services.people.choose_language(3001, "sv")
    await services.checkins.cancel_meeting(
        await world.leader(), session, Mode.REMOTE, Reason.WEATHER
    )
    writer = writer_of(services)
    row = await services.db.fetch_one("SELECT starts_at FROM sessions WHERE id = ?", (session,))
    assert row is not None
    clock.now = from_db(row[0]) + timedelta(minutes=1)  # the meeting time: everything is due
    texts: dict[tuple[int, str], str] = {}
    while claimed := await services.outbox.claim(100):  # a chat's next after its last
        for delivery in claimed:
            source = await services.outbox.source(delivery.broadcast_id)
            assert source.content_key is not None
            written = await writer(source.content_key, delivery)
            assert written is not None
            texts[(delivery.chat_id, source.content_key.kind)] = written.text
            await services.outbox.settle(delivery, Sent((9,)))
    assert "Hej alla" in texts[(3001, "notice")] and "Hei kaikki" in texts[(-100, "notice")]
    assert "Hur mår du" in texts[(3001, "checkin")] and "Mitä kuuluu" in texts[(-100, "checkin")]
    swedish_tip, finnish_tip = texts[(3001, "tip")], texts[(-100, "tip")]
    assert swedish_tip != finnish_tip and "Hei kaikki" not in swedish_tip


async def test_someone_who_joins_before_the_meeting_gets_its_check_in(
    world: World, clock: FakeClock
) -> None:
    services, session = world.services, await first_session(world)
    leader = await world.leader()
    assert (
        await services.checkins.cancel_meeting(leader, session, Mode.REMOTE, Reason.OTHER) is None
    )
    links = await services.onboarding.links(leader, world.groups[0].id)
    await services.onboarding.consent(3005, "fi", links.participant)  # told: messages here too
    row = await services.db.fetch_one("SELECT id, opens_at FROM checkins")
    assert row is not None
    checkin_id = row[0]
    assert await services.checkins.open_due() == []  # not yet
    clock.now = datetime(2027, 1, 13, 15, 30, tzinfo=UTC)  # the meeting time
    assert await services.checkins.open_due() == [checkin_id]
    assert await services.checkins.open_due() == []  # once
    for content in ("checkin:%", "tip:%"):
        chats = [chat for chat, *_ in await deliveries(services, content)]
        assert chats == [-100, 3001, 3002, 3003, 3005]
    asked = await services.db.fetch_one("SELECT asked FROM checkins WHERE id = ?", (checkin_id,))
    assert asked is not None and asked[0] == 4
    await deliver_all(services)
    answered = await services.checkins.answer(3005, 3005, checkin_id, "week", "2")
    assert answered.status is AnswerStatus.SAVED
