"""The coordinator's guided chat for a new group, as a pure state machine.

Each answer moves the draft one step on, or returns `Invalid` and leaves it as it
was. The draft is saved between messages, so a restart does not lose it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import date, time
from enum import StrEnum

from bot.domain.languages import LANGUAGES
from bot.domain.models import Area
from bot.domain.parsing import Invalid, Problem, parse_date, parse_name, parse_time
from bot.domain.schedule import DEFAULT_SESSIONS, MAX_SESSIONS

SESSION_CHOICES = (4, 6, 8, 10)
EDIT = "!"  # an answer '!<step>' on the summary goes back to change that one answer


class Step(StrEnum):
    NAME = "name"
    AREA = "area"
    DATE = "date"
    TIME = "time"
    SESSIONS = "sessions"
    LANGUAGE = "language"
    CONFIRM = "confirm"


@dataclass(frozen=True)
class AreaOptions:
    """The areas this coordinator may create groups in."""

    areas: tuple[Area, ...]
    may_create: bool  # coordinators of all areas may name a new municipality

    def find(self, name: str) -> Area | None:
        wanted = name.casefold()
        return next((area for area in self.areas if area.name.casefold() == wanted), None)


@dataclass(frozen=True)
class GroupDraft:
    step: Step = Step.NAME
    name: str | None = None
    area_id: int | None = None
    area_name: str | None = None
    first_date: date | None = None
    local_time: time | None = None
    sessions: int = DEFAULT_SESSIONS
    language: str | None = None
    editing: bool = False  # changing one answer from the summary: back to it after

    def to_json(self) -> str:
        data = asdict(self)
        data["first_date"] = self.first_date.isoformat() if self.first_date else None
        data["local_time"] = self.local_time.strftime("%H:%M") if self.local_time else None
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> GroupDraft:
        data = json.loads(text)
        data["step"] = Step(data["step"])
        if data["first_date"]:
            data["first_date"] = date.fromisoformat(data["first_date"])
        if data["local_time"]:
            data["local_time"] = time.fromisoformat(data["local_time"])
        return cls(**data)

    @property
    def weekday(self) -> int | None:
        return self.first_date.weekday() if self.first_date else None


def answer(draft: GroupDraft, text: str, options: AreaOptions, today: date) -> GroupDraft | Invalid:
    """Take a typed or pressed answer for the current step. On the summary, '!<step>' goes
    back to change that one answer; the next valid answer returns to the summary."""
    moved = _answer(draft, text, options, today)
    if isinstance(moved, Invalid) or not draft.editing:
        return moved
    return replace(moved, step=Step.CONFIRM, editing=False)


def editable(options: AreaOptions) -> list[Step]:
    """The answers the summary offers to change (the area only when there is a choice)."""
    steps = [Step.NAME, Step.DATE, Step.TIME, Step.SESSIONS, Step.LANGUAGE]
    if len(options.areas) > 1 or options.may_create:
        steps.insert(1, Step.AREA)
    return steps


def _answer(
    draft: GroupDraft, text: str, options: AreaOptions, today: date
) -> GroupDraft | Invalid:
    match draft.step:
        case Step.NAME:
            name = parse_name(text)
            if isinstance(name, Invalid):
                return name
            return _after_name(replace(draft, name=name), options)
        case Step.AREA:
            return _choose_area(draft, text, options)
        case Step.DATE:
            first = parse_date(text, today)
            if isinstance(first, Invalid):
                return first
            return replace(draft, first_date=first, step=Step.TIME)
        case Step.TIME:
            at = parse_time(text)
            if isinstance(at, Invalid):
                return at
            return replace(draft, local_time=at, step=Step.SESSIONS)
        case Step.SESSIONS:
            text = text.strip()
            if not text.isdigit():
                return Invalid(Problem.NOT_UNDERSTOOD)
            if not 1 <= int(text) <= MAX_SESSIONS:
                return Invalid(Problem.TOO_FAR)
            return replace(draft, sessions=int(text), step=Step.LANGUAGE)
        case Step.LANGUAGE:
            if text not in LANGUAGES:
                return Invalid(Problem.NOT_UNDERSTOOD)
            return replace(draft, language=text, step=Step.CONFIRM)
        case Step.CONFIRM:
            wanted = text.removeprefix(EDIT)
            if text.startswith(EDIT) and wanted in {s.value for s in editable(options)}:
                return replace(draft, step=Step(wanted), editing=True)
            return Invalid(Problem.NOT_UNDERSTOOD)


def _after_name(draft: GroupDraft, options: AreaOptions) -> GroupDraft:
    if len(options.areas) == 1 and not options.may_create:
        only = options.areas[0]
        return replace(draft, area_id=only.id, area_name=only.name, step=Step.DATE)
    return replace(draft, step=Step.AREA)


def _choose_area(draft: GroupDraft, text: str, options: AreaOptions) -> GroupDraft | Invalid:
    if text.startswith("#") and text[1:].isdigit():  # a pressed button carries the id
        chosen = next((a for a in options.areas if a.id == int(text[1:])), None)
    else:
        chosen = options.find(text.strip())
    if chosen is not None:
        return replace(draft, area_id=chosen.id, area_name=chosen.name, step=Step.DATE)
    if not options.may_create:
        return Invalid(Problem.NOT_UNDERSTOOD)
    name = parse_name(text)
    if isinstance(name, Invalid):
        return name
    return replace(draft, area_id=None, area_name=name, step=Step.DATE)
