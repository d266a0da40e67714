"""Who took part in a group, from its events (the programme's own figures: a participant attended at
least one session, a completer at least 4 of 6).

The bot cannot see who sits in the room. It counts a session for a person when they were
in the group (had joined it through the bot and not left) at the session's start, and a
check-in they answered as taking part too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.domain.events import EventKind

COMPLETED = 4  # sessions of the 6


@dataclass(frozen=True)
class Presence:
    """One person's (pseudonym's) joins and leaves in one group, in any order, and their
    first answer to a check-in this year, if any."""

    joined: list[datetime]
    left: list[datetime]
    first_answer: datetime | None = None

    def member_at(self, moment: datetime) -> bool:
        last_join = max((t for t in self.joined if t <= moment), default=None)
        last_leave = max((t for t in self.left if t <= moment), default=None)
        return last_join is not None and (last_leave is None or last_leave < last_join)


@dataclass(frozen=True)
class Taking:
    reached: int  # first took part this year in the period
    completers: int  # reached their 4th session in the period


def taking_part(
    sessions: Iterable[datetime],
    people: dict[str, Presence],
    period: tuple[datetime, datetime],
    year_start: datetime,
) -> Taking:
    """Each person counts once a year, in the period they first took part that year, so
    the quarters add up to the year. `sessions`: the group's sessions held (in person or
    remotely), all of them, since a completer's first sessions may fall before the year."""
    start, end = period
    held = sorted(sessions)
    reached = completers = 0
    for presence in people.values():
        attended = [t for t in held if presence.member_at(t)]
        this_year = [t for t in attended if t >= year_start]
        first = min([*this_year, *filter(None, [presence.first_answer])], default=None)
        reached += first is not None and start <= first < end
        completers += len(attended) >= COMPLETED and start <= attended[COMPLETED - 1] < end
    return Taking(reached, completers)


def presences(
    stays: Iterable[tuple[str, str, datetime]], first_answers: Mapping[str, datetime] | None = None
) -> dict[str, Presence]:
    """From (pseudonym, kind, time) rows of joins and leaves, and first answers."""
    found: dict[str, dict[str, list[datetime]]] = defaultdict(lambda: defaultdict(list))
    for pseudonym, kind, moment in stays:
        found[pseudonym][kind].append(moment)
    answers = first_answers or {}
    return {
        p: Presence(
            found[p][EventKind.PARTICIPANT_JOINED],
            found[p][EventKind.PARTICIPANT_LEFT],
            answers.get(p),
        )
        for p in found.keys() | answers.keys()
    }
