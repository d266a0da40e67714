import asyncio

import pytest

from bot.context import Services
from bot.domain.group_draft import Step
from bot.domain.invites import InviteKind, InviteToken
from bot.domain.models import Access
from bot.domain.parsing import Invalid, Problem
from bot.services.errors import NotAllowed, Stale
from bot.services.onboarding import CreatedGroup, Outcome
from bot.services.people import UnknownAreas
from tests.conftest import GLOBAL_COORDINATOR
from tests.support.clock import FakeClock

LEADER, CO_LEADER, PARTICIPANT, STRANGER = 2001, 2002, 3001, 4001


async def create_group(services: Services, user_id: int = GLOBAL_COORDINATOR) -> CreatedGroup:
    onboarding = services.onboarding
    access = await services.people.access(user_id)
    view = await onboarding.start_draft(access)
    for answer in ("Tiistairyhmä", "Kuopio", "13.1.2027", "17.30", "6", "fi"):
        moved = await onboarding.answer_draft(access, answer)
        assert not isinstance(moved, Invalid), answer
        view = moved
    assert view.draft.step is Step.CONFIRM
    return await onboarding.confirm_draft(access, view.revision)


async def event_kinds(services: Services) -> list[str]:
    """In alphabetical order: events' ids are random, so the table keeps no order."""
    rows = await services.db.fetch_all("SELECT kind FROM contact_events ORDER BY kind")
    return [r["kind"] for r in rows]


async def test_a_coordinator_creates_a_group_with_dated_sessions(services: Services) -> None:
    created = await create_group(services)
    assert created.group.name == "Tiistairyhmä"
    assert len(created.sessions) == 6
    assert created.leader_invite.kind is InviteKind.LEADER
    stored = await services.db.fetch_one("SELECT token_hash FROM invites")
    assert stored is not None and stored[0] == created.leader_invite.digest
    assert created.leader_invite.secret.encode() not in bytes(stored[0])
    assert await event_kinds(services) == ["group_created"]


async def test_only_coordinators_start_the_guided_chat(services: Services) -> None:
    with pytest.raises(NotAllowed):
        await services.onboarding.start_draft(Access(user_id=STRANGER))


async def test_stale_and_replayed_buttons_change_nothing(services: Services) -> None:
    onboarding = services.onboarding
    access = await services.people.access(GLOBAL_COORDINATOR)
    view = await onboarding.start_draft(access)
    await onboarding.answer_draft(access, "Ryhmä", view.revision)
    with pytest.raises(Stale):  # the same button pressed again
        await onboarding.answer_draft(access, "Ryhmä", view.revision)
    with pytest.raises(Stale):  # confirming before the last step
        await onboarding.confirm_draft(access, view.revision + 1)


async def test_confirming_twice_creates_one_group(services: Services) -> None:
    onboarding = services.onboarding
    access = await services.people.access(GLOBAL_COORDINATOR)
    view = await onboarding.start_draft(access)
    for answer in ("Ryhmä", "Kuopio", "13.1.", "18", "6", "fi"):
        moved = await onboarding.answer_draft(access, answer)
        assert not isinstance(moved, Invalid)
        view = moved
    results = await asyncio.gather(
        onboarding.confirm_draft(access, view.revision),
        onboarding.confirm_draft(access, view.revision),
        return_exceptions=True,
    )
    assert sum(isinstance(r, CreatedGroup) for r in results) == 1
    assert sum(isinstance(r, Stale) for r in results) == 1
    assert (await services.db.fetch_one("SELECT count(*) FROM groups"))[0] == 1  # type: ignore[index]


async def test_an_area_coordinator_sees_only_their_areas(services: Services) -> None:
    await services.people.add_coordinator(5001, ["Varkaus"], create_areas=True)
    await create_group(services)  # in Kuopio, by the global coordinator
    access = await services.people.access(5001)
    assert access.is_coordinator and not access.all_areas
    assert await services.onboarding.overview(access) == []
    kuopio_group = (
        await services.onboarding.overview(await services.people.access(GLOBAL_COORDINATOR))
    )[0]
    with pytest.raises(NotAllowed):
        await services.onboarding.new_leader_invite(access, kuopio_group.group.id)


async def test_leader_invites_are_single_use_expiring_and_revocable(
    services: Services, clock: FakeClock
) -> None:
    created = await create_group(services)
    onboarding = services.onboarding
    joined = await onboarding.join_as_leader(LEADER, "fi", created.leader_invite)
    assert joined.outcome is Outcome.DONE
    assert (
        await onboarding.join_as_leader(LEADER, "fi", created.leader_invite)
    ).outcome is Outcome.ALREADY
    assert (
        await onboarding.join_as_leader(CO_LEADER, "fi", created.leader_invite)
    ).outcome is Outcome.USED

    coordinator = await services.people.access(GLOBAL_COORDINATOR)
    _, second = await onboarding.new_leader_invite(coordinator, created.group.id)
    _, revoked = await onboarding.revoke_leader_invites(coordinator, created.group.id)
    assert revoked == 1
    assert (await onboarding.join_as_leader(CO_LEADER, "fi", second)).outcome is Outcome.REVOKED

    _, third = await onboarding.new_leader_invite(coordinator, created.group.id)
    clock.advance(days=15)
    assert (await onboarding.join_as_leader(CO_LEADER, "fi", third)).outcome is Outcome.EXPIRED
    made_up = InviteToken.new(InviteKind.LEADER)
    assert (await onboarding.join_as_leader(CO_LEADER, "fi", made_up)).outcome is Outcome.UNKNOWN
    assert (await services.people.access(CO_LEADER)).leader_of == frozenset()


