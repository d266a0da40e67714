from bot.context import Services
from bot.domain.invites import InviteToken
from bot.domain.models import Access
from bot.domain.parsing import Invalid
from tests.conftest import GLOBAL_COORDINATOR
from tests.support.clock import FakeClock


async def group_from(services: Services, first: str) -> InviteToken:
    onboarding = services.onboarding
    access = await services.people.access(GLOBAL_COORDINATOR)
    await onboarding.start_draft(access)
    for answer in ("Keskiviikkoryhmä", "Kuopio", first, "18", "6", "fi"):
        assert not isinstance(await onboarding.answer_draft(access, answer), Invalid)
    view = await onboarding.current_draft(access)
    assert view is not None
    return (await onboarding.confirm_draft(access, view.revision)).leader_invite


async def test_meetings_ahead_with_holidays_flagged(services: Services, clock: FakeClock) -> None:
    invite = await group_from(services, "30.12.2026")  # Wednesdays: 6.1.2027 is Epiphany
    await services.onboarding.join_as_leader(2001, "fi", invite)
    leader = await services.people.access(2001)
    (plan,) = await services.meetings.upcoming(leader, "fi")
    assert [m.holiday for m in plan.upcoming] == [None, "Loppiainen", None, None, None, None]
    clock.now = plan.upcoming[1].session.starts_at  # the second has begun: no longer ahead
    (plan,) = await services.meetings.upcoming(leader, "sv")
    assert [m.session.number for m in plan.upcoming] == [3, 4, 5, 6]


async def test_only_ones_own_groups(services: Services) -> None:
    await group_from(services, "30.12.2026")
    assert await services.meetings.upcoming(Access(user_id=9), "fi") == []
