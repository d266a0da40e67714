"""The acting person of every update, read in one statement: the same access and language
as reading them one by one."""

from __future__ import annotations

from bot.context import Services
from tests.service.world import LEADER, build_world

AREA_COORDINATOR, STRANGER = 7001, 7002


async def test_one_read_gives_the_same_access_and_language_as_separate_reads(
    services: Services,
) -> None:
    await build_world(services)
    await services.people.add_coordinator(
        AREA_COORDINATOR, ["Kuopio", "Varkaus"], create_areas=True
    )
    await services.people.choose_language(3001, "sv")
    people = services.people
    global_coordinator = next(iter(services.settings.coordinator_ids))
    for user in (LEADER, 3001, 3003, 3004, AREA_COORDINATOR, global_coordinator, STRANGER):
        for telegram_language in (None, "en-GB", "de"):
            assert await people.actor(user, telegram_language) == (
                await people.access(user),
                await people.language(user, telegram_language),
            ), (user, telegram_language)
