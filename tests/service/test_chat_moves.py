"""A chat bound to one group moves to another only by that group's own leader or its
area's coordinator, after a confirmation; the leaders of both groups are told."""

from __future__ import annotations

import pytest

from bot.context import Services
from bot.domain.models import Group
from bot.services.errors import NotAllowed, Stale
from bot.services.onboarding import Outcome
from tests.conftest import GLOBAL_COORDINATOR
from tests.service.world import new_group

LEADER_A, LEADER_B, CHAT_B = 2101, 2202, -5005


async def two_groups(services: Services) -> tuple[Group, Group]:
    onboarding = services.onboarding
    a, invite_a = await new_group(services, "Ryhmä A")
    b, invite_b = await new_group(services, "Ryhmä B")
    await onboarding.join_as_leader(LEADER_A, "fi", invite_a)
    await onboarding.join_as_leader(LEADER_B, "fi", invite_b)
    links_b = await onboarding.links(await services.people.access(LEADER_B), b.id)
    assert (await onboarding.bind_chat(LEADER_B, CHAT_B, links_b.chat)).outcome is Outcome.DONE
    return a, b


async def chat_link_of_a(services: Services, a: Group) -> object:
    return (await services.onboarding.links(await services.people.access(LEADER_A), a.id)).chat


async def test_another_groups_leader_cannot_take_over_the_chat(services: Services) -> None:
    a, b = await two_groups(services)
    token = await chat_link_of_a(services, a)
    result = await services.onboarding.bind_chat(LEADER_A, CHAT_B, token)  # type: ignore[arg-type]
    assert result.outcome is Outcome.TAKEN
    assert result.previous is not None and result.previous.id == b.id
    assert set(result.told) == {LEADER_A, LEADER_B}  # both groups' leaders hear of it
    bound = await services.onboarding.group_of_chat(CHAT_B)
    assert bound is not None and bound.id == b.id  # nothing changed
    # the link was not used up: it still binds a chat of A's own
    again = await services.onboarding.bind_chat(LEADER_A, -6006, token)  # type: ignore[arg-type]
    assert again.outcome is Outcome.DONE


@pytest.mark.parametrize("mover", [LEADER_B, GLOBAL_COORDINATOR])
async def test_its_own_leader_or_coordinator_moves_it_after_a_confirmation(
    services: Services, mover: int
) -> None:
    a, b = await two_groups(services)
    onboarding = services.onboarding
    coordinator = await services.people.access(GLOBAL_COORDINATOR)
    _, invite = await onboarding.new_leader_invite(coordinator, a.id)
    await onboarding.join_as_leader(mover, "fi", invite)  # the link needs a leader of A
    token = await chat_link_of_a(services, a)
    asked = await onboarding.bind_chat(mover, CHAT_B, token)  # type: ignore[arg-type]
    assert asked.outcome is Outcome.CONFIRM and asked.invite_id is not None
    bound = await onboarding.group_of_chat(CHAT_B)
    assert bound is not None and bound.id == b.id  # not before the confirmation
    with pytest.raises(NotAllowed):  # someone else pressing the button
        await onboarding.move_chat(4001, CHAT_B, asked.invite_id, b.id)
    moved = await onboarding.move_chat(mover, CHAT_B, asked.invite_id, b.id)
    assert moved.outcome is Outcome.DONE and moved.group is not None and moved.group.id == a.id
    assert LEADER_A in moved.told and LEADER_B in moved.told
    with pytest.raises(Stale):  # pressed twice
        await onboarding.move_chat(mover, CHAT_B, asked.invite_id, b.id)
