from datetime import date, time

import pytest

from bot.domain.parsing import Invalid, Problem, parse_date, parse_name, parse_time

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13.1.2027", date(2027, 1, 13)),
        ("13.1.27", date(2027, 1, 13)),
        ("13.1.", date(2027, 1, 13)),  # no year: the next 13 January
        ("13.1", date(2027, 1, 13)),
        ("1.12.", date(2026, 12, 1)),
        (" 2027-01-13 ", date(2027, 1, 13)),
        ("28.11.2026", TODAY),
    ],
)
def test_dates_people_type(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("31.2.", Problem.NO_SUCH_DATE),
        ("30.2.2027", Problem.NO_SUCH_DATE),
        ("2027-13-01", Problem.NO_SUCH_DATE),
        ("27.11.2026", Problem.IN_THE_PAST),
        ("1.1.2030", Problem.TOO_FAR),
        ("huomenna", Problem.NOT_UNDERSTOOD),
        ("", Problem.NOT_UNDERSTOOD),
        ("12/1/2027", Problem.NOT_UNDERSTOOD),
    ],
)
def test_bad_dates_say_what_is_wrong(text: str, problem: Problem) -> None:
    assert parse_date(text, TODAY) == Invalid(problem)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("18", time(18)), ("17.30", time(17, 30)), ("9:05", time(9, 5)), ("klo 18.15", time(18, 15))],
)
def test_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("25:00", Problem.NO_SUCH_TIME),
        ("18.60", Problem.NO_SUCH_TIME),
        ("ilta", Problem.NOT_UNDERSTOOD),
    ],
)
def test_bad_times(text: str, problem: Problem) -> None:
    assert parse_time(text) == Invalid(problem)


def test_names_are_tidied_and_bounded() -> None:
    assert parse_name("  Tiistai   ryhmä ") == "Tiistai ryhmä"
    assert parse_name("   ") == Invalid(Problem.EMPTY)
    assert parse_name("x" * 65) == Invalid(Problem.TOO_LONG)


def test_a_name_of_invisible_characters_or_with_direction_overrides_is_refused() -> None:
    assert parse_name("\u200b\u200d\ufeff") == Invalid(Problem.EMPTY)
    assert parse_name("\u202eäppyrR") == Invalid(Problem.HIDDEN_CHARACTERS)
    assert parse_name("Kahvi\u2066 ryhmä") == Invalid(Problem.HIDDEN_CHARACTERS)
    assert parse_name("Ryhmä\x07") == Invalid(Problem.HIDDEN_CHARACTERS)
    assert parse_name("Perhe 👨\u200d👩\u200d👧") == "Perhe 👨\u200d👩\u200d👧"  # emoji may join
