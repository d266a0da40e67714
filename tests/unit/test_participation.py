from datetime import UTC, datetime, timedelta

from bot.domain.events import EventKind
from bot.domain.participation import Presence, Taking, presences, taking_part

MONDAY = datetime(2026, 9, 7, 15, tzinfo=UTC)
SESSIONS = [MONDAY + timedelta(weeks=n) for n in range(6)]  # 7.9. to 12.10.
Q3 = (datetime(2026, 6, 30, 21, tzinfo=UTC), datetime(2026, 9, 30, 21, tzinfo=UTC))
Q4 = (datetime(2026, 9, 30, 21, tzinfo=UTC), datetime(2026, 12, 31, 22, tzinfo=UTC))
YEAR = datetime(2025, 12, 31, 22, tzinfo=UTC)


def stay(joined: int, left: int | None = None) -> Presence:
    """Joined (and left) a day before the session numbered."""
    day = timedelta(days=1)
    return Presence([SESSIONS[joined] - day], [SESSIONS[left] - day] if left is not None else [])


def test_a_completer_counts_in_the_period_of_their_fourth_session() -> None:
    people = {"a": stay(0), "b": stay(2), "c": stay(0, left=3), "d": stay(5)}
    # Q3 holds sessions 0-3 (7.9.-28.9.), Q4 sessions 4-5. A person counts in the quarter
    # they first took part that year: a, b and c in Q3, d in Q4; the year has all four.
    assert taking_part(SESSIONS, people, Q3, YEAR) == Taking(reached=3, completers=1)  # a
    assert taking_part(SESSIONS, people, Q4, YEAR) == Taking(reached=1, completers=1)  # d; b
    assert taking_part(SESSIONS, people, (YEAR, Q4[1]), YEAR) == Taking(4, 2)


def test_an_answer_is_taking_part_and_leaving_and_coming_back_counts_the_time_in() -> None:
    answered_only = Presence([], [], first_answer=SESSIONS[1] + timedelta(days=1))
    back = Presence(
        [SESSIONS[0] - timedelta(days=1), SESSIONS[3] - timedelta(days=1)],
        [SESSIONS[1] - timedelta(days=1)],
    )
    assert taking_part(SESSIONS, {"x": answered_only}, Q3, YEAR) == Taking(1, 0)
    assert back.member_at(SESSIONS[0]) and not back.member_at(SESSIONS[2])
    # In for sessions 0, 3, 4 and 5: first in Q3, the 4th in Q4.
    assert taking_part(SESSIONS, {"y": back}, Q3, YEAR) == Taking(1, 0)
    assert taking_part(SESSIONS, {"y": back}, Q4, YEAR) == Taking(0, 1)


def test_presences_are_read_from_event_rows() -> None:
    rows = [
        ("p", EventKind.PARTICIPANT_JOINED.value, SESSIONS[0]),
        ("q", EventKind.PARTICIPANT_LEFT.value, SESSIONS[2]),
    ]
    found = presences(rows, {"p": SESSIONS[1], "r": SESSIONS[3]})
    assert found["p"] == Presence([SESSIONS[0]], [], SESSIONS[1])
    assert found["q"] == Presence([], [SESSIONS[2]])
    assert found["r"] == Presence([], [], SESSIONS[3])
