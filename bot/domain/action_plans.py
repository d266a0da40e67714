"""An action plan, as Arkeen Voimaa teaches it: what, how much, when, how often, and how
sure you are (0-10). Below 7, the plan is worth making a little smaller."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from bot.domain.parsing import Invalid, Problem

SURE_ENOUGH = 7
MAX_ANSWER = 300


class Step(StrEnum):
    WHAT = "what"
    HOW_MUCH = "how_much"
    WHEN = "when"
    HOW_OFTEN = "how_often"
    CONFIDENCE = "confidence"


ORDER = [Step.WHAT, Step.HOW_MUCH, Step.WHEN, Step.HOW_OFTEN, Step.CONFIDENCE]


def next_step(step: Step) -> Step | None:
    index = ORDER.index(step)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def parse_answer(text: str) -> str | Invalid:
    answer = " ".join(text.split())
    if not answer:
        return Invalid(Problem.EMPTY)
    if len(answer) > MAX_ANSWER:
        return Invalid(Problem.TOO_LONG)
    return answer


def parse_confidence(text: str) -> int | Invalid:
    """A whole number from 0 to 10 ("11" and "seven" are not)."""
    text = text.strip()
    if not text.isdigit():
        return Invalid(Problem.NOT_UNDERSTOOD)
    if int(text) > 10:
        return Invalid(Problem.TOO_FAR)
    return int(text)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