async def test_binding_a_chat_needs_a_leader_of_that_group(services: Services) -> None:
    created = await create_group(services)
    onboarding = services.onboarding
    await onboarding.join_as_leader(LEADER, "fi", created.leader_invite)
    links = await onboarding.links(await services.people.access(LEADER), created.group.id)
    assert (await onboarding.bind_chat(STRANGER, -100, links.chat)).outcome is Outcome.NOT_ALLOWED
    bound = await onboarding.bind_chat(LEADER, -100, links.chat)
    assert bound.outcome is Outcome.DONE and bound.group and bound.group.chat_id == -100
    assert (await onboarding.bind_chat(LEADER, -100, links.chat)).outcome is Outcome.ALREADY
    await onboarding.chat_migrated(-100, -1001234567890)
    assert (await onboarding.group_of_chat(-1001234567890)) is not None
    assert (await onboarding.chat_gone(-1001234567890)) is not None
    assert await onboarding.group_of_chat(-1001234567890) is None


async def test_non_leaders_get_no_links(services: Services) -> None:
    created = await create_group(services)
    with pytest.raises(NotAllowed):
        await services.onboarding.links(await services.people.access(STRANGER), created.group.id)


async def test_participants_are_stored_only_after_consent(services: Services) -> None:
    created = await create_group(services)
    onboarding = services.onboarding
    await onboarding.join_as_leader(LEADER, "fi", created.leader_invite)
    links = await onboarding.links(await services.people.access(LEADER), created.group.id)

    preview = await onboarding.preview_participant(PARTICIPANT, links.participant)
    assert preview.outcome is Outcome.DONE
    assert (
        await services.db.fetch_one("SELECT 1 FROM people WHERE user_id = ?", (PARTICIPANT,))
        is None
    )

    assert (await onboarding.consent(PARTICIPANT, "sv", links.participant)).outcome is Outcome.DONE
    assert (
        await onboarding.consent(PARTICIPANT, "sv", links.participant)
    ).outcome is Outcome.ALREADY
    assert (await onboarding.consent(LEADER, "fi", links.participant)).outcome is Outcome.IS_LEADER
    assert (await services.people.access(PARTICIPANT)).participant_of == {created.group.id}

    left = await onboarding.stop_private_messages(PARTICIPANT)
    assert [g.id for g in left] == [created.group.id]
    assert (
        await services.db.fetch_one("SELECT 1 FROM people WHERE user_id = ?", (PARTICIPANT,))
        is None
    )


async def test_events_carry_pseudonyms_never_ids(services: Services) -> None:
    created = await create_group(services)
    onboarding = services.onboarding
    await onboarding.join_as_leader(LEADER, "fi", created.leader_invite)
    links = await onboarding.links(await services.people.access(LEADER), created.group.id)
    await onboarding.bind_chat(LEADER, -100, links.chat)
    await onboarding.consent(PARTICIPANT, "fi", links.participant)
    await onboarding.stop_private_messages(PARTICIPANT)
    assert await event_kinds(services) == [
        "chat_bound",
        "group_created",
        "leader_joined",
        "participant_joined",
        "participant_left",
    ]
    rows = await services.db.fetch_all(
        "SELECT pseudonym FROM contact_events WHERE pseudonym IS NOT NULL"
    )
    pseudonyms = {r[0] for r in rows}
    assert pseudonyms == {
        services.contact_log.pseudonym(LEADER),
        services.contact_log.pseudonym(PARTICIPANT),
    }
    assert not any(str(PARTICIPANT) in p for p in pseudonyms)


async def test_renewing_the_participant_link_stops_the_old_ones(services: Services) -> None:
    created = await create_group(services)
    onboarding = services.onboarding
    await onboarding.join_as_leader(LEADER, "fi", created.leader_invite)
    leader = await services.people.access(LEADER)
    old = await onboarding.links(leader, created.group.id)
    new = await onboarding.links(leader, created.group.id, renew=True)
    assert (await onboarding.consent(PARTICIPANT, "fi", old.participant)).outcome is Outcome.REVOKED
    assert (await onboarding.consent(PARTICIPANT, "fi", new.participant)).outcome is Outcome.DONE


async def test_bad_answers_are_reported_per_step(services: Services) -> None:
    onboarding = services.onboarding
    access = await services.people.access(GLOBAL_COORDINATOR)
    await onboarding.start_draft(access)
    assert await onboarding.answer_draft(access, " ") == Invalid(Problem.EMPTY)
    await onboarding.answer_draft(access, "Ryhmä")
    await onboarding.answer_draft(access, "Kuopio")
    assert await onboarding.answer_draft(access, "31.2.") == Invalid(Problem.NO_SUCH_DATE)
    await onboarding.answer_draft(access, "13.1.")
    assert await onboarding.answer_draft(access, "25:00") == Invalid(Problem.NO_SUCH_TIME)
    view = await onboarding.current_draft(access)
    assert view is not None and view.draft.step is Step.TIME


async def test_a_typo_in_an_area_makes_no_new_municipality(services: Services) -> None:
    await create_group(services)  # in Kuopio
    with pytest.raises(UnknownAreas) as refused:
        await services.people.add_coordinator(5001, ["Kuopoi"])
    assert refused.value.unknown == ["Kuopoi"] and refused.value.known == ["Kuopio"]
    assert not (await services.people.access(5001)).is_coordinator
    assert await services.welfare.areas() == ["Kuopio"]
