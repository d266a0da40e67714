import pytest

from bot.context import Services
from bot.domain.invites import InviteToken
from bot.domain.models import Access
from bot.domain.parsing import Invalid, Problem
from bot.services.errors import NotAllowed, Stale
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
    """A leader of one group sees and moves only that group's meetings, not another's."""
    first = await group_from(services, "30.12.2026")
    second = await group_from(services, "31.12.2026")
    await services.onboarding.join_as_leader(2001, "fi", first)
    await services.onboarding.join_as_leader(2002, "fi", second)
    one, other = [await services.people.access(u) for u in (2001, 2002)]
    (plan,) = await services.meetings.upcoming(one, "fi")
    (theirs,) = await services.meetings.upcoming(other, "fi")
    assert plan.group.id != theirs.group.id
    with pytest.raises(NotAllowed):
        await services.meetings.start_move(one, theirs.upcoming[0].session.id)
    assert await services.meetings.upcoming(Access(user_id=9), "fi") == []


async def test_a_leader_moves_a_session_by_typing_a_time(services: Services) -> None:
    invite = await group_from(services, "30.12.2026")
    await services.onboarding.join_as_leader(2001, "fi", invite)
    leader = await services.people.access(2001)
    (plan,) = await services.meetings.upcoming(leader, "fi")
    second = plan.upcoming[1].session
    with pytest.raises(NotAllowed):
        await services.meetings.start_move(Access(user_id=9), second.id)
    await services.meetings.start_move(leader, second.id)
    assert await services.meetings.move(leader, "eilen") == Invalid(Problem.NOT_UNDERSTOOD)
    moved = await services.meetings.move(leader, "7.1.2027 18")  # off the holiday
    assert not isinstance(moved, Invalid)
    assert moved.starts_at.isoformat() == "2027-01-07T16:00:00+00:00"
    assert await services.meetings.moving(2001) is None  # done
    with pytest.raises(Stale):
        await services.meetings.move(leader, "8.1.2027 18")
