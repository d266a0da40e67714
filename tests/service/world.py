"""A small world for broadcast tests: two groups led by one leader, chats and subscribers."""

from __future__ import annotations

from dataclasses import dataclass

from bot.app import build_writer
from bot.context import Services
from bot.delivery.content import Writer
from bot.domain.broadcast_draft import Step
from bot.domain.invites import InviteKind, InviteToken
from bot.domain.models import Access, Group
from bot.domain.outbox import Sent
from bot.domain.parsing import Invalid
from bot.services.broadcasts import ComposeView
from tests.conftest import GLOBAL_COORDINATOR

LEADER = 2001
CHATS = (-100, -200)
SUBSCRIBERS = ((3001, 3002, 3003), (3003, 3004))  # 3003 follows both groups


@dataclass
class World:
    services: Services
    groups: list[Group]

    async def leader(self) -> Access:
        return await self.services.people.access(LEADER)


async def new_group(
    services: Services, name: str, area: str = "Kuopio"
) -> tuple[Group, InviteToken]:
    onboarding = services.onboarding
    access = await services.people.access(GLOBAL_COORDINATOR)
    await onboarding.start_draft(access)
    for answer in (name, area, "13.1.2027", "17.30", "6", "fi"):
        moved = await onboarding.answer_draft(access, answer)
        assert not isinstance(moved, Invalid), answer
    view = await onboarding.current_draft(access)
    assert view is not None
    created = await onboarding.confirm_draft(access, view.revision)
    return created.group, created.leader_invite


async def build_world(services: Services, chats: tuple[int | None, ...] = CHATS) -> World:
    onboarding, groups = services.onboarding, []
    for index, name in enumerate(("Tiistairyhmä", "Torstairyhmä")):
        group, invite = await new_group(services, name)
        await onboarding.join_as_leader(LEADER, "fi", invite)
        links = await onboarding.links(await services.people.access(LEADER), group.id)
        if chats[index] is not None:
            await onboarding.bind_chat(LEADER, chats[index], links.chat)  # type: ignore[arg-type]
        for user_id in SUBSCRIBERS[index]:
            await onboarding.consent(user_id, "fi", links.participant)
        refreshed = await onboarding.group_of_chat(chats[index]) if chats[index] else group
        groups.append(refreshed or group)
    return World(services, groups)


def made_up_token() -> InviteToken:
    return InviteToken.new(InviteKind.PARTICIPANT)


async def press_all(
    services: Services, access: Access, view: ComposeView, *presses: str
) -> ComposeView:
    """Press compose buttons in turn: 'g:<group id>', 'next', 'private', 'now', … Presses
    of 'g:' choose from none: the usual groups the post starts with are unchosen first."""
    if any(p.startswith("g:") for p in presses):
        while view.draft.step is Step.TARGETS and view.draft.groups:
            moved = await services.broadcasts.press(access, view.revision, "all")
            assert not isinstance(moved, Invalid)
            view = moved
    for press in presses:
        action, _, argument = press.partition(":")
        moved = await services.broadcasts.press(access, view.revision, action, argument)
        assert not isinstance(moved, Invalid), press
        view = moved
    return view


async def deliver_all(services: Services) -> None:
    """Everything due is sent (as the sender would), so check-ins can be answered."""
    while claimed := await services.outbox.claim(1000):  # a chat's next one after its last
        for delivery in claimed:
            await services.outbox.settle(delivery, Sent((5,)))


async def posted(services: Services, checkin_id: int, chat_id: int) -> None:
    """Only the check-in's message to one chat is marked sent (no delivery is counted)."""
    async with services.db.transaction() as tx:
        await tx.execute(
            "UPDATE deliveries SET state = 'sent' WHERE chat_id = ? AND broadcast_id ="
            " (SELECT broadcast_id FROM checkins WHERE id = ?)",
            (chat_id, checkin_id),
        )


def writer_of(services: Services) -> Writer:
    """The writer of the bot's own messages, as the app builds it."""
    return build_writer(services)
