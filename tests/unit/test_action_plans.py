from datetime import date

import pytest

from bot.domain.action_plans import Step, iso_week, next_step, parse_answer, parse_confidence
from bot.domain.parsing import Invalid, Problem


@pytest.mark.parametrize(("text", "expected"), [("0", 0), ("7", 7), (" 10 ", 10)])
def test_confidence(text: str, expected: int) -> None:
    assert parse_confidence(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("11", Problem.TOO_FAR),
        ("seven", Problem.NOT_UNDERSTOOD),
        ("-1", Problem.NOT_UNDERSTOOD),
        ("7.5", Problem.NOT_UNDERSTOOD),
    ],
)
def test_bad_confidence(text: str, problem: Problem) -> None:
    assert parse_confidence(text) == Invalid(problem)


def test_steps_and_answers() -> None:
    assert next_step(Step.WHAT) is Step.HOW_MUCH and next_step(Step.CONFIDENCE) is None
    assert parse_answer("  kävely   ") == "kävely"
    assert parse_answer(" ") == Invalid(Problem.EMPTY)
    assert iso_week(date(2026, 11, 28)) == "2026-W48"
    assert iso_week(date(2027, 1, 1)) == "2026-W53"
